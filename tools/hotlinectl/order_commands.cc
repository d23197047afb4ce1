// hotlinectl orders list: a branch's work orders, from dispatch's ListOrders.

#include "absl/strings/str_cat.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "libs/status/status.h"
#include "tools/hotlinectl/command.h"
#include "tools/hotlinectl/table.h"
#include "tools/hotlinectl/values.h"

namespace hotline::ctl {
namespace {

namespace dv1 = hotline::dispatch::v1;

absl::Status List(Session& session, const ParsedArgs& args) {
  dv1::ListOrdersRequest request;
  request.set_branch_id(args.Get("branch"));
  request.set_ticket_id(args.Get("ticket"));
  request.set_with_dispatcher(args.Switch("with-dispatcher"));
  if (args.Has("status")) {
    HOTLINE_ASSIGN_OR_RETURN(dv1::OrderStatus status,
                             ParseEnumFlag<dv1::OrderStatus>("status", args.Get("status")));
    request.set_status(status);
  }
  HOTLINE_ASSIGN_OR_RETURN(int limit, ParseCount("limit", args.Get("limit", "200")));
  request.mutable_page()->set_page_size(std::min(limit, 500));
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<dv1::Dispatch>("dispatch"));

  dv1::ListOrdersResponse all;
  do {
    dv1::ListOrdersResponse page;
    auto call = session.NewCall();
    HOTLINE_RETURN_IF_ERROR(RpcError(stub->ListOrders(call.get(), request, &page)));
    for (dv1::Order& order : *page.mutable_orders()) {
      if (all.orders_size() < limit) {
        *all.add_orders() = std::move(order);
      }
    }
    request.mutable_page()->set_cursor(page.page().next_cursor());
    *all.mutable_page() = page.page();
  } while (!request.page().cursor().empty() && all.orders_size() < limit);

  if (session.json()) {
    session.PrintJson(all);
    return absl::OkStatus();
  }
  Table table({"ORDER", "TICKET", "TYPE", "STATUS", "BRANCH", "URGENCY", "DISPATCHED",
               "ARRIVAL DUE", "ADDRESS"});
  for (const dv1::Order& o : all.orders()) {
    table.AddRow({o.order_number(), o.ticket_number(), EnumText(o.type()), EnumText(o.status()),
                  o.with_dispatcher() ? "(dispatchers)" : o.branch_id(),
                  o.urgency() > 0 ? absl::StrCat(o.urgency()) : "",
                  TimeCell(o.dispatched_at(), session.zone()),
                  TimeCell(o.arrival_due_at(), session.zone()), AddressText(o.address())});
  }
  session.out() << table.Render();
  if (!all.page().next_cursor().empty()) {
    session.out() << "(first " << all.orders_size() << " orders; --limit shows more)\n";
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> OrderCommands() {
  Command list;
  list.name = "orders list";
  list.summary = "a branch's work orders (dispatch ListOrders), oldest first";
  list.details =
      "A branch system's token lists its own branch's orders only; a dispatcher's or an\n"
      "admin's any branch's (--role dispatcher).";
  list.flags = {
      {"branch", "ID", "the branch (default: the branch of a branch token; else every branch)"},
      {"status", "STATUS",
       "only orders in this status: dispatched, with_dispatcher, accepted, in_progress, "
       "resolved, cancelled, not_dispatched"},
      {"ticket", "TICKET_ID", "only the orders of this ticket"},
      {"with-dispatcher", "", "only orders waiting for a dispatcher"},
      {"limit", "N", "at most N orders (default 200)"},
  };
  list.default_role = "branch";
  list.run = List;
  return {list};
}

}  // namespace hotline::ctl
