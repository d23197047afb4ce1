#include "services/outage/desk/notice_keeper.h"

#include "libs/log/log.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"
#include "services/outage/store/repair_call_store.h"

namespace hotline::outage {
namespace {

constexpr absl::Duration kPurgeEvery = absl::Hours(1);
constexpr absl::Duration kCallsKept = absl::Hours(24);

}  // namespace

NoticeKeeper::NoticeKeeper(pg::Pool& pool, NoticeMirror& mirror, OutageMetrics& metrics,
                           rpc::WakeFeed& feed, const clock::Clock& clock, absl::Duration interval,
                           std::function<absl::Status()> seed)
    : pool_(pool),
      mirror_(mirror),
      metrics_(metrics),
      feed_(feed),
      clock_(clock),
      interval_(interval),
      seed_(std::move(seed)),
      worker_({"outage.notices", interval, absl::Seconds(30)}, [this] { return Round(); }) {}

absl::StatusOr<absl::Duration> NoticeKeeper::Round() {
  if (!loaded_) {
    HOTLINE_RETURN_IF_ERROR(seed_());
    HOTLINE_RETURN_IF_ERROR(mirror_.Load());
    log::Info("outage", "address index loaded: ", mirror_.index().size(), " open notices");
    loaded_ = true;
    feed_.Wake();
  }
  HOTLINE_ASSIGN_OR_RETURN(int applied, mirror_.CatchUp());
  if (applied > 0) {
    feed_.Wake();
  }
  const absl::Time now = clock_.Now();
  metrics_.SetOpen(mirror_.index().All(), now);
  if (now - last_purge_ >= kPurgeEvery) {
    absl::Status committed = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
      return store::PurgeRepairCalls(tx, kCallsKept).status();
    });
    HOTLINE_RETURN_IF_ERROR(committed);
    last_purge_ = now;
  }
  return interval_;
}

}  // namespace hotline::outage
