#pragma once

// This replica's address index (domain/notice_index.h), kept consistent with
// PostgreSQL: Load() rebuilds it from the open notices and takes the change
// log's last sequence as its cursor, both from one snapshot; CatchUp() puts
// every change logged after the cursor, whichever replica made it. The
// service calls CatchUp when a change is announced (NOTIFY on
// store::kNoticesChannel) and every --mirror-interval besides; a change this
// replica commits is also put at once (Put), so its own caller reads it back.
// The index ignores a version it has seen, so a change put twice is put once.
//
// Until the first Load() the index is not ready: CheckAddress must not answer
// "clear" from an empty index.
//
// Thread-safe.

#include <atomic>
#include <cstdint>

#include "absl/status/statusor.h"
#include "hotline/outage/v1/outage.pb.h"
#include "libs/pg/pool.h"
#include "services/outage/domain/notice_index.h"

namespace hotline::outage {

class NoticeMirror {
 public:
  explicit NoticeMirror(pg::Pool& pool) : pool_(pool) {}

  absl::Status Load();
  // The number of changes applied.
  absl::StatusOr<int> CatchUp();
  void Put(const v1::OutageNotice& notice) { index_.Put(notice); }

  bool ready() const { return ready_.load(); }
  const NoticeIndex& index() const { return index_; }

 private:
  pg::Pool& pool_;
  NoticeIndex index_;
  std::atomic<int64_t> cursor_{0};
  std::atomic<bool> ready_{false};
};

}  // namespace hotline::outage
