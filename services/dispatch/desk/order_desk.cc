#include "services/dispatch/desk/order_desk.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "libs/events/event_sink_service.h"
#include "libs/events/publisher.h"
#include "libs/log/log.h"
#include "libs/pg/notifications.h"
#include "libs/pg/transaction.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "services/dispatch/desk/order_events.h"
#include "services/dispatch/store/branch_store.h"

namespace hotline::dispatch {
namespace {

constexpr absl::string_view kComponent = "dispatch";

TicketFacts FactsOf(const intake::v1::TicketCreated& t) {
  TicketFacts f;
  f.type = t.type();
  f.fault_scope = t.fault_scope();
  f.equipment_owner = t.equipment_owner();
  f.wants_paid_service = t.wants_paid_service();
  f.complaint_category = t.complaint_category();
  f.report_subject = t.report_subject();
  f.address = t.address();
  return f;
}

OrderStatus StatusFor(Destination destination) {
  switch (destination) {
    case Destination::kBranch:
      return v1::ORDER_STATUS_DISPATCHED;
    case Destination::kNotDispatched:
      return v1::ORDER_STATUS_NOT_DISPATCHED;
    default:
      return v1::ORDER_STATUS_WITH_DISPATCHER;
  }
}

// The arrival limit the order gets at its branch: repairs only.
int ArrivalLimit(const Route& route, TicketType type, const std::vector<Branch>& branches) {
  if (route.destination != Destination::kBranch || type != common::v1::TICKET_TYPE_REPAIR) {
    return 0;
  }
  for (const Branch& b : branches) {
    if (b.branch_id == route.branch_id) {
      return b.arrival_limit_minutes;
    }
  }
  return 0;
}

absl::Status CheckOwner(const OrderRecord& record, const std::string& branch_id) {
  if (record.order.branch_id() != branch_id) {
    return absl::PermissionDeniedError(
        absl::StrCat("order ", record.order.order_number(), " is not branch ", branch_id, "'s"));
  }
  return absl::OkStatus();
}

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

// A unit named in a return that could be a branch id.
bool LooksLikeBranchId(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// The order event of `order` as it is now, with its branch's superior.
absl::StatusOr<v1::OrderEvent> EventOf(pqxx::work& tx, const v1::Order& order) {
  HOTLINE_ASSIGN_OR_RETURN(std::string superior, LoadSuperiorBranchId(tx, order.branch_id()));
  return OrderEventOf(order, superior);
}

}  // namespace

OrderDesk::OrderDesk(pg::Pool& pool, OrderQueue& queue, DispatchMetrics& metrics,
                     DeskOptions options, const clock::Clock& clock,
                     std::function<void(const std::string&)> wake)
    : pool_(pool),
      queue_(queue),
      metrics_(metrics),
      options_(std::move(options)),
      clock_(clock),
      wake_(std::move(wake)) {}

template <typename T>
absl::StatusOr<T> OrderDesk::Transact(
    const std::function<absl::StatusOr<T>(pqxx::work&, const Later&)>& fn) {
  std::vector<std::function<void()>> actions;
  Later later = [&actions](std::function<void()> action) { actions.push_back(std::move(action)); };
  absl::StatusOr<T> result =
      pg::WithTransactionResult<T>(pool_, [&](pqxx::work& tx) -> absl::StatusOr<T> {
        actions.clear();
        return fn(tx, later);
      });
  if (result.ok()) {
    for (auto& action : actions) {
      action();
    }
  }
  return result;
}

void OrderDesk::Enqueue(pqxx::work& tx, const Later& later, const OrderRecord& record,
                        bool first_dispatch) {
  // Wakes the pull hubs of every replica at commit, this one included.
  pg::Notify(tx, kOrdersChannel, record.order.branch_id());
  QueuedOrder queued;
  queued.branch_id = record.order.branch_id();
  queued.order_id = record.order.order_id();
  queued.urgency = record.order.urgency();
  queued.seq = record.seq;
  std::string type = EnumText(record.order.type());
  std::optional<absl::Time> created = OptionalFromProtoTime(record.order.ticket_created_at());
  later([this, queued, type, created, first_dispatch] {
    absl::Status pushed = queue_.Push(queued);
    if (!pushed.ok()) {
      log::Warn(kComponent, "order ", queued.order_id, " not pushed to the queue of ",
                queued.branch_id, " (the queue keeper will): ", pushed.ToString());
    }
    metrics_.Dispatched(queued.branch_id, type);
    if (first_dispatch && pushed.ok() && created.has_value()) {
      metrics_.DispatchLatency(clock_.Now() - *created);
    }
    wake_(queued.branch_id);
  });
}

std::string OrderDesk::NumberPrefix() const {
  return absl::StrCat("PD-", absl::FormatTime("%Y%m%d", clock_.Now(), options_.number_zone), "-");
}

absl::Status OrderDesk::OnTicketCreated(pqxx::work& tx, const common::v1::Event& event) {
  intake::v1::TicketCreated ticket;
  if (!event.payload().UnpackTo(&ticket) || ticket.ticket_id().empty()) {
    log::Error(kComponent, "ticket.created event ", event.event_id(),
               " carries no readable TicketCreated with a ticket_id: dropped");
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(LockTicket(tx, ticket.ticket_id()));
  HOTLINE_ASSIGN_OR_RETURN(std::optional<TicketUpdate> unordered,
                           LoadUpdatesOfTicketWithoutOrder(tx, ticket.ticket_id()));
  if (!unordered.has_value()) {
    return absl::OkStatus();  // the ticket has its order
  }
  const TicketUpdate& update = *unordered;
  NewOrder n;
  n.order_id = events::NewUuid();
  n.number_prefix = NumberPrefix();
  n.ticket = ticket;
  n.urgency = std::max(ticket.urgency(), update.urgency);
  n.urgings = update.urgings;
  std::vector<Branch> candidates;
  if (update.cancelled_at.has_value()) {
    n.route.rule = "cancelled_before_routing";
    n.route.reason =
        absl::StrCat("the ticket was cancelled before it was routed: ", update.cancel_reason);
    n.status = v1::ORDER_STATUS_CANCELLED;
    n.cancelled_at = update.cancelled_at;
    n.cancel_reason = update.cancel_reason;
  } else {
    HOTLINE_ASSIGN_OR_RETURN(candidates,
                             LoadRoutingCandidates(tx, TerritoryKeysOf(ticket.address()), ""));
    n.route = RouteTicket(FactsOf(ticket), candidates, options_.routing);
    n.status = StatusFor(n.route.destination);
    n.arrival_limit_minutes = ArrivalLimit(n.route, ticket.type(), candidates);
  }
  HOTLINE_ASSIGN_OR_RETURN(std::optional<OrderRecord> inserted, InsertOrder(tx, n));
  if (!inserted.has_value()) {
    return absl::OkStatus();  // made at the same moment from another delivery
  }
  const OrderRecord& record = *inserted;
  log::Info(kComponent, "order ", record.order.order_number(), " for ticket ",
            ticket.ticket_number(), ": ", n.route.reason);
  if (n.status == v1::ORDER_STATUS_CANCELLED) {
    return absl::OkStatus();
  }
  absl::string_view topic =
      n.status == v1::ORDER_STATUS_NOT_DISPATCHED ? kOrderNotDispatched : kOrderDispatched;
  // The branch's superior is known from the routing read when the order went
  // to one of the candidates.
  const auto routed_to = std::find_if(
      candidates.begin(), candidates.end(),
      [&](const Branch& branch) { return branch.branch_id == record.order.branch_id(); });
  v1::OrderEvent made;
  if (routed_to != candidates.end()) {
    made = OrderEventOf(record.order, routed_to->parent_id);
  } else {
    HOTLINE_ASSIGN_OR_RETURN(made, EventOf(tx, record.order));
  }
  HOTLINE_RETURN_IF_ERROR(PublishOrderEvent(tx, options_.destinations, topic, made));
  if (n.status == v1::ORDER_STATUS_DISPATCHED) {
    Enqueue(tx, events::AfterCommit, record, true);
  }
  return absl::OkStatus();
}

absl::Status OrderDesk::OnTicketUrged(pqxx::work& tx, const common::v1::Event& event) {
  intake::v1::TicketUrged urged;
  if (!event.payload().UnpackTo(&urged) || urged.ticket_id().empty()) {
    log::Error(kComponent, "ticket.urged event ", event.event_id(),
               " carries no readable TicketUrged: dropped");
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(LockTicket(tx, urged.ticket_id()));
  HOTLINE_RETURN_IF_ERROR(SaveUrging(tx, urged.ticket_id(), urged.urgency(), urged.urgings()));
  HOTLINE_ASSIGN_OR_RETURN(std::optional<OrderRecord> found,
                           FindOrderOfTicket(tx, urged.ticket_id()));
  if (!found.has_value() || !IsOpen(found->order.status())) {
    return absl::OkStatus();  // applied when the order is made, or nothing left to urge
  }
  HOTLINE_RETURN_IF_ERROR(
      RaiseUrgency(tx, found->order.order_id(), urged.urgency(), urged.urgings()));
  if (found->order.status() == v1::ORDER_STATUS_DISPATCHED) {
    QueuedOrder queued;
    queued.branch_id = found->order.branch_id();
    queued.order_id = found->order.order_id();
    queued.urgency = std::max(found->order.urgency(), urged.urgency());
    queued.seq = found->seq;
    pg::Notify(tx, kOrdersChannel, queued.branch_id);
    events::AfterCommit([this, queued] {
      if (absl::Status s = queue_.Push(queued); !s.ok()) {
        log::Warn(kComponent, "urgency of order ", queued.order_id,
                  " not updated in its queue yet: ", s.ToString());
      }
      wake_(queued.branch_id);
    });
  }
  return absl::OkStatus();
}

absl::Status OrderDesk::OnTicketCancelled(pqxx::work& tx, const common::v1::Event& event) {
  intake::v1::TicketCancelled cancelled;
  if (!event.payload().UnpackTo(&cancelled) || cancelled.ticket_id().empty()) {
    log::Error(kComponent, "ticket.cancelled event ", event.event_id(),
               " carries no readable TicketCancelled: dropped");
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(LockTicket(tx, cancelled.ticket_id()));
  absl::Time at = OptionalFromProtoTime(cancelled.cancelled_at()).value_or(clock_.Now());
  HOTLINE_RETURN_IF_ERROR(SaveCancellation(tx, cancelled.ticket_id(), at, cancelled.reason()));
  HOTLINE_ASSIGN_OR_RETURN(std::optional<OrderRecord> found,
                           FindOrderOfTicket(tx, cancelled.ticket_id()));
  if (!found.has_value() || !IsOpen(found->order.status())) {
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(CancelOrder(tx, found->order.order_id(), cancelled.reason()));
  log::Info(kComponent, "order ", found->order.order_number(), " cancelled with its ticket");
  if (found->order.status() == v1::ORDER_STATUS_DISPATCHED) {
    std::string branch = found->order.branch_id();
    std::string order_id = found->order.order_id();
    events::AfterCommit([this, branch, order_id] {
      if (absl::Status s = queue_.Remove(branch, order_id); !s.ok()) {
        log::Warn(kComponent, "cancelled order ", order_id,
                  " still in its queue (the queue keeper will remove it): ", s.ToString());
      }
    });
  }
  return absl::OkStatus();
}

absl::Status OrderDesk::OnCallbackCompleted(pqxx::work& tx, const common::v1::Event& event) {
  survey::v1::CallbackEvent callback;
  if (!event.payload().UnpackTo(&callback) ||
      (callback.ticket_id().empty() && callback.order_id().empty())) {
    log::Error(kComponent, "callback.completed event ", event.event_id(),
               " carries no readable CallbackEvent with a ticket_id or order_id: dropped");
    return absl::OkStatus();
  }
  if (callback.outcome() != survey::v1::CALLBACK_OUTCOME_DISSATISFIED) {
    return absl::OkStatus();  // DecideCallback's rule too; this spares the look-up
  }
  if (!callback.ticket_id().empty()) {
    HOTLINE_RETURN_IF_ERROR(LockTicket(tx, callback.ticket_id()));
  }
  std::string order_id = callback.order_id();
  if (order_id.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(std::optional<OrderRecord> of_ticket,
                             FindOrderOfTicket(tx, callback.ticket_id()));
    if (!of_ticket.has_value()) {
      log::Warn(kComponent, "callback.completed event ", event.event_id(), ": ticket ",
                callback.ticket_id(), " has no order: nothing goes back");
      return absl::OkStatus();
    }
    order_id = of_ticket->order.order_id();
  }
  absl::StatusOr<OrderRecord> loaded = LoadOrder(tx, order_id, true);
  if (absl::IsNotFound(loaded.status())) {
    log::Warn(kComponent, "callback.completed event ", event.event_id(), ": no order ", order_id,
              ": nothing goes back");
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(loaded.status());
  const v1::Order& order = loaded->order;
  if (!callback.ticket_id().empty() && order.ticket_id() != callback.ticket_id()) {
    log::Warn(kComponent, "callback.completed event ", event.event_id(), ": order ",
              order.order_number(), " is ticket ", order.ticket_id(), "'s, not ",
              callback.ticket_id(), "'s: nothing goes back");
    return absl::OkStatus();
  }
  CallbackFacts facts;
  facts.outcome = callback.outcome();
  facts.satisfaction = callback.satisfaction();
  facts.solved = callback.solved();
  facts.comment = callback.comment();
  CallbackDecision decision = DecideCallback(order.status(), order.branch_id(), facts);
  if (!decision.reopen) {
    log::Info(kComponent, "callback.completed event ", event.event_id(), " for order ",
              order.order_number(), ": ", decision.reason);
    return absl::OkStatus();
  }
  if (!callback.branch_id().empty() && callback.branch_id() != order.branch_id()) {
    log::Warn(kComponent, "callback.completed event ", event.event_id(), " names branch ",
              callback.branch_id(), "; order ", order.order_number(), " was resolved by ",
              order.branch_id(), ", where it goes back");
  }
  int arrival_limit = 0;
  if (order.type() == common::v1::TICKET_TYPE_REPAIR) {
    HOTLINE_ASSIGN_OR_RETURN(Branch branch, LoadBranch(tx, order.branch_id()));
    arrival_limit = branch.arrival_limit_minutes;
  }
  HOTLINE_ASSIGN_OR_RETURN(bool reopened,
                           ReopenOrder(tx, order_id, decision.reason, arrival_limit));
  if (!reopened) {
    return absl::OkStatus();  // not resolved any more (the row lock makes this rare)
  }
  HOTLINE_ASSIGN_OR_RETURN(OrderRecord now, LoadOrder(tx, order_id, false));
  HOTLINE_ASSIGN_OR_RETURN(v1::OrderEvent dispatched, EventOf(tx, now.order));
  dispatched.set_reopened_by_callback(true);
  dispatched.set_reopened_reason(decision.reason);
  HOTLINE_RETURN_IF_ERROR(
      PublishOrderEvent(tx, options_.destinations, kOrderDispatched, dispatched));
  log::Info(kComponent, "order ", now.order.order_number(), " sent back to ", now.order.branch_id(),
            ": ", decision.reason);
  Enqueue(tx, events::AfterCommit, now, false);
  std::string branch_id = now.order.branch_id();
  events::AfterCommit([this, branch_id] { metrics_.Reopened(branch_id); });
  return absl::OkStatus();
}

absl::StatusOr<v1::Order> OrderDesk::Ack(const std::string& branch_id, const std::string& order_id,
                                         const std::string& delivery_id) {
  if (order_id.empty()) {
    return absl::InvalidArgumentError("order_id: required");
  }
  if (delivery_id.empty()) {
    return absl::InvalidArgumentError("delivery_id: required, the id of the delivery");
  }
  return Transact<v1::Order>([&](pqxx::work& tx, const Later& later) -> absl::StatusOr<v1::Order> {
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord record, LoadOrder(tx, order_id, true));
    HOTLINE_RETURN_IF_ERROR(CheckOwner(record, branch_id));
    HOTLINE_ASSIGN_OR_RETURN(bool accepted, AcceptOrder(tx, order_id, branch_id, delivery_id));
    const OrderStatus status = record.order.status();
    if (!accepted) {
      bool taken = status == v1::ORDER_STATUS_ACCEPTED || status == v1::ORDER_STATUS_IN_PROGRESS ||
                   status == v1::ORDER_STATUS_RESOLVED;
      if (taken && record.lease_id == delivery_id) {
        return record.order;  // the same ack again
      }
      if (taken) {
        return absl::FailedPreconditionError(
            "the order was acknowledged by another delivery of it");
      }
      if (status != v1::ORDER_STATUS_DISPATCHED) {
        return absl::FailedPreconditionError(absl::StrCat("the order is ", EnumText(status)));
      }
      if (record.lease_id == delivery_id) {
        return absl::FailedPreconditionError(
            absl::StrCat("the lease of delivery ", delivery_id, " ran out at ",
                         When(record.lease_expires_at.value_or(record.db_now)),
                         ": the order is delivered again"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("delivery ", delivery_id,
                       " does not hold the order (its lease ran out and the order was delivered "
                       "again, or it was never this order's)"));
    }
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord now, LoadOrder(tx, order_id, false));
    HOTLINE_ASSIGN_OR_RETURN(v1::OrderEvent event, EventOf(tx, now.order));
    HOTLINE_RETURN_IF_ERROR(PublishOrderEvent(tx, options_.destinations, kOrderAccepted, event));
    later([this, branch_id, order_id] {
      if (absl::Status s = queue_.Remove(branch_id, order_id); !s.ok()) {
        log::Warn(kComponent, "accepted order ", order_id,
                  " still in its queue (the queue keeper will remove it): ", s.ToString());
      }
    });
    return now.order;
  });
}

absl::StatusOr<v1::Order> OrderDesk::Report(const std::string& branch_id,
                                            const std::string& order_id,
                                            const ProgressReport& report) {
  if (order_id.empty()) {
    return absl::InvalidArgumentError("order_id: required");
  }
  return Transact<v1::Order>([&](pqxx::work& tx, const Later& later) -> absl::StatusOr<v1::Order> {
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord record, LoadOrder(tx, order_id, true));
    HOTLINE_RETURN_IF_ERROR(CheckOwner(record, branch_id));
    HOTLINE_ASSIGN_OR_RETURN(
        ProgressResult result,
        ApplyProgress(ProgressStateOf(record), report, record.db_now, options_.progress));
    if (result.repeated) {
      return record.order;
    }
    HOTLINE_RETURN_IF_ERROR(SaveProgress(tx, order_id, branch_id, report, result));
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord now, LoadOrder(tx, order_id, false));
    HOTLINE_ASSIGN_OR_RETURN(v1::OrderEvent event, EventOf(tx, now.order));
    event.set_progress_step(EnumText(report.step));
    *event.mutable_step_at() = ToProtoTime(result.step_at);
    std::string note = report.note;
    if (report.step == v1::PROGRESS_STEP_CAUSE_FOUND) {
      note = absl::StrCat(EnumText(report.fault_kind), ": ", report.cause,
                          report.note.empty() ? "" : "; ", report.note);
    }
    event.set_note(note);
    absl::string_view topic =
        report.step == v1::PROGRESS_STEP_COMPLETED ? kOrderResolved : kOrderProgress;
    HOTLINE_RETURN_IF_ERROR(PublishOrderEvent(tx, options_.destinations, topic, event));
    if (report.step == v1::PROGRESS_STEP_ARRIVED) {
      std::string area_class = EnumText(record.ticket.address().area_class());
      if (area_class.empty()) {
        HOTLINE_ASSIGN_OR_RETURN(Branch branch, LoadBranch(tx, branch_id));
        area_class = EnumText(branch.area_class);
      }
      absl::Duration took = result.step_at - result.state.dispatched_at;
      later([this, area_class, took] { metrics_.Arrival(area_class, took); });
    }
    return now.order;
  });
}

absl::StatusOr<v1::Order> OrderDesk::Return(const std::string& branch_id,
                                            const std::string& order_id,
                                            const ReturnRequest& request) {
  if (order_id.empty()) {
    return absl::InvalidArgumentError("order_id: required");
  }
  HOTLINE_RETURN_IF_ERROR(ValidateReturn(request));
  return Transact<v1::Order>([&](pqxx::work& tx, const Later& later) -> absl::StatusOr<v1::Order> {
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord record, LoadOrder(tx, order_id, true));
    // Ownership first: a branch the order left sees nothing of it, its own
    // retried return included.
    HOTLINE_RETURN_IF_ERROR(CheckOwner(record, branch_id));
    if (!request.idempotency_key.empty()) {
      HOTLINE_ASSIGN_OR_RETURN(bool used,
                               ReturnKeyUsed(tx, order_id, branch_id, request.idempotency_key));
      if (used) {
        return record.order;  // the same return again (the order came back to this branch)
      }
    }
    HOTLINE_RETURN_IF_ERROR(CheckReturnable(record.order.status()));
    HOTLINE_RETURN_IF_ERROR(RecordReturn(tx, order_id, branch_id, request));
    HOTLINE_ASSIGN_OR_RETURN(std::vector<std::string> returned_by, ReturnedBy(tx, order_id));
    ReturnFacts facts;
    facts.reason = request.reason;
    facts.returned_by = branch_id;
    facts.belongs_to = std::string(absl::StripAsciiWhitespace(request.belongs_to));
    facts.customer_name = request.customer_name;
    facts.customer_phone = request.customer_phone;
    facts.returns = record.order.returns() + 1;
    facts.returned_by_all = returned_by;
    facts.paid_service = record.order.paid_service();
    HOTLINE_ASSIGN_OR_RETURN(
        std::vector<Branch> candidates,
        LoadRoutingCandidates(tx, TerritoryKeysOf(record.ticket.address()),
                              LooksLikeBranchId(facts.belongs_to) ? facts.belongs_to : ""));
    Route route = RouteAfterReturn(FactsOf(record.ticket), facts, candidates, options_.routing);
    HOTLINE_RETURN_IF_ERROR(MoveOrder(tx, order_id, route, "routing",
                                      ArrivalLimit(route, record.order.type(), candidates)));
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord now, LoadOrder(tx, order_id, false));
    HOTLINE_ASSIGN_OR_RETURN(v1::OrderEvent event, EventOf(tx, now.order));
    std::string reason = EnumText(request.reason);
    event.set_return_reason(request.note.empty() ? reason
                                                 : absl::StrCat(reason, ": ", request.note));
    event.set_returned_by(branch_id);
    event.set_belongs_to(request.belongs_to);
    event.set_customer_name(request.customer_name);
    event.set_customer_phone(request.customer_phone);
    HOTLINE_RETURN_IF_ERROR(PublishOrderEvent(tx, options_.destinations, kOrderReturned, event));
    log::Info(kComponent, "order ", now.order.order_number(), " returned by ", branch_id, ": ",
              route.reason);
    later([this, branch_id, order_id, reason] {
      if (absl::Status s = queue_.Remove(branch_id, order_id); !s.ok()) {
        log::Warn(kComponent, "returned order ", order_id, " still in the queue of ", branch_id,
                  " (the queue keeper will remove it): ", s.ToString());
      }
      metrics_.Returned(branch_id, reason);
    });
    if (route.destination == Destination::kBranch) {
      Enqueue(tx, later, now, false);
    }
    return now.order;
  });
}

absl::StatusOr<v1::Order> OrderDesk::Reassign(const std::string& by, const std::string& order_id,
                                              const std::string& branch_id,
                                              const std::string& note) {
  if (order_id.empty()) {
    return absl::InvalidArgumentError("order_id: required");
  }
  if (branch_id.empty()) {
    return absl::InvalidArgumentError("branch_id: required, the branch to take the order");
  }
  if (note.size() > 500) {
    return absl::InvalidArgumentError("note: at most 500 characters");
  }
  return Transact<v1::Order>([&](pqxx::work& tx, const Later& later) -> absl::StatusOr<v1::Order> {
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord record, LoadOrder(tx, order_id, true));
    HOTLINE_RETURN_IF_ERROR(CheckReassignable(record.order.status()));
    const OrderStatus status = record.order.status();
    if (record.order.branch_id() == branch_id &&
        (status == v1::ORDER_STATUS_DISPATCHED || status == v1::ORDER_STATUS_ACCEPTED ||
         status == v1::ORDER_STATUS_IN_PROGRESS)) {
      return record.order;  // already there (a retried call): nothing moves
    }
    HOTLINE_ASSIGN_OR_RETURN(Branch target, LoadBranch(tx, branch_id));
    if (!IsRoutingTarget(target.kind)) {
      return absl::InvalidArgumentError(
          absl::StrCat("branch_id: ", branch_id, " is a ", target.kind, ", which takes no orders"));
    }
    HOTLINE_ASSIGN_OR_RETURN(std::vector<std::string> returned_by, ReturnedBy(tx, order_id));
    Route route;
    route.destination = Destination::kBranch;
    route.branch_id = branch_id;
    route.rule = "reassigned";
    route.work_scope = record.order.work_scope();
    route.excluded = returned_by;
    route.candidates = 1;
    route.paid_service = record.order.paid_service();
    route.reason = absl::StrCat("reassigned by ", by, " to ", branch_id,
                                note.empty() ? "" : absl::StrCat(": ", note));
    int limit =
        record.order.type() == common::v1::TICKET_TYPE_REPAIR ? target.arrival_limit_minutes : 0;
    HOTLINE_RETURN_IF_ERROR(MoveOrder(tx, order_id, route, by, limit));
    HOTLINE_ASSIGN_OR_RETURN(OrderRecord now, LoadOrder(tx, order_id, false));
    HOTLINE_ASSIGN_OR_RETURN(v1::OrderEvent event, EventOf(tx, now.order));
    HOTLINE_RETURN_IF_ERROR(PublishOrderEvent(tx, options_.destinations, kOrderDispatched, event));
    if (record.order.status() == v1::ORDER_STATUS_DISPATCHED &&
        record.order.branch_id() != branch_id) {
      std::string old_branch = record.order.branch_id();
      later([this, old_branch, order_id] {
        if (absl::Status s = queue_.Remove(old_branch, order_id); !s.ok()) {
          log::Warn(kComponent, "reassigned order ", order_id, " still in the queue of ",
                    old_branch, ": ", s.ToString());
        }
      });
    }
    Enqueue(tx, later, now, false);
    return now.order;
  });
}

absl::StatusOr<v1::Order> OrderDesk::Get(const std::string& order_id) {
  if (order_id.empty()) {
    return absl::InvalidArgumentError("order_id: required");
  }
  return pg::WithTransactionResult<v1::Order>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::Order> {
        HOTLINE_ASSIGN_OR_RETURN(OrderRecord record, LoadOrder(tx, order_id, false));
        HOTLINE_RETURN_IF_ERROR(LoadOrderHistory(tx, record.order));
        return record.order;
      });
}

absl::StatusOr<OrderDesk::Page> OrderDesk::List(const OrderFilter& filter, int64_t after,
                                                int limit) {
  return pg::WithTransactionResult<Page>(pool_, [&](pqxx::work& tx) -> absl::StatusOr<Page> {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<OrderRecord> records,
                             ListOrders(tx, filter, after, limit));
    Page page;
    for (OrderRecord& record : records) {
      page.last_seq = record.seq;
      page.orders.push_back(std::move(record.order));
    }
    return page;
  });
}

void SubscribeOrderDesk(events::EventSinkService& sink, OrderDesk& desk) {
  sink.Subscribe("ticket.created", [&desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk.OnTicketCreated(tx, event);
  });
  sink.Subscribe("ticket.urged", [&desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk.OnTicketUrged(tx, event);
  });
  sink.Subscribe("ticket.cancelled", [&desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk.OnTicketCancelled(tx, event);
  });
  sink.Subscribe("callback.completed", [&desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk.OnCallbackCompleted(tx, event);
  });
}

}  // namespace hotline::dispatch
