#include "services/dispatch/desk/order_events.h"

#include <google/protobuf/util/time_util.h>

#include "libs/events/publisher.h"
#include "libs/proto_enum/enum_text.h"
#include "services/dispatch/domain/vocabulary.h"

namespace hotline::dispatch {

v1::OrderEvent OrderEventOf(const v1::Order& order, const std::string& superior_branch_id) {
  v1::OrderEvent e;
  e.set_order_id(order.order_id());
  e.set_order_number(order.order_number());
  e.set_ticket_id(order.ticket_id());
  e.set_branch_id(order.branch_id());
  *e.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  e.set_progress_step(EnumText(order.progress().last_step()));
  if (order.progress().has_estimated_restore_at()) {
    *e.mutable_estimated_restore_at() = order.progress().estimated_restore_at();
  }
  e.set_returns(order.returns());
  e.set_with_dispatcher(order.with_dispatcher());
  e.set_advice(order.advice());
  e.set_route_reason(order.routing().reason());
  if (order.has_arrival_due_at()) {
    *e.mutable_arrival_due_at() = order.arrival_due_at();
  }
  e.set_crew_lead(order.progress().crew_lead());
  e.set_crew_phone(order.progress().crew_phone());
  e.set_paid_service(order.paid_service());
  e.set_work_scope(order.work_scope());
  e.set_ticket_number(order.ticket_number());
  e.set_ticket_type(order.type());
  e.set_area_class(order.address().area_class());
  e.set_superior_branch_id(superior_branch_id);
  e.set_reopens(order.reopens());
  return e;
}

absl::Status PublishOrderEvent(pqxx::work& tx, const std::vector<std::string>& destinations,
                               absl::string_view topic, const v1::OrderEvent& event) {
  if (destinations.empty()) {
    return absl::OkStatus();
  }
  return events::Publish(tx, "dispatch", destinations, topic, event.order_id(), event);
}

}  // namespace hotline::dispatch
