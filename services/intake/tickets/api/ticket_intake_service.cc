#include "services/intake/tickets/api/ticket_intake_service.h"

#include "libs/auth/access.h"
#include "libs/metrics/registry.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/answer.h"
#include "libs/status/status.h"
#include "services/intake/tickets/domain/ticket_validation.h"

namespace hotline::intake {
namespace {

std::string LabelText(std::string text) { return text.empty() ? "unspecified" : text; }

}  // namespace

TicketIntakeService::TicketIntakeService(std::shared_ptr<TicketDesk> desk,
                                         const auth::TokenStore& tokens,
                                         prometheus::Registry& registry, const clock::Clock& clock,
                                         rpc::HandlerPool& handlers)
    : desk_(std::move(desk)),
      tokens_(tokens),
      handlers_(handlers),
      created_(metrics::CounterFamily(
          "hotline_tickets_created_total",
          "Tickets created, by ticket type, channel and area class of the address.", registry)),
      clock_(clock) {}

absl::StatusOr<Actor> TicketIntakeService::Authorize(const grpc::CallbackServerContext& context,
                                                     absl::string_view method) const {
  HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                           auth::AuthorizeCall(tokens_, context, method));
  Actor actor;
  actor.name = principal.name;
  actor.role = principal.role;
  return actor;
}

void TicketIntakeService::CountCreated(const v1::Ticket& ticket) {
  created_
      .Add({{"type", LabelText(EnumText(ticket.type()))},
            {"channel", LabelText(EnumText(ticket.channel()))},
            {"area_class", LabelText(EnumText(ticket.address().area_class()))}})
      .Increment();
}

grpc::ServerUnaryReactor* TicketIntakeService::CreateTicket(grpc::CallbackServerContext* context,
                                                            const v1::CreateTicketRequest* request,
                                                            v1::CreateTicketResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/CreateTicket"));
    HOTLINE_RETURN_IF_ERROR(ValidateCreateTicket(*request, clock_.Now()));
    HOTLINE_ASSIGN_OR_RETURN(CreateResult result, desk_->Create(actor, *request));
    if (!result.replayed) {
      CountCreated(result.ticket);
    }
    *response->mutable_ticket() = std::move(result.ticket);
    response->set_outcome(result.outcome);
    response->set_replayed(result.replayed);
    if (result.linked.has_value()) {
      *response->mutable_linked_ticket() = std::move(*result.linked);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TicketIntakeService::GetTicket(grpc::CallbackServerContext* context,
                                                         const v1::GetTicketRequest* request,
                                                         v1::Ticket* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/GetTicket"));
    HOTLINE_RETURN_IF_ERROR(ValidateGetTicket(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_->Get(actor, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TicketIntakeService::ListTickets(grpc::CallbackServerContext* context,
                                                           const v1::ListTicketsRequest* request,
                                                           v1::ListTicketsResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/ListTickets"));
    HOTLINE_RETURN_IF_ERROR(ValidateListTickets(*request));
    HOTLINE_ASSIGN_OR_RETURN(std::optional<PageCursor> after,
                             DecodeCursor(request->page().cursor()));
    store::TicketFilter filter;
    for (int status : request->statuses()) {
      filter.statuses.push_back(static_cast<common::v1::TicketStatus>(status));
    }
    for (int type : request->types()) {
      filter.types.push_back(static_cast<common::v1::TicketType>(type));
    }
    filter.branch_id = request->branch_id();
    filter.county = request->county();
    filter.township = request->township();
    if (request->created().has_from()) {
      filter.created_from = FromProtoTime(request->created().from());
    }
    if (request->created().has_to()) {
      filter.created_to = FromProtoTime(request->created().to());
    }
    filter.overdue_only = request->overdue_only();
    HOTLINE_ASSIGN_OR_RETURN(TicketPage page,
                             desk_->List(actor, filter, after, request->page().page_size()));
    for (v1::Ticket& ticket : page.tickets) {
      *response->add_tickets() = std::move(ticket);
    }
    response->mutable_page()->set_next_cursor(page.next_cursor);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TicketIntakeService::AddNote(grpc::CallbackServerContext* context,
                                                       const v1::AddNoteRequest* request,
                                                       v1::HistoryEntry* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/AddNote"));
    HOTLINE_RETURN_IF_ERROR(ValidateAddNote(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response,
                             desk_->AddNote(actor, request->ticket_id(), request->text()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TicketIntakeService::UrgeTicket(grpc::CallbackServerContext* context,
                                                          const v1::UrgeTicketRequest* request,
                                                          v1::UrgeTicketResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/UrgeTicket"));
    HOTLINE_RETURN_IF_ERROR(ValidateUrgeTicket(*request));
    HOTLINE_ASSIGN_OR_RETURN(UrgeResult result, desk_->Urge(actor, *request));
    if (!result.replayed) {
      CountCreated(result.urging);
    }
    *response->mutable_urging() = std::move(result.urging);
    *response->mutable_urged() = std::move(result.urged);
    response->set_replayed(result.replayed);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TicketIntakeService::CancelTicket(grpc::CallbackServerContext* context,
                                                            const v1::CancelTicketRequest* request,
                                                            v1::Ticket* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/CancelTicket"));
    HOTLINE_RETURN_IF_ERROR(ValidateCancelTicket(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response,
                             desk_->Cancel(actor, request->ticket_id(), request->reason()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TicketIntakeService::GetHistory(grpc::CallbackServerContext* context,
                                                          const v1::GetHistoryRequest* request,
                                                          v1::GetHistoryResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(Actor actor,
                             Authorize(*context, "/hotline.intake.v1.TicketIntake/GetHistory"));
    HOTLINE_RETURN_IF_ERROR(ValidateGetHistory(*request));
    HOTLINE_ASSIGN_OR_RETURN(HistoryPage page,
                             desk_->History(request->ticket_id(), request->page().cursor(),
                                            request->page().page_size()));
    for (v1::HistoryEntry& entry : page.entries) {
      *response->add_entries() = std::move(entry);
    }
    response->mutable_page()->set_next_cursor(page.next_cursor);
    return absl::OkStatus();
  });
}

}  // namespace hotline::intake
