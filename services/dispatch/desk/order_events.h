#pragma once

// The events the dispatch service publishes about orders (payload
// hotline.dispatch.v1.OrderEvent), written to the outbox in the caller's
// transaction for every destination (DispatchSettings::event_destinations:
// intake, which moves the ticket, and sla, which runs its deadline clocks).

#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "hotline/dispatch/v1/events.pb.h"

namespace hotline::dispatch {

inline constexpr absl::string_view kOrderDispatched = "order.dispatched";
inline constexpr absl::string_view kOrderAccepted = "order.accepted";
inline constexpr absl::string_view kOrderProgress = "order.progress";
inline constexpr absl::string_view kOrderResolved = "order.resolved";
inline constexpr absl::string_view kOrderReturned = "order.returned";
inline constexpr absl::string_view kOrderNotDispatched = "order.not_dispatched";

// The event's payload with what `order` says now (ids, branch, routing
// reason, progress so far, returns, reopenings, advice) and the ticket's facts (number,
// type, area class), with `superior_branch_id`, the parent of the order's
// branch ("" when it has none or the order is with the dispatchers), where
// sla sends a supervision case of the order.
v1::OrderEvent OrderEventOf(const v1::Order& order, const std::string& superior_branch_id);

// Writes `event` under `topic` (keyed by order id) to the outbox for each of
// `destinations`. Errors: those of events::Publish (roll back).
absl::Status PublishOrderEvent(pqxx::work& tx, const std::vector<std::string>& destinations,
                               absl::string_view topic, const v1::OrderEvent& event);

}  // namespace hotline::dispatch
