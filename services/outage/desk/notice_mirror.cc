#include "services/outage/desk/notice_mirror.h"

#include <vector>

#include "libs/pg/errors.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"
#include "services/outage/store/notice_store.h"

namespace hotline::outage {
namespace {

constexpr int kPage = 500;

}  // namespace

absl::Status NoticeMirror::Load() {
  std::vector<v1::OutageNotice> open;
  int64_t last = 0;
  absl::Status loaded = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    // One snapshot for both reads: no change falls between them.
    HOTLINE_RETURN_IF_ERROR(pg::Guarded("taking a snapshot", [&]() -> absl::Status {
      tx.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      return absl::OkStatus();
    }));
    HOTLINE_ASSIGN_OR_RETURN(last, store::LastNoticeSequence(tx));
    HOTLINE_ASSIGN_OR_RETURN(open, store::OpenNotices(tx));
    return absl::OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(loaded);
  index_.Reset(open);
  cursor_.store(last);
  // What committed since the snapshot (this replica's own puts included)
  // before the first check is answered.
  HOTLINE_RETURN_IF_ERROR(CatchUp().status());
  ready_.store(true);
  return absl::OkStatus();
}

absl::StatusOr<int> NoticeMirror::CatchUp() {
  int applied = 0;
  while (true) {
    std::vector<v1::NoticeEvent> events;
    const int64_t after = cursor_.load();
    absl::Status read = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
      HOTLINE_ASSIGN_OR_RETURN(events, store::NoticeEventsAfter(tx, after, kPage));
      return absl::OkStatus();
    });
    HOTLINE_RETURN_IF_ERROR(read);
    for (const v1::NoticeEvent& event : events) {
      index_.Put(event.notice());
      cursor_.store(event.sequence());
      ++applied;
    }
    if (events.size() < static_cast<size_t>(kPage)) {
      return applied;
    }
  }
}

}  // namespace hotline::outage
