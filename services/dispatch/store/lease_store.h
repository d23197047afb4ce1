#pragma once

// SQL for handing orders to branch systems under leases (the lease columns of
// dispatch.orders), inside the caller's transaction. Never throws.
//
// A lease belongs to one delivery: lease_id (the delivery id), the puller it
// was handed to, its position (a sequence across all deliveries, which
// pullers' resume cursors refer to) and its expiry, in the database's clock.
// An order is leased only while it is pending (status dispatched) and its
// previous lease has run out, with row locks (FOR UPDATE SKIP LOCKED), so no
// two deliveries ever hold the same order, whichever replica made them.

#include <optional>
#include <pqxx/transaction>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/dispatch/store/order_store.h"

namespace hotline::dispatch {

struct Delivery {
  std::string delivery_id;
  int64_t position = 0;
  absl::Time lease_expires_at;
  int attempt = 0;  // deliveries of the order to its current branch, this one included
  OrderRecord record;
};

// Leases to `puller` the branch's pending orders whose lease is free, most
// urgent first, as many as keep the puller's unexpired leases at most
// `max_outstanding`; only among `candidates` when given (the front of the
// branch's Redis queue), else among all pending orders of the branch.
absl::StatusOr<std::vector<Delivery>> ClaimOrders(
    pqxx::work& tx, const std::string& branch_id, const std::string& puller, int max_outstanding,
    absl::Duration lease, const std::optional<std::vector<std::string>>& candidates);

// The unexpired leases `puller` holds on pending orders of `branch_id`, with
// a position after `after`, in position order (to send again after a
// reconnect).
absl::StatusOr<std::vector<Delivery>> HeldLeases(pqxx::work& tx, const std::string& branch_id,
                                                 const std::string& puller, int64_t after);

struct PendingOrder {
  std::string branch_id;
  std::string order_id;
  int urgency = 0;
  int64_t seq = 0;
};
// Every order waiting for its branch's acknowledgement.
absl::StatusOr<std::vector<PendingOrder>> PendingOrders(pqxx::work& tx);

// Those of `order_ids` that are still pending at `branch_id`.
absl::StatusOr<std::set<std::string>> StillPending(pqxx::work& tx, const std::string& branch_id,
                                                   const std::vector<std::string>& order_ids);

}  // namespace hotline::dispatch
