// hotlinectl overdue: the deadline clocks past their due time, from sla.

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "hotline/sla/v1/sla.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "tools/hotlinectl/command.h"
#include "tools/hotlinectl/table.h"
#include "tools/hotlinectl/values.h"

namespace hotline::ctl {
namespace {

namespace sv1 = hotline::sla::v1;

absl::Status Overdue(Session& session, const ParsedArgs& args) {
  sv1::ListOverdueRequest request;
  request.set_unit(args.Get("unit"));
  if (args.Has("type")) {
    HOTLINE_ASSIGN_OR_RETURN(common::v1::TicketType type,
                             ParseEnumFlag<common::v1::TicketType>("type", args.Get("type")));
    request.set_ticket_type(type);
  }
  if (args.Has("stage")) {
    HOTLINE_ASSIGN_OR_RETURN(sv1::Stage stage,
                             ParseEnumFlag<sv1::Stage>("stage", args.Get("stage")));
    request.set_stage(stage);
  }
  HOTLINE_ASSIGN_OR_RETURN(int limit, ParseCount("limit", args.Get("limit", "100")));
  request.mutable_page()->set_page_size(std::min(limit, 500));
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<sv1::SlaTracker>("sla"));

  sv1::ListOverdueResponse all;
  do {
    sv1::ListOverdueResponse page;
    auto call = session.NewCall();
    HOTLINE_RETURN_IF_ERROR(RpcError(stub->ListOverdue(call.get(), request, &page)));
    for (sv1::Clock& clock : *page.mutable_clocks()) {
      if (all.clocks_size() < limit) {
        *all.add_clocks() = std::move(clock);
      }
    }
    request.mutable_page()->set_cursor(page.page().next_cursor());
    *all.mutable_page() = page.page();
  } while (!request.page().cursor().empty() && all.clocks_size() < limit);

  if (session.json()) {
    session.PrintJson(all);
    return absl::OkStatus();
  }
  const absl::Time now = absl::Now();
  Table table({"TICKET", "TYPE", "STAGE", "UNIT", "DUE", "OVERDUE BY", "ESCALATION", "STATE"});
  for (const sv1::Clock& c : all.clocks()) {
    table.AddRow({c.ticket_number().empty() ? c.ticket_id() : c.ticket_number(),
                  EnumText(c.ticket_type()), EnumText(c.stage()),
                  c.unit().empty() ? "(ticket)" : c.unit(), TimeCell(c.due_at(), session.zone()),
                  DurationCell(now - FromProtoTime(c.due_at())), EnumText(c.escalation()),
                  EnumText(c.state())});
  }
  if (all.clocks_size() == 0) {
    session.out() << "nothing overdue\n";
    return absl::OkStatus();
  }
  session.out() << table.Render();
  if (!all.page().next_cursor().empty()) {
    session.out() << "(first " << all.clocks_size() << " clocks; --limit shows more)\n";
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> SlaCommands() {
  Command overdue;
  overdue.name = "overdue";
  overdue.summary = "deadline clocks past their due time, most overdue first (sla ListOverdue)";
  overdue.details =
      "Running or paused clocks whose due time has passed: breached, urged or supervised.\n"
      "A unit is a branch id, \"dispatchers\", or empty for the ticket's own clock.";
  overdue.flags = {
      {"unit", "UNIT", "only this responsible unit (a branch id, dispatchers)"},
      {"type", "TYPE", "only this ticket type (repair, complaint, ...)"},
      {"stage", "STAGE",
       "only this stage: dispatch, consultation_dispatch, arrival, department_answer, "
       "customer_reply, complaint_result, report_result, application_contact, voicemail"},
      {"limit", "N", "at most N clocks (default 100)"},
  };
  overdue.default_role = "shift_leader";
  overdue.run = Overdue;
  return {overdue};
}

}  // namespace hotline::ctl
