#include "services/dispatch/api/proto_convert.h"

#include "libs/proto_time/proto_time.h"

namespace hotline::dispatch {
namespace {

std::optional<absl::Time> TimeOf(bool has, const google::protobuf::Timestamp& t) {
  if (!has) {
    return std::nullopt;
  }
  return TruncateToMicros(FromProtoTime(t));
}

}  // namespace

Branch BranchFromProto(const v1::Branch& p) {
  Branch b;
  b.branch_id = p.branch_id();
  b.name = p.name();
  b.kind = p.kind();
  b.parent_id = p.parent_id();
  b.duty_phone = p.duty_phone();
  b.area_class = p.area_class();
  b.arrival_limit_minutes = p.arrival_limit_minutes();
  for (int type : p.ticket_types()) {
    b.ticket_types.push_back(static_cast<TicketType>(type));
  }
  b.fault_scopes.assign(p.fault_scopes().begin(), p.fault_scopes().end());
  for (const v1::TerritoryEntry& t : p.territory()) {
    b.territory.push_back({t.level(), t.value()});
  }
  return b;
}

v1::Branch BranchToProto(const Branch& b) {
  v1::Branch p;
  p.set_branch_id(b.branch_id);
  p.set_name(b.name);
  p.set_kind(b.kind);
  p.set_parent_id(b.parent_id);
  p.set_duty_phone(b.duty_phone);
  p.set_area_class(b.area_class);
  p.set_arrival_limit_minutes(b.arrival_limit_minutes);
  for (TicketType type : b.ticket_types) {
    p.add_ticket_types(type);
  }
  for (const std::string& scope : b.fault_scopes) {
    p.add_fault_scopes(scope);
  }
  for (const Territory& t : b.territory) {
    v1::TerritoryEntry* entry = p.add_territory();
    entry->set_level(t.level);
    entry->set_value(t.value);
  }
  *p.mutable_updated_at() = ToProtoTime(b.updated_at);
  return p;
}

ProgressReport ReportFromProto(const v1::ReportProgressRequest& r) {
  ProgressReport report;
  report.step = r.step();
  report.at = TimeOf(r.has_at(), r.at());
  report.crew_lead = r.crew_lead();
  report.crew_phone = r.crew_phone();
  report.cause = r.cause();
  report.fault_kind = r.fault_kind();
  report.estimated_restore_at = TimeOf(r.has_estimated_restore_at(), r.estimated_restore_at());
  report.note = r.note();
  return report;
}

ReturnRequest ReturnFromProto(const v1::ReturnOrderRequest& r) {
  ReturnRequest request;
  request.reason = r.reason();
  request.belongs_to = r.belongs_to();
  request.customer_name = r.customer_name();
  request.customer_phone = r.customer_phone();
  request.note = r.note();
  request.idempotency_key = r.idempotency_key();
  return request;
}

v1::Delivery DeliveryToProto(const Delivery& d) {
  v1::Delivery p;
  p.set_delivery_id(d.delivery_id);
  *p.mutable_order() = d.record.order;
  *p.mutable_lease_expires_at() = ToProtoTime(d.lease_expires_at);
  p.set_attempt(d.attempt);
  return p;
}

}  // namespace hotline::dispatch
