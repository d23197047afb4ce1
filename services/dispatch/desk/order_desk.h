#pragma once

// The dispatch service's work on orders, without transport: making orders
// from ticket events, and what branch systems and dispatchers do with them.
// Each operation is one PostgreSQL transaction (the truth) that also writes
// its order events to the outbox; Redis queue pushes, pull wake-ups and
// metrics follow only once it has committed.
//
// The branch of a branch operation is the caller's (the handler takes it
// from the token): an order of another branch is PERMISSION_DENIED.
//
// Thread-safe: every method may run on any thread at once; concurrent
// operations on one order serialise on its row lock.

#include <functional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "libs/clock/clock.h"
#include "libs/events/event_sink_service.h"
#include "libs/pg/pool.h"
#include "services/dispatch/desk/dispatch_metrics.h"
#include "services/dispatch/domain/order_rules.h"
#include "services/dispatch/domain/progress.h"
#include "services/dispatch/domain/routing.h"
#include "services/dispatch/store/order_queue.h"
#include "services/dispatch/store/order_store.h"

namespace hotline::dispatch {

// The PostgreSQL NOTIFY channel on which an order's commit names the branch
// whose queue got it, so the pull hub of every replica looks at once.
inline constexpr char kOrdersChannel[] = "hotline_dispatch_orders";

struct DeskOptions {
  std::vector<std::string> destinations;  // services that receive order events
  RoutingPolicy routing;
  ProgressRules progress;
  absl::TimeZone number_zone = absl::UTCTimeZone();  // of the date in order numbers
};

class OrderDesk {
 public:
  // `wake(branch_id)` tells the open pulls of a branch to look for orders now.
  OrderDesk(pg::Pool& pool, OrderQueue& queue, DispatchMetrics& metrics, DeskOptions options,
            const clock::Clock& clock, std::function<void(const std::string&)> wake);

  // Handlers of intake's events, run by the EventSink inside its transaction
  // (with the inbox claim). A ticket gets one order however often its
  // ticket.created arrives; urgings and cancellations that arrive before it
  // are kept and applied when it does. The events of one ticket apply one at
  // a time (LockTicket), so one that arrives while another is being applied
  // sees it. A payload that cannot be read is logged and dropped (retrying
  // cannot mend it).
  absl::Status OnTicketCreated(pqxx::work& tx, const common::v1::Event& event);
  absl::Status OnTicketUrged(pqxx::work& tx, const common::v1::Event& event);
  absl::Status OnTicketCancelled(pqxx::work& tx, const common::v1::Event& event);
  // survey's callback.completed (CallbackEvent). DISSATISFIED (the customer
  // is dissatisfied, or the problem is not solved): the ticket's resolved
  // order (the event's order_id, else the ticket's order) goes back to the
  // branch that resolved it (order_rules.h DecideCallback, ReopenOrder): on
  // its queue again, its pulls woken, order.dispatched with
  // reopened_by_callback and reopened_reason. Any other outcome, an unknown
  // ticket or order, an order that is not resolved (sent back already and
  // not resolved again, cancelled, ...) and an unreadable payload are logged
  // and change nothing; only database errors fail.
  absl::Status OnCallbackCompleted(pqxx::work& tx, const common::v1::Event& event);

  // Takes the order for the branch (order.accepted). FAILED_PRECONDITION when
  // `delivery_id` does not hold an unexpired lease on it; a repeated ack of
  // the same delivery answers OK.
  absl::StatusOr<v1::Order> Ack(const std::string& branch_id, const std::string& order_id,
                                const std::string& delivery_id);
  // One progress step (progress.h); order.progress, or order.resolved for
  // COMPLETED.
  absl::StatusOr<v1::Order> Report(const std::string& branch_id, const std::string& order_id,
                                   const ProgressReport& report);
  // Returns the order (order_rules.h, routing.h); order.returned says where
  // it went. Ownership is checked before the idempotency key: a retry of a
  // return that went through, made after the order left the branch, is
  // PERMISSION_DENIED like any call on another branch's order (the order as
  // it is at its new branch is not shown); a retry while the order is this
  // branch's again answers the order and changes nothing.
  absl::StatusOr<v1::Order> Return(const std::string& branch_id, const std::string& order_id,
                                   const ReturnRequest& request);
  // A dispatcher puts the order on `branch_id`'s queue (order.dispatched).
  // An order already at that branch stays as it is (so a retried call
  // changes nothing). NOT_FOUND for an unknown branch; INVALID_ARGUMENT for a
  // dispatch centre.
  absl::StatusOr<v1::Order> Reassign(const std::string& by, const std::string& order_id,
                                     const std::string& branch_id, const std::string& note);

  // With its routing and return history.
  absl::StatusOr<v1::Order> Get(const std::string& order_id);
  struct Page {
    std::vector<v1::Order> orders;
    int64_t last_seq = 0;  // of the last order listed
  };
  absl::StatusOr<Page> List(const OrderFilter& filter, int64_t after, int limit);

 private:
  // Queues `fn` to run after the commit (an EventSink AfterCommit, or the
  // desk's own list for its transactions).
  using Later = std::function<void(std::function<void()>)>;
  template <typename T>
  absl::StatusOr<T> Transact(const std::function<absl::StatusOr<T>(pqxx::work&, const Later&)>& fn);

  // After the commit: the order onto its branch's queue, wake its pulls.
  void Enqueue(pqxx::work& tx, const Later& later, const OrderRecord& record, bool first_dispatch);
  std::string NumberPrefix() const;

  pg::Pool& pool_;
  OrderQueue& queue_;
  DispatchMetrics& metrics_;
  const DeskOptions options_;
  const clock::Clock& clock_;
  const std::function<void(const std::string&)> wake_;
};

// Subscribes `desk`'s handlers to the topics dispatch receives: intake's
// ticket.created, ticket.urged, ticket.cancelled and survey's
// callback.completed.
void SubscribeOrderDesk(events::EventSinkService& sink, OrderDesk& desk);

}  // namespace hotline::dispatch
