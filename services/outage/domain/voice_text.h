#pragma once

// The sentence the automatic voice line speaks for a notice, in Chinese: the
// area, the reason (the work, or the kind), the start and the restore, in the
// service's zone. E.g. for a scheduled notice:
//   "因10kV城东线检修，城关镇东风村、西湖社区将于12月10日08:00至12月10日18:00停电，请提前做好准备。"
// and for one in effect: "...已于12月10日08:00停电，预计12月10日18:00恢复供电。"
// Pure.

#include <string>

#include "absl/time/time.h"
#include "hotline/outage/v1/outage.pb.h"

namespace hotline::outage {

std::string VoiceText(const v1::OutageNotice& notice, absl::TimeZone zone);

}  // namespace hotline::outage
