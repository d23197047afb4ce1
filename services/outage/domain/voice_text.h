#pragma once

// The sentence the automatic voice line speaks for a notice, in Chinese: the
// area, the reason (the work, or the kind), the start and the restore, in the
// service's zone. E.g. for a scheduled notice:
//   "因10kV城东线检修，城关镇东风村、西湖社区将于12月10日08:00至12月10日18:00停电，请提前做好准备。"
// and for one in effect: "...已于12月10日08:00停电，预计12月10日18:00恢复供电。"
// (from the actual start; a scheduled notice published at or after its
// planned start is spoken as in effect; places already back are added:
// "其中...已恢复供电。"). A restored notice: "因...停电的...已于...恢复供电。";
// a cancelled one: "...原定于...至...的停电已取消，将正常供电。"; a proposal:
// "...疑似发生故障停电，正在核实，请耐心等待。".
// Areas are spoken from the township down (a village whose township was just
// said, alone), or by their deepest part above; transformer areas with
// "台区", feeders with "线路" unless their id ends so; more than eight places
// as the first eight and "等N处". Pure.

#include <string>

#include "absl/time/time.h"
#include "hotline/outage/v1/outage.pb.h"

namespace hotline::outage {

std::string VoiceText(const v1::OutageNotice& notice, absl::TimeZone zone);

}  // namespace hotline::outage
