#pragma once

// Power is back (outage's topic "outage.restored", payload
// hotline.outage.v1.NoticeRestored): which of the repairs linked to the
// notice it resolves. Pure.
//
// A linked repair is resolved when its address lies in what was restored:
//  - the whole notice: every repair linked to it;
//  - otherwise one restored place holds the address:
//      a transformer area (台区) or a feeder equal to the address's own,
//      compared as libs/address normalises them (width, case, spaces and
//      punctuation); an address that does not know its transformer area or
//      feeder is held by none;
//      an area (province down to village) the address lies in, by
//      address::AddressHolds over the area's parts down to the deepest it
//      names: a part the address leaves empty is not held against it, and a
//      part the address gives must equal the area's, also above the levels
//      the area names (an area "城关区" alone does not hold an address in
//      "甘肃省 城关区"). So a restore never resolves a repair it may not
//      cover: the repair stays linked until the rest of the notice is
//      restored.
// This is the rule outage.proto states for outage's own matching ("An
// address lies in a notice when ..."), applied to the restored places.

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/outage/v1/events.pb.h"

namespace hotline::intake {

// The outage service's event intake subscribes to.
inline constexpr char kOutageRestoredTopic[] = "outage.restored";  // outage.v1.NoticeRestored

// The place of `restored` that holds `address`, as people read it: "the
// whole notice", "transformer area TA-7", "feeder F12" or "area
// 甘肃省/城关区" (the parts as the notice wrote them); the first that holds
// it in that order. nullopt: the restore does not cover the address.
std::optional<std::string> RestoredPlaceOf(const outage::v1::NoticeRestored& restored,
                                           const common::v1::Address& address);

// The place of `restored` that resolves the repair at `address`:
// RestoredPlaceOf, unless a place still off (`still_off_*`) may hold the
// address too, compared loosely (an area nests with the address's area on
// every level both give; a transformer area or feeder equal to its own): a
// repair inside a place still off has no power yet and stays linked.
std::optional<std::string> ResolvingPlaceOf(const outage::v1::NoticeRestored& restored,
                                            const common::v1::Address& address);

// The history detail of a repair resolved by a restore, e.g.
//   "power restored: notice N-1, transformer area TA-7; at 2026-11-23 13:00
//    (Asia/Shanghai)"
// with the time in `zone` (the province's).
std::string DescribeRestore(const std::string& notice_id, const std::string& place,
                            absl::Time restored_at, absl::TimeZone zone);

}  // namespace hotline::intake
