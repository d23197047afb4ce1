// Hostile requests against the real services: text that is not clean text
// (NUL, control characters, bytes that are not UTF-8), blank required fields,
// over-long text, times out of range, enum numbers out of range and
// oversized messages, across every RPC that takes text or times. Each is
// refused with the status the API documents and the field named; nothing is
// stored, and every service still answers afterwards.
//
// The requests go as bytes (a generic stub), so one table covers every
// service, and bytes no client library would encode can be sent as well.

#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "hotline/common/v1/events.grpc.pb.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "hotline/outage/v1/outage.grpc.pb.h"
#include "hotline/sla/v1/sla.grpc.pb.h"
#include "hotline/survey/v1/survey.grpc.pb.h"
#include "libs/probe/probe.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/raw_call.h"

namespace hotline::testing {
namespace {

using common::v1::TicketType;
using intake::v1::CreateTicketRequest;

constexpr char kPlaceholder[] = "@@@@@@";
const std::string kNul(1, '\0');
constexpr char kSomeUuid[] = "0b7c6a52-3f1e-4c1a-9a57-2d4f5e6a7b8c";

google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  t.set_nanos(nanos);
  return t;
}

int64_t Now() { return absl::ToUnixSeconds(absl::Now()); }

// A repair create that intake accepts.
CreateTicketRequest Repair() {
  CreateTicketRequest r;
  r.set_idempotency_key("hostile-repair");
  r.set_type(TicketType::TICKET_TYPE_REPAIR);
  r.set_channel(common::v1::CHANNEL_PHONE);
  r.mutable_customer()->set_name("王五");
  r.mutable_customer()->set_phone("13912345678");
  common::v1::Address& a = *r.mutable_address();
  a.set_city("兰州市");
  a.set_county("城关区");
  a.set_street("人民路9号");
  a.set_area_class(common::v1::AREA_CLASS_URBAN);
  r.set_description("客户来电反映停电");
  intake::v1::RepairDetails& repair = *r.mutable_details()->mutable_repair();
  repair.set_symptom(intake::v1::REPAIR_SYMPTOM_NO_POWER);
  repair.set_extent(intake::v1::FAULT_EXTENT_BUILDING);
  repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
  *repair.mutable_fault_time() = At(Now() - 600);
  repair.set_fault_category(intake::v1::FAULT_CATEGORY_OTHER);
  repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  return r;
}

CreateTicketRequest Complaint() {
  CreateTicketRequest r = Repair();
  r.set_type(TicketType::TICKET_TYPE_COMPLAINT);
  r.mutable_details()->mutable_complaint()->set_category(
      intake::v1::COMPLAINT_CATEGORY_OUTAGE_AND_RESTORATION);
  return r;
}

template <typename M, typename Edit>
std::string Bytes(M message, Edit edit) {
  edit(message);
  return message.SerializeAsString();
}

template <typename M, typename Edit>
std::string NotUtf8(M message, Edit edit) {
  edit(message);
  return WithInvalidUtf8(message, kPlaceholder);
}

struct Case {
  std::string name;
  std::string service;  // the binary: intake, dispatch, sla, outage, survey
  std::string method;
  std::string role;
  std::string bytes;
  grpc::StatusCode code;
  std::string says;  // the message contains it
};

std::string Unparsable(absl::string_view type) { return absl::StrCat("not a valid ", type); }

std::vector<Case> Cases() {
  const std::string tickets = "/hotline.intake.v1.TicketIntake/";
  const std::string calls = "/hotline.intake.v1.CallCenter/";
  const std::string dispatch = "/hotline.dispatch.v1.Dispatch/";
  const std::string branch = "/hotline.dispatch.v1.BranchOrders/";
  const auto kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
  const std::string control = ": must not hold control characters";
  using intake::v1::CallEvent;
  using intake::v1::SetAgentStateRequest;
  std::vector<Case> c;

  // TicketIntake.
  const std::string create = tickets + "CreateTicket";
  c.push_back(
      {"NUL in a name", "intake", create, "agent",
       Bytes(Repair(), [&](auto& r) { r.mutable_customer()->set_name("王" + kNul + "五"); }),
       kInvalid, "customer.name" + control});
  c.push_back({"NUL in a description", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.set_description("停电" + kNul + "三小时"); }),
               kInvalid, "description" + control});
  c.push_back({"NUL in an address", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.mutable_address()->set_street("人民路" + kNul); }),
               kInvalid, "address.street" + control});
  c.push_back({"ESC in an address", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.mutable_address()->set_county("城关\x1b[2J区"); }),
               kInvalid, "address.county" + control});
  c.push_back({"line feed in a name", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.mutable_customer()->set_name("王\n五"); }),
               kInvalid, "customer.name" + control});
  c.push_back(
      {"C1 control in a landmark", "intake", create, "agent",
       Bytes(Repair(), [&](auto& r) { r.mutable_address()->set_landmark("变压器\xc2\x85旁"); }),
       kInvalid, "address.landmark" + control});
  c.push_back({"carriage return in free text", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.set_description("第一行\r\n第二行"); }), kInvalid,
               "description" + control});
  c.push_back({"not UTF-8 in a name", "intake", create, "agent",
               NotUtf8(Repair(), [&](auto& r) { r.mutable_customer()->set_name(kPlaceholder); }),
               kInvalid, Unparsable("hotline.intake.v1.CreateTicketRequest")});
  c.push_back({"not UTF-8 in a description", "intake", create, "agent",
               NotUtf8(Repair(), [&](auto& r) { r.set_description(kPlaceholder); }), kInvalid,
               Unparsable("hotline.intake.v1.CreateTicketRequest")});
  c.push_back({"bytes that are no message", "intake", create, "agent",
               std::string("\x0a\x7f\x01\x02", 4), kInvalid,
               Unparsable("hotline.intake.v1.CreateTicketRequest")});
  c.push_back({"blank name", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.mutable_customer()->set_name("  \t "); }), kInvalid,
               "customer.name: required"});
  c.push_back(
      {"blank street (ideographic spaces)", "intake", create, "agent",
       Bytes(Repair(),
             [&](auto& r) { r.mutable_address()->set_street(" \xe3\x80\x80\xe3\x80\x80 "); }),
       kInvalid, "address.street: required"});
  c.push_back({"blank complaint description", "intake", create, "agent",
               Bytes(Complaint(), [&](auto& r) { r.set_description(" \n\n "); }), kInvalid,
               "description: required"});
  c.push_back(
      {"over-long name", "intake", create, "agent",
       Bytes(Repair(), [&](auto& r) { r.mutable_customer()->set_name(std::string(51, 'w')); }),
       kInvalid, "customer.name: at most 50 characters"});
  c.push_back(
      {"over-long landmark", "intake", create, "agent",
       Bytes(Repair(), [&](auto& r) { r.mutable_address()->set_landmark(std::string(5000, 'x')); }),
       kInvalid, "address.landmark: at most"});
  c.push_back({"fault in year 1", "intake", create, "agent",
               Bytes(Repair(),
                     [&](auto& r) {
                       *r.mutable_details()->mutable_repair()->mutable_fault_time() =
                           At(-62135596800);
                     }),
               kInvalid, "details.repair.fault_time"});
  c.push_back({"fault in 1969", "intake", create, "agent",
               Bytes(Repair(),
                     [&](auto& r) {
                       *r.mutable_details()->mutable_repair()->mutable_fault_time() =
                           At(-86400 * 30);
                     }),
               kInvalid, "details.repair.fault_time"});
  c.push_back({"fault a day ahead", "intake", create, "agent",
               Bytes(Repair(),
                     [&](auto& r) {
                       *r.mutable_details()->mutable_repair()->mutable_fault_time() =
                           At(Now() + 86400);
                     }),
               kInvalid, "details.repair.fault_time"});
  c.push_back({"fault time with negative nanos", "intake", create, "agent",
               Bytes(Repair(),
                     [&](auto& r) {
                       *r.mutable_details()->mutable_repair()->mutable_fault_time() =
                           At(Now() - 600, -1);
                     }),
               kInvalid, "details.repair.fault_time"});
  c.push_back({"ticket type 99", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.set_type(static_cast<TicketType>(99)); }), kInvalid,
               "type: unknown value 99"});
  c.push_back(
      {"channel -5", "intake", create, "agent",
       Bytes(Repair(), [&](auto& r) { r.set_channel(static_cast<common::v1::Channel>(-5)); }),
       kInvalid, "channel"});
  c.push_back({"symptom 1234", "intake", create, "agent",
               Bytes(Repair(),
                     [&](auto& r) {
                       r.mutable_details()->mutable_repair()->set_symptom(
                           static_cast<intake::v1::RepairSymptom>(1234));
                     }),
               kInvalid, "details.repair.symptom"});
  c.push_back({"a 5 MB message", "intake", create, "agent",
               Bytes(Repair(), [&](auto& r) { r.set_description(std::string(5 << 20, 'a')); }),
               grpc::StatusCode::RESOURCE_EXHAUSTED, ""});
  intake::v1::GetTicketRequest get;
  c.push_back({"NUL in a ticket number", "intake", tickets + "GetTicket", "agent",
               Bytes(get, [&](auto& r) { r.set_ticket_number("GD-20260101" + kNul); }), kInvalid,
               "ticket_number" + control});
  intake::v1::ListTicketsRequest list;
  c.push_back({"NUL in a list filter", "intake", tickets + "ListTickets", "agent",
               Bytes(list, [&](auto& r) { r.set_county("城关" + kNul); }), kInvalid,
               "county" + control});
  c.push_back(
      {"status 77 in a list filter", "intake", tickets + "ListTickets", "agent",
       Bytes(list, [&](auto& r) { r.add_statuses(static_cast<common::v1::TicketStatus>(77)); }),
       kInvalid, "statuses[0]"});
  c.push_back(
      {"list from year 10000", "intake", tickets + "ListTickets", "agent",
       Bytes(list, [&](auto& r) { *r.mutable_created()->mutable_from() = At(253402300800); }),
       kInvalid, "created.from"});
  intake::v1::AddNoteRequest note;
  note.set_ticket_id(kSomeUuid);
  c.push_back({"NUL in a note", "intake", tickets + "AddNote", "agent",
               Bytes(note, [&](auto& r) { r.set_text("回访" + kNul); }), kInvalid,
               "text" + control});
  c.push_back({"blank note", "intake", tickets + "AddNote", "agent",
               Bytes(note, [&](auto& r) { r.set_text(" \n\t \n"); }), kInvalid, "text: required"});
  intake::v1::UrgeTicketRequest urge;
  urge.set_idempotency_key("hostile-urge");
  urge.set_ticket_id(kSomeUuid);
  urge.set_channel(common::v1::CHANNEL_PHONE);
  c.push_back({"SOH in an urging note", "intake", tickets + "UrgeTicket", "agent",
               Bytes(urge, [&](auto& r) { r.set_note("快点\x01"); }), kInvalid, "note" + control});
  intake::v1::CancelTicketRequest cancel;
  cancel.set_ticket_id(kSomeUuid);
  c.push_back({"blank cancel reason", "intake", tickets + "CancelTicket", "shift_leader",
               Bytes(cancel, [&](auto& r) { r.set_reason("\xe3\x80\x80 "); }), kInvalid,
               "reason: required"});
  c.push_back({"NUL in a cancel reason", "intake", tickets + "CancelTicket", "shift_leader",
               Bytes(cancel, [&](auto& r) { r.set_reason(kNul); }), kInvalid, "reason" + control});
  intake::v1::GetHistoryRequest history;
  c.push_back({"not UTF-8 in a ticket id", "intake", tickets + "GetHistory", "agent",
               NotUtf8(history, [&](auto& r) { r.set_ticket_id(kPlaceholder); }), kInvalid,
               Unparsable("hotline.intake.v1.GetHistoryRequest")});

  // CallCenter.
  CallEvent event;
  event.set_event_id("hostile-event-1");
  event.set_call_id("hostile-call-1");
  event.set_queue("repair");
  *event.mutable_at() = At(Now() - 5);
  event.mutable_offered();
  c.push_back({"NUL in a call id", "intake", calls + "RecordCallEvent", "service",
               Bytes(event, [&](auto& r) { r.set_call_id("c" + kNul); }), kInvalid,
               "call_id" + control});
  c.push_back({"call event in 2200", "intake", calls + "RecordCallEvent", "service",
               Bytes(event, [&](auto& r) { *r.mutable_at() = At(7258118400); }), kInvalid, "at:"});
  c.push_back({"not UTF-8 in a queue", "intake", calls + "RecordCallEvent", "service",
               NotUtf8(event, [&](auto& r) { r.set_queue(kPlaceholder); }), kInvalid,
               Unparsable("hotline.intake.v1.CallEvent")});
  c.push_back({"blank event id", "intake", calls + "RecordCallEvent", "service",
               Bytes(event, [&](auto& r) { r.set_event_id("   "); }), kInvalid, "event_id"});
  SetAgentStateRequest agent;
  agent.set_agent_id("agent-hostile");
  agent.set_state(intake::v1::AGENT_STATE_LOGGED_IN);
  c.push_back({"NUL in a queue list", "intake", calls + "SetAgentState", "service",
               Bytes(agent,
                     [&](auto& r) {
                       r.add_queues("repair");
                       r.add_queues("x" + kNul);
                     }),
               kInvalid, "queues[1]" + control});
  c.push_back({"agent state 42", "intake", calls + "SetAgentState", "service",
               Bytes(agent,
                     [&](auto& r) {
                       r.add_queues("repair");
                       r.set_state(static_cast<intake::v1::AgentState>(42));
                     }),
               kInvalid, "state"});
  intake::v1::GetCallRequest get_call;
  c.push_back({"tab in a call id", "intake", calls + "GetCall", "service",
               Bytes(get_call, [&](auto& r) { r.set_call_id("a\tb"); }), kInvalid,
               "call_id" + control});
  intake::v1::GetCallStatsRequest stats;
  c.push_back({"stats from year 1", "intake", calls + "GetCallStats", "supervisor",
               Bytes(stats,
                     [&](auto& r) {
                       *r.mutable_period()->mutable_from() = At(-62135596800);
                       *r.mutable_period()->mutable_to() = At(Now());
                     }),
               kInvalid, "period.from"});
  intake::v1::GetLiveQueueRequest live;
  c.push_back({"NUL in a live queue name", "intake", calls + "GetLiveQueue", "supervisor",
               Bytes(live, [&](auto& r) { r.set_queue(kNul); }), kInvalid, "queue" + control});
  c.push_back({"NUL in a watched queue name", "intake", calls + "WatchLiveQueue", "supervisor",
               Bytes(live, [&](auto& r) { r.set_queue("repair" + kNul); }), kInvalid,
               "queue" + control});
  c.push_back({"not UTF-8 in a watched queue name", "intake", calls + "WatchLiveQueue",
               "supervisor", NotUtf8(live, [&](auto& r) { r.set_queue(kPlaceholder); }), kInvalid,
               Unparsable("hotline.intake.v1.GetLiveQueueRequest")});

  // EventSink.
  common::v1::DeliverEventsRequest deliver;
  c.push_back({"NUL in an event id", "intake", "/hotline.common.v1.EventSink/DeliverEvents",
               "service",
               Bytes(deliver,
                     [&](auto& r) {
                       r.add_events()->set_event_id("e" + kNul);
                       r.mutable_events(0)->set_topic("order.dispatched");
                     }),
               kInvalid, "events[0].event_id" + control});
  c.push_back({"not UTF-8 in a topic", "intake", "/hotline.common.v1.EventSink/DeliverEvents",
               "service",
               NotUtf8(deliver, [&](auto& r) { r.add_events()->set_topic(kPlaceholder); }),
               kInvalid, Unparsable("hotline.common.v1.DeliverEventsRequest")});

  // Dispatch administration.
  dispatch::v1::Branch branch_message;
  branch_message.set_branch_id("BR-HOSTILE");
  branch_message.set_name("城关供电所");
  c.push_back({"NUL in a branch name", "dispatch", dispatch + "UpsertBranch", "admin",
               Bytes(branch_message, [&](auto& r) { r.set_name("城关" + kNul); }), kInvalid,
               "name" + control});
  c.push_back({"blank branch name", "dispatch", dispatch + "UpsertBranch", "admin",
               Bytes(branch_message, [&](auto& r) { r.set_name("  "); }), kInvalid, "name"});
  c.push_back({"over-long branch name", "dispatch", dispatch + "UpsertBranch", "admin",
               Bytes(branch_message, [&](auto& r) { r.set_name(std::string(300, 'b')); }), kInvalid,
               "name"});
  dispatch::v1::GetBranchRequest get_branch;
  c.push_back({"unit separator in a branch id", "dispatch", dispatch + "GetBranch", "admin",
               Bytes(get_branch,
                     [&](auto& r) {
                       r.set_branch_id(
                           "BR\x1f"
                           "1");
                     }),
               kInvalid, "branch_id" + control});
  dispatch::v1::ListOrdersRequest list_orders;
  c.push_back({"NUL in an order filter", "dispatch", dispatch + "ListOrders", "admin",
               Bytes(list_orders, [&](auto& r) { r.set_ticket_id(kNul); }), kInvalid,
               "ticket_id" + control});
  dispatch::v1::GetOrderRequest get_order;
  c.push_back({"not UTF-8 in an order id", "dispatch", dispatch + "GetOrder", "admin",
               NotUtf8(get_order, [&](auto& r) { r.set_order_id(kPlaceholder); }), kInvalid,
               Unparsable("hotline.dispatch.v1.GetOrderRequest")});
  dispatch::v1::ReassignOrderRequest reassign;
  reassign.set_order_id(kSomeUuid);
  reassign.set_branch_id("BR-1");
  c.push_back({"NUL in a reassignment note", "dispatch", dispatch + "ReassignOrder", "dispatcher",
               Bytes(reassign, [&](auto& r) { r.set_note("转" + kNul); }), kInvalid,
               "note" + control});

  // Branch systems.
  dispatch::v1::AckOrderRequest ack;
  ack.set_order_id(kSomeUuid);
  c.push_back({"NUL in a delivery id", "dispatch", branch + "AckOrder", "branch",
               Bytes(ack, [&](auto& r) { r.set_delivery_id(kNul + "d"); }), kInvalid,
               "delivery_id" + control});
  dispatch::v1::ReportProgressRequest progress;
  progress.set_order_id(kSomeUuid);
  progress.set_step(dispatch::v1::PROGRESS_STEP_CREW_ASSIGNED);
  c.push_back({"NUL in a crew lead", "dispatch", branch + "ReportProgress", "branch",
               Bytes(progress,
                     [&](auto& r) {
                       r.set_crew_lead("李" + kNul);
                       r.set_crew_phone("13912345678");
                     }),
               kInvalid, "crew_lead" + control});
  dispatch::v1::ReturnOrderRequest ret;
  ret.set_order_id(kSomeUuid);
  c.push_back({"NUL in a customer name on return", "dispatch", branch + "ReturnOrder", "branch",
               Bytes(ret, [&](auto& r) { r.set_customer_name(kNul); }), kInvalid,
               "customer_name" + control});
  c.push_back({"carriage return in a return note", "dispatch", branch + "ReturnOrder", "branch",
               Bytes(ret, [&](auto& r) { r.set_note("不属于\r本所"); }), kInvalid,
               "note" + control});
  dispatch::v1::PollOrdersRequest poll;
  c.push_back({"NUL in a poll cursor", "dispatch", branch + "PollOrders", "branch",
               Bytes(poll, [&](auto& r) { r.set_cursor(kNul); }), kInvalid, "cursor" + control});
  dispatch::v1::PullOrdersRequest pull;
  c.push_back({"NUL in a pull cursor", "dispatch", branch + "PullOrders", "branch",
               Bytes(pull, [&](auto& r) { r.set_cursor("c" + kNul); }), kInvalid,
               "cursor" + control});

  // SlaTracker.
  const std::string sla = "/hotline.sla.v1.SlaTracker/";
  sla::v1::GetClocksRequest clocks;
  c.push_back({"not UTF-8 to sla", "sla", sla + "GetClocks", "supervisor",
               NotUtf8(clocks, [&](auto& r) { r.set_ticket_id(kPlaceholder); }), kInvalid,
               Unparsable("hotline.sla.v1.GetClocksRequest")});
  sla::v1::StartClockRequest start;
  start.set_idempotency_key("hostile-clock");
  start.set_ticket_id(kSomeUuid);
  start.set_ticket_type(TicketType::TICKET_TYPE_COMPLAINT);
  start.set_stage(sla::v1::STAGE_COMPLAINT_RESULT);
  c.push_back({"an unknown stage", "sla", sla + "StartClock", "agent",
               Bytes(start, [&](auto& r) { r.set_stage(static_cast<sla::v1::Stage>(77)); }),
               kInvalid, "stage: unknown value 77"});
  c.push_back({"no stage", "sla", sla + "StartClock", "agent",
               Bytes(start, [&](auto& r) { r.set_stage(sla::v1::STAGE_UNSPECIFIED); }), kInvalid,
               "stage: required"});
  c.push_back({"a clock started in the year 1", "sla", sla + "StartClock", "agent",
               Bytes(start, [&](auto& r) { *r.mutable_started_at() = At(-62135596800); }), kInvalid,
               "started_at: must lie in"});
  c.push_back({"a clock started tomorrow", "sla", sla + "StartClock", "agent",
               Bytes(start, [&](auto& r) { *r.mutable_started_at() = At(Now() + 86400); }),
               kInvalid, "started_at: must not be more than"});
  c.push_back({"a ticket id that is no id", "sla", sla + "StartClock", "agent",
               Bytes(start, [&](auto& r) { r.set_ticket_id("ticket 42"); }), kInvalid,
               "ticket_id: not a ticket id"});
  c.push_back({"NUL in a clock's unit", "sla", sla + "StartClock", "agent",
               Bytes(start, [&](auto& r) { r.set_unit("BR" + kNul); }), kInvalid,
               "unit" + control});
  sla::v1::SetPolicyRequest policy;
  policy.mutable_policy()->set_stage(sla::v1::STAGE_DISPATCH);
  policy.mutable_policy()->set_measure(sla::v1::MEASURE_ELAPSED);
  c.push_back(
      {"a negative limit", "sla", sla + "SetPolicy", "admin",
       Bytes(policy, [&](auto& r) { r.mutable_policy()->mutable_limit()->set_seconds(-300); }),
       kInvalid, "policy.limit: must be positive"});
  c.push_back({"a warning past the limit", "sla", sla + "SetPolicy", "admin",
               Bytes(policy,
                     [&](auto& r) {
                       r.mutable_policy()->mutable_limit()->set_seconds(300);
                       r.mutable_policy()->add_warn_at(1.5);
                     }),
               kInvalid, "policy.warn_at[0]"});
  sla::v1::SetCalendarRequest calendar;
  c.push_back({"a day that is holiday and make-up day", "sla", sla + "SetCalendar", "admin",
               Bytes(calendar,
                     [&](auto& r) {
                       r.mutable_calendar()->add_holidays("2026-10-01");
                       r.mutable_calendar()->add_make_up_days("2026-10-01");
                     }),
               kInvalid, "calendar.make_up_days[0]"});
  c.push_back({"a holiday that is no date", "sla", sla + "SetCalendar", "admin",
               Bytes(calendar, [&](auto& r) { r.mutable_calendar()->add_holidays("2026-02-30"); }),
               kInvalid, "calendar.holidays[0]"});
  sla::v1::StopClockRequest stop;
  stop.mutable_clock()->set_ticket_id(kSomeUuid);
  c.push_back(
      {"a stop of no stage", "sla", sla + "StopClock", "agent",
       Bytes(stop, [&](auto& r) { r.mutable_clock()->set_stage(sla::v1::STAGE_UNSPECIFIED); }),
       kInvalid, "clock.stage: required"});
  sla::v1::ListOverdueRequest overdue;
  c.push_back({"an overdue page of a thousand", "sla", sla + "ListOverdue", "supervisor",
               Bytes(overdue, [&](auto& r) { r.mutable_page()->set_page_size(1000); }), kInvalid,
               "page.page_size"});
  c.push_back({"a malformed overdue cursor", "sla", sla + "ListOverdue", "supervisor",
               Bytes(overdue, [&](auto& r) { r.mutable_page()->set_cursor("xyz"); }), kInvalid,
               "page.cursor: malformed"});

  sla::v1::GetPoliciesRequest policies;
  c.push_back({"policies of an unknown stage", "sla", sla + "GetPolicies", "supervisor",
               Bytes(policies, [&](auto& r) { r.set_stage(static_cast<sla::v1::Stage>(77)); }),
               kInvalid, "stage: unknown value 77"});
  sla::v1::GetCalendarRequest region;
  c.push_back({"NUL in a calendar's region", "sla", sla + "GetCalendar", "agent",
               Bytes(region, [&](auto& r) { r.set_region("广东" + kNul); }), kInvalid,
               "region" + control});
  sla::v1::PauseClockRequest pause;
  pause.mutable_clock()->set_ticket_id(kSomeUuid);
  pause.mutable_clock()->set_stage(sla::v1::STAGE_COMPLAINT_RESULT);
  c.push_back({"NUL in a pause reason", "sla", sla + "PauseClock", "agent",
               Bytes(pause, [&](auto& r) { r.set_reason("等客户" + kNul); }), kInvalid,
               "reason" + control});
  c.push_back({"a pause in the year 3000", "sla", sla + "PauseClock", "agent",
               Bytes(pause, [&](auto& r) { *r.mutable_at() = At(32503680000); }), kInvalid,
               "at: must lie in"});
  sla::v1::ResumeClockRequest resume;
  c.push_back(
      {"a resume of no ticket", "sla", sla + "ResumeClock", "agent",
       Bytes(resume, [&](auto& r) { r.mutable_clock()->set_stage(sla::v1::STAGE_DISPATCH); }),
       kInvalid, "clock.ticket_id: required"});
  sla::v1::ComputeDeadlinesRequest compute;
  compute.set_ticket_type(TicketType::TICKET_TYPE_COMPLAINT);
  *compute.mutable_start_at() = At(Now());
  c.push_back({"deadlines of an unknown ticket type", "sla", sla + "ComputeDeadlines", "service",
               Bytes(compute, [&](auto& r) { r.set_ticket_type(static_cast<TicketType>(99)); }),
               kInvalid, "ticket_type"});
  c.push_back({"deadlines from the year 1", "sla", sla + "ComputeDeadlines", "service",
               Bytes(compute, [&](auto& r) { *r.mutable_start_at() = At(-62135596800); }), kInvalid,
               "start_at: must lie in"});
  sla::v1::GetShiftReportRequest report;
  c.push_back({"a shift report of the year 3000", "sla", sla + "GetShiftReport", "supervisor",
               Bytes(report, [&](auto& r) { *r.mutable_at() = At(32503680000); }), kInvalid,
               "at: must lie in"});

  const std::string outage = "/hotline.outage.v1.OutageNotices/";
  outage::v1::CheckAddressRequest check;
  c.push_back({"NUL in an address to check", "outage", outage + "CheckAddress", "agent",
               Bytes(check, [&](auto& r) { r.mutable_address()->set_township("石溪" + kNul); }),
               kInvalid, "address.township" + control});
  c.push_back({"a check of no place", "outage", outage + "CheckAddress", "agent",
               Bytes(check, [](auto&) {}), kInvalid, "address"});
  c.push_back({"a check in the year 3000", "outage", outage + "CheckAddress", "agent",
               Bytes(check,
                     [&](auto& r) {
                       r.set_transformer_area("TA-1");
                       *r.mutable_at() = At(32503680000);
                     }),
               kInvalid, "at: must lie in"});
  outage::v1::RestoreNoticeRequest restore;
  c.push_back({"a restore of no notice", "outage", outage + "RestoreNotice", "dispatcher",
               Bytes(restore, [](auto&) {}), kInvalid, "notice_id: required"});
  c.push_back({"a restore of a notice that is no UUID", "outage", outage + "RestoreNotice",
               "dispatcher", Bytes(restore, [](auto& r) { r.set_notice_id("'; DROP TABLE x;--"); }),
               kInvalid, "notice_id"});
  outage::v1::ListNoticesRequest notices;
  c.push_back({"a notice page of a thousand", "outage", outage + "ListNotices", "agent",
               Bytes(notices, [&](auto& r) { r.mutable_page()->set_page_size(1000); }), kInvalid,
               "page.page_size"});
  outage::v1::GetReliabilityRequest reliability;
  c.push_back({"a reliability period that ends before it starts", "outage",
               outage + "GetReliability", "supervisor",
               Bytes(reliability,
                     [&](auto& r) {
                       *r.mutable_period_start() = At(Now());
                       *r.mutable_period_end() = At(Now() - 3600);
                     }),
               kInvalid, "period_end"});

  // A request that is not a message is refused as such.
  outage::v1::PublishNoticeRequest notice;
  c.push_back({"not UTF-8 to outage", "outage", "/hotline.outage.v1.OutageNotices/PublishNotice",
               "dispatcher", NotUtf8(notice, [&](auto& r) { r.set_idempotency_key(kPlaceholder); }),
               kInvalid, Unparsable("hotline.outage.v1.PublishNoticeRequest")});
  // survey: a manual callback without a phone, an attempt on no task, a
  // period that ends before it starts.
  const std::string survey_rpc = "/hotline.survey.v1.CallbackSurveys/";
  survey::v1::ScheduleCallbackRequest schedule;
  schedule.set_idempotency_key("hostile-callback");
  schedule.set_ticket_id("6f1c2d3e-4a5b-4c6d-8e7f-901234567890");
  schedule.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
  schedule.mutable_customer()->set_name("王芳");
  schedule.set_reason("asked for a call");
  c.push_back({"a manual callback without a phone", "survey", survey_rpc + "ScheduleCallback",
               "agent", schedule.SerializeAsString(), kInvalid, "customer.phone"});
  survey::v1::RecordAttemptRequest no_task;
  no_task.set_task_id("'; DROP TABLE survey.callbacks; --");
  no_task.set_result(survey::v1::ATTEMPT_RESULT_BUSY);
  c.push_back({"an attempt on a task id that is SQL", "survey", survey_rpc + "RecordAttempt",
               "agent", no_task.SerializeAsString(), kInvalid, "task_id"});
  survey::v1::GetSurveyStatsRequest backwards;
  *backwards.mutable_from() = At(Now());
  *backwards.mutable_to() = At(Now() - 3600);
  c.push_back({"survey figures over a period that ends before it starts", "survey",
               survey_rpc + "GetSurveyStats", "supervisor", backwards.SerializeAsString(), kInvalid,
               "to"});
  survey::v1::RecordAttemptRequest attempt;
  c.push_back({"not UTF-8 to survey", "survey", "/hotline.survey.v1.CallbackSurveys/RecordAttempt",
               "agent", NotUtf8(attempt, [&](auto& r) { r.set_note(kPlaceholder); }), kInvalid,
               Unparsable("hotline.survey.v1.RecordAttemptRequest")});
  return c;
}

// Rows in the tables a hostile request could have written to.
std::map<std::string, int64_t> StoredRows(const std::string& pg_uri) {
  static const char* const kTables[] = {"intake.tickets",
                                        "intake.ticket_history",
                                        "intake.call_events",
                                        "intake.call_agents",
                                        "intake.calls",
                                        "intake.inbox",
                                        "dispatch.branches",
                                        "dispatch.territories",
                                        "dispatch.orders",
                                        "dispatch.order_progress",
                                        "dispatch.order_returns",
                                        "dispatch.inbox",
                                        "sla.clocks",
                                        "sla.policies",
                                        "sla.calendar_days",
                                        "sla.calendars",
                                        "sla.actions",
                                        "survey.callbacks",
                                        "survey.callback_history"};
  pqxx::connection connection(pg_uri);
  pqxx::nontransaction tx(connection);
  std::map<std::string, int64_t> rows;
  for (const char* table : kTables) {
    if (tx.exec1(absl::StrCat("SELECT to_regclass('", table, "') IS NOT NULL"))[0].as<bool>()) {
      rows[table] = tx.exec1(absl::StrCat("SELECT count(*) FROM ", table))[0].as<int64_t>();
    }
  }
  return rows;
}

class HostileInputTest : public SharedBackendTest {};

TEST_F(HostileInputTest, EveryHostileRequestIsRefusedAndNothingIsStored) {
  const std::vector<Case> cases = Cases();
  ASSERT_GE(cases.size(), 40u);
  const std::map<std::string, int64_t> before = StoredRows(backend().pg_uri());
  ASSERT_FALSE(before.empty());

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    grpc::Status s =
        RawUnaryCall(backend().Channel(c.service), c.method, c.bytes, backend().Token(c.role));
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    EXPECT_TRUE(absl::StrContains(s.error_message(), c.says))
        << c.name << ": " << s.error_message();
    // No answer carries a database's words.
    EXPECT_FALSE(absl::StrContains(s.error_message(), "SQLSTATE")) << s.error_message();
  }

  EXPECT_EQ(StoredRows(backend().pg_uri()), before);
  for (const std::string& name : Backend::ServiceNames()) {
    absl::StatusOr<std::string> health = probe::CheckHealth(backend().Channel(name), "");
    ASSERT_TRUE(health.ok()) << name << ": " << health.status();
    EXPECT_EQ(*health, "SERVING") << name;
  }
  // And the same RPC with clean text still works.
  grpc::Status ok =
      RawUnaryCall(backend().Channel("intake"), "/hotline.intake.v1.TicketIntake/CreateTicket",
                   Repair().SerializeAsString(), backend().Token("agent"));
  EXPECT_TRUE(ok.ok()) << ok.error_message() << backend().Log("intake");
}

TEST_F(HostileInputTest, AStreamedBatchWithAControlCharacterFailsTheStreamNamingIt) {
  auto stub = intake::v1::CallCenter::NewStub(backend().Channel("intake"));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
  context.AddMetadata("authorization", "Bearer " + backend().Token("service"));
  intake::v1::StreamCallEventsResponse response;
  auto writer = stub->StreamCallEvents(&context, &response);
  intake::v1::CallEventBatch batch;
  intake::v1::CallEvent& e = *batch.add_events();
  e.set_event_id("hostile-stream-1");
  e.set_call_id("hostile-stream" + kNul);
  e.set_queue("repair");
  *e.mutable_at() = At(Now() - 5);
  e.mutable_offered();
  writer->Write(batch);
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(s.error_message(),
                               "batch 1: events[0].call_id: must not hold control characters"))
      << s.error_message();
}

TEST_F(HostileInputTest, AStreamedBatchThatIsNotAMessageFailsTheStreamNamingIt) {
  intake::v1::CallEventBatch batch;
  intake::v1::CallEvent& e = *batch.add_events();
  e.set_event_id("hostile-raw-stream-1");
  e.set_call_id("PLACEHOLDER-CALL-ID");
  e.set_queue("repair");
  *e.mutable_at() = At(Now() - 5);
  e.mutable_offered();
  grpc::Status s = RawClientStreamCall(
      backend().Channel("intake"), "/hotline.intake.v1.CallCenter/StreamCallEvents",
      {WithInvalidUtf8(batch, "PLACEHOLDER-CALL-ID")}, backend().Token("service"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "batch 1: not a valid")) << s.error_message();
  absl::StatusOr<std::string> health = probe::CheckHealth(backend().Channel("intake"), "");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, "SERVING");
}

}  // namespace
}  // namespace hotline::testing
