#include "services/dispatch/desk/queue_keeper.h"

#include <map>

#include "libs/log/log.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"
#include "services/dispatch/store/lease_store.h"

namespace hotline::dispatch {
namespace {

constexpr char kComponent[] = "dispatch.queues";

}  // namespace

QueueKeeper::QueueKeeper(pg::Pool& pool, OrderQueue& queue, DispatchMetrics& metrics,
                         absl::Duration interval, std::function<void(const std::string&)> wake)
    : pool_(pool),
      queue_(queue),
      metrics_(metrics),
      wake_(std::move(wake)),
      worker_({kComponent, interval}, [this, interval]() -> absl::StatusOr<absl::Duration> {
        HOTLINE_RETURN_IF_ERROR(SweepOnce());
        return interval;
      }) {}

QueueKeeper::~QueueKeeper() { Stop(); }

void QueueKeeper::Start() { worker_.Start(); }

void QueueKeeper::Stop() { worker_.Stop(); }

absl::Status QueueKeeper::SweepOnce() {
  HOTLINE_ASSIGN_OR_RETURN(std::vector<PendingOrder> pending,
                           pg::WithTransactionResult<std::vector<PendingOrder>>(
                               pool_, [](pqxx::work& tx) { return PendingOrders(tx); }));
  std::map<std::string, std::vector<QueuedOrder>> by_branch;
  std::map<std::string, int> counts;
  for (const PendingOrder& p : pending) {
    QueuedOrder q;
    q.branch_id = p.branch_id;
    q.order_id = p.order_id;
    q.urgency = p.urgency;
    q.seq = p.seq;
    by_branch[p.branch_id].push_back(q);
    ++counts[p.branch_id];
  }
  metrics_.SetPending(counts);
  auto still_pending = [this](const std::string& branch, const std::vector<std::string>& ids) {
    return pg::WithTransactionResult<std::set<std::string>>(
        pool_, [&](pqxx::work& tx) { return StillPending(tx, branch, ids); });
  };
  HOTLINE_ASSIGN_OR_RETURN(OrderQueue::Mended mended, queue_.Reconcile(by_branch, still_pending));
  if (mended.added > 0 || mended.removed > 0) {
    log::Info(kComponent, "queues mended from PostgreSQL: ", mended.added, " pushed, ",
              mended.removed, " removed");
  }
  if (mended.added > 0) {
    for (const auto& [branch, orders] : by_branch) {
      wake_(branch);
    }
  }
  return absl::OkStatus();
}

}  // namespace hotline::dispatch
