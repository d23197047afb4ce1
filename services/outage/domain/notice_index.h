#pragma once

// The notices held in memory for CheckAddress: every open (scheduled or
// active) notice, reachable from each of its places that is not restored.
// A check looks up the address's area parts level by level, its transformer
// area and its feeder in hash maps, then confirms each candidate with
// libs/address (AddressHolds): it does no scan over all notices.
//
// Kept by the service consistent with PostgreSQL (notice_mirror): rebuilt at
// start, and every change put as it commits, on whichever replica made it.
// A put carries the notice's version; one not newer than the version held or
// last removed is ignored, so two paths delivering one change, or an older
// change after a newer one, leave the newer.
//
// Thread-safe: checks share a reader lock; puts take the writer lock.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/outage/v1/outage.pb.h"
#include "libs/address/address_text.h"

namespace hotline::outage {

// What a check asks about, normalised (NormalizeAddressText).
struct PlaceQuery {
  address::AreaParts area;       // all "" when the query gives no area
  std::string transformer_area;  // "" when not known
  std::string feeder;            // "" when not known
};

// An address's area parts, transformer area and feeder.
PlaceQuery PlaceOf(const common::v1::Address& address);
// A transformer area alone.
PlaceQuery TransformerAreaPlace(const std::string& transformer_area);

class NoticeIndex {
 public:
  NoticeIndex();
  ~NoticeIndex();
  NoticeIndex(const NoticeIndex&) = delete;
  NoticeIndex& operator=(const NoticeIndex&) = delete;

  // Adds or replaces the notice (by notice_id); a notice that is not open
  // (proposed, restored, cancelled) is removed, and its version kept as the
  // floor for later puts of its id. Returns false, changing nothing, when the
  // version was not newer (or the notice has no id).
  bool Put(const v1::OutageNotice& notice);

  // Replaces everything with `open_notices` (the start, or a reload): the
  // held notices are exactly the open ones among them (the newest of an id
  // given twice). Versions seen before stay floors for the ids it does not
  // hold, and a notice held before and not in `open_notices` leaves its
  // version as one, so a late put of an older change does not bring it back.
  void Reset(const std::vector<v1::OutageNotice>& open_notices);

  // The open notices with a place, not restored, that covers the query: an
  // area the query's area lies in, the query's transformer area, or its
  // feeder. By planned start, then notice id.
  std::vector<v1::OutageNotice> Covering(const PlaceQuery& query) const;

  // Every open notice, by planned start, then notice id.
  std::vector<v1::OutageNotice> All() const;
  size_t size() const;

 private:
  struct Held;
  mutable absl::Mutex mu_;
  // The implementation's maps live behind the pointer.
  std::unique_ptr<Held> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::outage
