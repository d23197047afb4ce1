#pragma once

// SQL for work orders (dispatch schema: orders, order_routes, order_returns,
// order_progress, ticket_updates), inside the caller's transaction. Never
// throws: database errors come back as the Status of libs/pg/errors.h, after
// which the caller's transaction must roll back.
//
// Times written by these functions are the database's now(), so that every
// replica agrees on leases; OrderRecord::db_now carries that clock to the
// pure rules (progress.h).

#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "services/dispatch/domain/order_rules.h"
#include "services/dispatch/domain/progress.h"
#include "services/dispatch/domain/routing.h"

namespace hotline::dispatch {

// An order as stored: what the API shows, plus what only the service uses.
struct OrderRecord {
  v1::Order order;  // without route_history and return_history
  intake::v1::TicketCreated ticket;
  int64_t seq = 0;
  std::string lease_id;
  std::string lease_puller;
  int64_t lease_position = 0;
  std::optional<absl::Time> lease_expires_at;
  int deliveries = 0;
  absl::Time db_now;  // the database's clock when the row was read
};

// Holds a transaction-level advisory lock on `ticket_id` until the caller's
// transaction ends. Every handler of a ticket's events (created, urged,
// cancelled) takes it first, so they apply one after the other and each sees
// what the one before it committed: a cancellation applied while the ticket's
// order is being made is never missed by both.
absl::Status LockTicket(pqxx::work& tx, const std::string& ticket_id);

// The order of `ticket_id`, if it has one.
absl::StatusOr<std::optional<OrderRecord>> FindOrderOfTicket(pqxx::work& tx,
                                                             const std::string& ticket_id);

// NOT_FOUND naming the id. `lock` takes the row lock (SELECT ... FOR UPDATE)
// so that the caller's check-then-write cannot race another transaction.
absl::StatusOr<OrderRecord> LoadOrder(pqxx::work& tx, const std::string& order_id, bool lock);

// Adds route_history and return_history to `order`.
absl::Status LoadOrderHistory(pqxx::work& tx, v1::Order& order);

struct OrderFilter {
  std::string branch_id;
  OrderStatus status = v1::ORDER_STATUS_UNSPECIFIED;
  std::string ticket_id;
  bool with_dispatcher = false;
};
// Orders in creation order after seq `after`, at most `limit`.
absl::StatusOr<std::vector<OrderRecord>> ListOrders(pqxx::work& tx, const OrderFilter& filter,
                                                    int64_t after, int limit);

// A new order for a ticket, routed by `route`.
struct NewOrder {
  std::string order_id;
  // "PD-20261123-": the order number is this and the next counter value
  // (dispatch.next_order_number, migrations/0003_order_numbers.sql).
  std::string number_prefix;
  intake::v1::TicketCreated ticket;
  Route route;
  OrderStatus status = v1::ORDER_STATUS_UNSPECIFIED;
  int arrival_limit_minutes = 0;  // > 0: arrival_due_at = now + it
  int urgency = 0;
  int urgings = 0;
  std::optional<absl::Time> cancelled_at;  // the ticket was cancelled before it was routed
  std::string cancel_reason;
};
// Inserts the order and its first routing record in one statement, and
// returns the order as stored. nullopt (and nothing written) when the ticket
// already has an order.
absl::StatusOr<std::optional<OrderRecord>> InsertOrder(pqxx::work& tx, const NewOrder& order);

// Moves an open order onto `route` (a branch, the dispatchers):
// status dispatched or with_dispatcher, dispatched_at and arrival_due_at
// anew, lease and progress cleared; records the decision in order_routes.
absl::Status MoveOrder(pqxx::work& tx, const std::string& order_id, const Route& route,
                       const std::string& decided_by, int arrival_limit_minutes);

// Sends a resolved order back to the branch that resolved it (a
// dissatisfied customer callback): status dispatched there, dispatched_at
// and arrival_due_at anew, resolved_at, acceptance, lease and progress state
// cleared, reopens counted, reopened_reason and reopened_at set; records the
// decision in order_routes (rule reopened_by_callback, decided by survey) and
// a "reopened" line after the steps in order_progress. false (and nothing
// written) when the order is not resolved (any more).
absl::StatusOr<bool> ReopenOrder(pqxx::work& tx, const std::string& order_id,
                                 const std::string& reason, int arrival_limit_minutes);

// Records a return (and counts it on the order).
absl::Status RecordReturn(pqxx::work& tx, const std::string& order_id, const std::string& branch_id,
                          const ReturnRequest& request);
// The branches that returned the order, oldest first, each once.
absl::StatusOr<std::vector<std::string>> ReturnedBy(pqxx::work& tx, const std::string& order_id);
// Whether `branch_id` already returned the order with this idempotency key.
absl::StatusOr<bool> ReturnKeyUsed(pqxx::work& tx, const std::string& order_id,
                                   const std::string& branch_id, const std::string& key);

// Acknowledges the order for the delivery `delivery_id` if that delivery
// holds an unexpired lease on it; true when it did.
absl::StatusOr<bool> AcceptOrder(pqxx::work& tx, const std::string& order_id,
                                 const std::string& branch_id, const std::string& delivery_id);

// Writes the progress state after a step and the step's record.
absl::Status SaveProgress(pqxx::work& tx, const std::string& order_id, const std::string& branch_id,
                          const ProgressReport& report, const ProgressResult& result);

// The order's progress as the rules see it.
ProgressState ProgressStateOf(const OrderRecord& record);

// Urgings and cancellations of tickets (ticket_updates), kept whether or
// not the ticket's order exists yet.
struct TicketUpdate {
  int urgency = 0;
  int urgings = 0;
  std::optional<absl::Time> cancelled_at;
  std::string cancel_reason;
};
// The ticket's updates when it has no order yet, in one read; nullopt when
// it has one.
absl::StatusOr<std::optional<TicketUpdate>> LoadUpdatesOfTicketWithoutOrder(
    pqxx::work& tx, const std::string& ticket_id);
// Keeps the highest urgency and urging count seen.
absl::Status SaveUrging(pqxx::work& tx, const std::string& ticket_id, int urgency, int urgings);
absl::Status SaveCancellation(pqxx::work& tx, const std::string& ticket_id, absl::Time cancelled_at,
                              const std::string& reason);

// Raises the order's urgency (never lowers it).
absl::Status RaiseUrgency(pqxx::work& tx, const std::string& order_id, int urgency, int urgings);
// Cancels an open order (lease cleared).
absl::Status CancelOrder(pqxx::work& tx, const std::string& order_id, const std::string& reason);

}  // namespace hotline::dispatch
