// hotlinectl ticket create | show: tickets of the intake service.

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "libs/text/uuid.h"
#include "tools/hotlinectl/command.h"
#include "tools/hotlinectl/table.h"
#include "tools/hotlinectl/values.h"

namespace hotline::ctl {
namespace {

namespace iv1 = hotline::intake::v1;
namespace cv1 = hotline::common::v1;

std::vector<FlagSpec> CreateFlags() {
  return {
      {"type", "TYPE",
       "repair, consultation, query, complaint, report, suggestion, praise, application, "
       "urging (required)"},
      {"channel", "CHANNEL",
       "phone (default), ivr_voicemail, web, app, wechat, sms, transfer_12345"},
      {"customer", "NAME", "the customer's name"},
      {"phone", "PHONE", "the customer's phone"},
      {"account", "NUMBER", "the customer's power account"},
      {"address", "PATH", "Province/City/County/Township/Village/Street"},
      {"landmark", "TEXT", "what helps a crew find the place"},
      {"feeder", "ID", "the 10 kV feeder, when known"},
      {"transformer-area", "ID", "the transformer area, when known"},
      {"area-class", "CLASS", "urban, rural or remote"},
      {"description", "TEXT", "what the customer said"},
      {"idempotency-key", "KEY", "default: a new random key (a retry with the same key is safe)"},
      // repairs
      {"symptom", "SYMPTOM",
       "repair: no_power (default), flicker, low_voltage, sparks, line_down, smoke_or_fire, "
       "meter_fault, other"},
      {"extent", "EXTENT", "repair: one_household (default), building, area"},
      {"owner", "OWNER", "repair: who owns the equipment: utility, customer, unknown (default)"},
      {"fault-time", "TIME", "repair: when it started (default now)"},
      {"fault-category", "CATEGORY", "repair: equipment, line, other (default)"},
      {"fault-scope", "SCOPE", "repair: public_network (default), meter_box, hv_metering"},
      {"paid-service", "",
       "repair of customer-owned equipment: the customer asks for a paid repair"},
      // consultations and queries
      {"topic", "TEXT", "consultation, query: the topic (required)"},
      {"resolution", "HOW", "consultation, query: answered_at_once (default) or needs_department"},
      {"answer", "TEXT", "consultation, query: what the agent answered"},
      {"complaint-category", "CATEGORY",
       "complaint: grid_construction, service, supply_quality, outage_and_restoration, business"},
      {"subject", "SUBJECT", "report: misconduct or theft"},
      {"anonymous", "", "report: the reporter stays anonymous"},
      {"reporter-name", "NAME", "report: the reporter's name"},
      {"reporter-phone", "PHONE", "report: the reporter's phone"},
      {"application-kind", "KIND",
       "application: new_connection, capacity_increase, capacity_decrease, name_transfer, "
       "tariff_change, meter_relocation, other"},
      {"urges", "TICKET_ID", "urging: the earlier ticket"},
  };
}

absl::Status FillRepair(const ParsedArgs& args, iv1::RepairDetails& repair) {
  iv1::RepairSymptom symptom;
  HOTLINE_ASSIGN_OR_RETURN(
      symptom, ParseEnumFlag<iv1::RepairSymptom>("symptom", args.Get("symptom", "no_power")));
  repair.set_symptom(symptom);
  iv1::FaultExtent extent;
  HOTLINE_ASSIGN_OR_RETURN(
      extent, ParseEnumFlag<iv1::FaultExtent>("extent", args.Get("extent", "one_household")));
  repair.set_extent(extent);
  cv1::EquipmentOwner owner;
  HOTLINE_ASSIGN_OR_RETURN(
      owner, ParseEnumFlag<cv1::EquipmentOwner>("owner", args.Get("owner", "unknown")));
  repair.set_equipment_owner(owner);
  absl::Time fault_time;
  HOTLINE_ASSIGN_OR_RETURN(
      fault_time, ParseTimeValue("fault-time", args.Get("fault-time", "now"), absl::Now()));
  *repair.mutable_fault_time() = ToProtoTime(fault_time);
  iv1::FaultCategory category;
  HOTLINE_ASSIGN_OR_RETURN(category, ParseEnumFlag<iv1::FaultCategory>(
                                         "fault-category", args.Get("fault-category", "other")));
  repair.set_fault_category(category);
  cv1::FaultScope scope;
  HOTLINE_ASSIGN_OR_RETURN(scope, ParseEnumFlag<cv1::FaultScope>(
                                      "fault-scope", args.Get("fault-scope", "public_network")));
  repair.set_fault_scope(scope);
  repair.set_wants_paid_service(args.Switch("paid-service"));
  return absl::OkStatus();
}

absl::Status FillDetails(const ParsedArgs& args, cv1::TicketType type,
                         iv1::TicketDetails& details) {
  switch (type) {
    case cv1::TICKET_TYPE_REPAIR:
      return FillRepair(args, *details.mutable_repair());
    case cv1::TICKET_TYPE_CONSULTATION:
    case cv1::TICKET_TYPE_QUERY: {
      iv1::InquiryDetails& inquiry = type == cv1::TICKET_TYPE_QUERY
                                         ? *details.mutable_query()
                                         : *details.mutable_consultation();
      inquiry.set_topic(args.Get("topic"));
      iv1::InquiryResolution resolution;
      HOTLINE_ASSIGN_OR_RETURN(resolution,
                               ParseEnumFlag<iv1::InquiryResolution>(
                                   "resolution", args.Get("resolution", "answered_at_once")));
      inquiry.set_resolution(resolution);
      inquiry.set_answer(args.Get("answer"));
      return absl::OkStatus();
    }
    case cv1::TICKET_TYPE_COMPLAINT: {
      iv1::ComplaintCategory category;
      HOTLINE_ASSIGN_OR_RETURN(category, ParseEnumFlag<iv1::ComplaintCategory>(
                                             "complaint-category", args.Get("complaint-category")));
      details.mutable_complaint()->set_category(category);
      return absl::OkStatus();
    }
    case cv1::TICKET_TYPE_REPORT: {
      iv1::ReportSubject subject;
      HOTLINE_ASSIGN_OR_RETURN(subject,
                               ParseEnumFlag<iv1::ReportSubject>("subject", args.Get("subject")));
      iv1::ReportDetails& report = *details.mutable_report();
      report.set_subject(subject);
      report.set_anonymous(args.Switch("anonymous"));
      if (args.Has("reporter-name") || args.Has("reporter-phone")) {
        report.mutable_reporter()->set_name(args.Get("reporter-name"));
        report.mutable_reporter()->set_phone(args.Get("reporter-phone"));
      }
      return absl::OkStatus();
    }
    case cv1::TICKET_TYPE_APPLICATION: {
      iv1::ApplicationKind kind;
      HOTLINE_ASSIGN_OR_RETURN(kind, ParseEnumFlag<iv1::ApplicationKind>(
                                         "application-kind", args.Get("application-kind")));
      details.mutable_application()->set_kind(kind);
      return absl::OkStatus();
    }
    case cv1::TICKET_TYPE_URGING:
      details.mutable_urging()->set_ticket_id(args.Get("urges"));
      return absl::OkStatus();
    default:
      return absl::OkStatus();  // suggestions and praise have no details
  }
}

absl::StatusOr<iv1::CreateTicketRequest> CreateRequest(const ParsedArgs& args) {
  if (!args.Has("type")) {
    return UsageError("ticket create: --type is required");
  }
  iv1::CreateTicketRequest r;
  r.set_idempotency_key(args.Get("idempotency-key", NewIdempotencyKey()));
  cv1::TicketType type;
  HOTLINE_ASSIGN_OR_RETURN(type, ParseEnumFlag<cv1::TicketType>("type", args.Get("type")));
  r.set_type(type);
  cv1::Channel channel;
  HOTLINE_ASSIGN_OR_RETURN(channel,
                           ParseEnumFlag<cv1::Channel>("channel", args.Get("channel", "phone")));
  r.set_channel(channel);
  if (args.Has("customer") || args.Has("phone") || args.Has("account")) {
    r.mutable_customer()->set_name(args.Get("customer"));
    r.mutable_customer()->set_phone(args.Get("phone"));
    r.mutable_customer()->set_account_number(args.Get("account"));
  }
  if (args.Has("address")) {
    HOTLINE_ASSIGN_OR_RETURN(*r.mutable_address(),
                             ParseAddressPath("address", args.Get("address")));
  }
  if (args.Has("landmark") || args.Has("feeder") || args.Has("transformer-area") ||
      args.Has("area-class")) {
    r.mutable_address()->set_landmark(args.Get("landmark"));
    r.mutable_address()->set_feeder(args.Get("feeder"));
    r.mutable_address()->set_transformer_area(args.Get("transformer-area"));
    if (args.Has("area-class")) {
      cv1::AreaClass area_class;
      HOTLINE_ASSIGN_OR_RETURN(area_class,
                               ParseEnumFlag<cv1::AreaClass>("area-class", args.Get("area-class")));
      r.mutable_address()->set_area_class(area_class);
    }
  }
  r.set_description(args.Get("description"));
  if (absl::Status filled = FillDetails(args, type, *r.mutable_details()); !filled.ok()) {
    return filled;
  }
  return r;
}

Fields TicketFields(const iv1::Ticket& t, absl::TimeZone zone) {
  Fields fields = {
      {"ticket", t.ticket_number()},
      {"id", t.ticket_id()},
      {"type", EnumText(t.type())},
      {"status", EnumText(t.status())},
      {"channel", EnumText(t.channel())},
      {"customer", absl::StrCat(t.customer().name(), t.customer().phone().empty() ? "" : " ",
                                t.customer().phone())},
      {"address", AddressText(t.address())},
      {"description", t.description()},
      {"created", TimeCell(t.created_at(), zone)},
      {"created by", t.created_by()},
      {"branch", t.branch_id()},
      {"order", t.order_number()},
      {"linked ticket", t.linked_ticket_number()},
      {"urgings", t.urgings() > 0 ? absl::StrCat(t.urgings()) : ""},
      {"outage check", EnumText(t.outage().check())},
      {"outage notice", t.outage().notice_id()},
      {"estimated restore", TimeCell(t.estimated_restore_at(), zone)},
      {"overdue", t.overdue() ? "yes" : ""},
      {"deadlines", t.deadlines_pending() ? "pending (sla has not answered yet)" : ""},
      {"cancel reason", t.cancel_reason()},
  };
  for (const iv1::Deadline& d : t.deadlines()) {
    fields.push_back(
        {absl::StrCat("due (", EnumText(d.kind()), ")"),
         absl::StrCat(TimeCell(d.due_at(), zone),
                      d.has_met_at() ? absl::StrCat(", met ", TimeCell(d.met_at(), zone)) : "")});
  }
  return fields;
}

absl::Status Create(Session& session, const ParsedArgs& args) {
  iv1::CreateTicketRequest request;
  HOTLINE_ASSIGN_OR_RETURN(request, CreateRequest(args));
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<iv1::TicketIntake>("intake"));
  iv1::CreateTicketResponse response;
  auto call = session.NewCall();
  if (absl::Status s = RpcError(stub->CreateTicket(call.get(), request, &response)); !s.ok()) {
    return s;
  }
  if (session.json()) {
    session.PrintJson(response);
    return absl::OkStatus();
  }
  Fields fields = {{"outcome", EnumText(response.outcome())},
                   {"replayed", response.replayed() ? "yes (the key was used before)" : ""},
                   {"idempotency key", request.idempotency_key()}};
  Fields ticket = TicketFields(response.ticket(), session.zone());
  fields.insert(fields.end(), ticket.begin(), ticket.end());
  session.out() << RenderFields(fields);
  return absl::OkStatus();
}

absl::Status Show(Session& session, const ParsedArgs& args) {
  const std::string& id = args.arguments()[0];
  iv1::GetTicketRequest get;
  if (text::IsUuid(id)) {
    get.set_ticket_id(id);
  } else {
    get.set_ticket_number(id);
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<iv1::TicketIntake>("intake"));
  iv1::Ticket ticket;
  {
    auto call = session.NewCall();
    if (absl::Status s = RpcError(stub->GetTicket(call.get(), get, &ticket)); !s.ok()) {
      return s;
    }
  }
  iv1::GetHistoryResponse history;
  iv1::GetHistoryRequest request;
  request.set_ticket_id(ticket.ticket_id());
  request.mutable_page()->set_page_size(500);
  do {
    iv1::GetHistoryResponse page;
    auto call = session.NewCall();
    if (absl::Status s = RpcError(stub->GetHistory(call.get(), request, &page)); !s.ok()) {
      return s;
    }
    for (iv1::HistoryEntry& entry : *page.mutable_entries()) {
      *history.add_entries() = std::move(entry);
    }
    request.mutable_page()->set_cursor(page.page().next_cursor());
  } while (!request.page().cursor().empty());

  if (session.json()) {
    absl::StatusOr<std::string> t = JsonOf(ticket);
    absl::StatusOr<std::string> h = JsonOf(history);
    if (!t.ok() || !h.ok()) {
      return t.ok() ? h.status() : t.status();
    }
    session.out() << "{\n\"ticket\": " << *t << ",\n\"history\": " << *h << "\n}\n";
    return absl::OkStatus();
  }
  session.out() << RenderFields(TicketFields(ticket, session.zone())) << "\nhistory:\n";
  Table table({"AT", "ACTOR", "ACTION", "FROM", "TO", "DETAIL"});
  for (const iv1::HistoryEntry& e : history.entries()) {
    table.AddRow({TimeCell(e.at(), session.zone()),
                  absl::StrCat(e.actor(), e.actor_role().empty() ? "" : " (", e.actor_role(),
                               e.actor_role().empty() ? "" : ")"),
                  EnumText(e.action()), EnumText(e.from_status()), EnumText(e.to_status()),
                  e.detail()});
  }
  session.out() << table.Render();
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> TicketCommands() {
  Command create;
  create.name = "ticket create";
  create.summary = "take a ticket (intake CreateTicket)";
  create.details =
      "The type's own details come from the flags marked with its type; a repair's default\n"
      "to a \"no power\" fault of unknown equipment now. Example:\n"
      "  hotlinectl ticket create --type repair --customer 'Han Meimei' --phone 13912345678 \\\n"
      "    --address 'Demo Province/Qingyuan/Liandu District/Shixi Town/Shixi Village/8 River "
      "Road' \\\n"
      "    --area-class rural --owner utility --description 'no power since the storm'";
  create.flags = CreateFlags();
  create.default_role = "agent";
  create.run = Create;

  Command show;
  show.name = "ticket show";
  show.arguments = "ID";
  show.summary = "a ticket and its history (by id or number, e.g. GD-20261206-000042)";
  show.details =
      "ID is the ticket's UUID or its number. With --json: {\"ticket\": <Ticket>, \"history\":\n"
      "<GetHistoryResponse with every entry>}.";
  show.default_role = "agent";
  show.min_arguments = show.max_arguments = 1;
  show.run = Show;
  return {create, show};
}

}  // namespace hotline::ctl
