#include "services/sla/api/sla_tracker_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/pg/transaction.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/request_digest.h"
#include "libs/rpc/request_text.h"
#include "libs/rpc/sequence_watch.h"
#include "libs/status/status.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/policy.h"

namespace hotline::sla {
namespace {

constexpr char kService[] = "/hotline.sla.v1.SlaTracker/";

std::string Method(absl::string_view name) { return absl::StrCat(kService, name); }

absl::StatusOr<auth::Principal> Authorize(const auth::TokenStore& tokens,
                                          const grpc::CallbackServerContext& context,
                                          absl::string_view method) {
  return auth::AuthorizeCall(tokens, context, Method(method));
}

// Idempotency keys belong to the caller who sent them: "<principal> <key>".
std::string ScopedKey(const auth::Principal& principal, const std::string& key) {
  return absl::StrCat(principal.name, " ", key);
}

}  // namespace

SlaTrackerService::SlaTrackerService(ClockDesk& desk, pg::Pool& pool, rpc::WakeFeed& feed,
                                     const auth::TokenStore& tokens, const SlaSettings& settings,
                                     rpc::HandlerPool& handlers)
    : desk_(desk),
      pool_(pool),
      feed_(feed),
      tokens_(tokens),
      settings_(settings),
      handlers_(handlers) {}

TimeRule SlaTrackerService::Rule() const {
  return TimeRule{desk_.Now(), settings_.client_clock_skew};
}

grpc::ServerUnaryReactor* SlaTrackerService::GetPolicies(grpc::CallbackServerContext* context,
                                                         const v1::GetPoliciesRequest* request,
                                                         v1::GetPoliciesResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetPolicies").status());
    HOTLINE_RETURN_IF_ERROR(ValidateStage("stage", request->stage(), true));
    HOTLINE_ASSIGN_OR_RETURN(std::vector<v1::Policy> policies, desk_.Policies(request->stage()));
    for (v1::Policy& policy : policies) {
      *response->add_policies() = std::move(policy);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::SetPolicy(grpc::CallbackServerContext* context,
                                                       const v1::SetPolicyRequest* request,
                                                       v1::Policy* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal, Authorize(tokens_, *context, "SetPolicy"));
    HOTLINE_RETURN_IF_ERROR(ValidatePolicy(request->policy()));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.SetPolicy(request->policy(), principal.name));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::GetCalendar(grpc::CallbackServerContext* context,
                                                         const v1::GetCalendarRequest* request,
                                                         v1::Calendar* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetCalendar").status());
    HOTLINE_RETURN_IF_ERROR(ValidateName("region", request->region()));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Calendar(request->region()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::SetCalendar(grpc::CallbackServerContext* context,
                                                         const v1::SetCalendarRequest* request,
                                                         v1::Calendar* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "SetCalendar"));
    HOTLINE_RETURN_IF_ERROR(ValidateName("calendar.region", request->calendar().region()));
    HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar,
                             CalendarFromProto(request->calendar(), desk_.zone()));
    v1::Calendar validated = CalendarToProto(calendar);
    validated.set_region(request->calendar().region());
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.SetCalendar(validated, principal.name));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::StartClock(grpc::CallbackServerContext* context,
                                                        const v1::StartClockRequest* request,
                                                        v1::StartClockResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal, Authorize(tokens_, *context, "StartClock"));
    HOTLINE_ASSIGN_OR_RETURN(ClockStart start, StartFromProto(*request, Rule()));
    HOTLINE_ASSIGN_OR_RETURN(StartResult result,
                             desk_.Start(start, ScopedKey(principal, request->idempotency_key()),
                                         rpc::RequestDigest(*request)));
    *response->mutable_clock() = ClockToProto(result.clock);
    response->set_replayed(result.replayed);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::StopClock(grpc::CallbackServerContext* context,
                                                       const v1::StopClockRequest* request,
                                                       v1::ClockResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "StopClock").status());
    HOTLINE_RETURN_IF_ERROR(ValidateClockRef(request->clock()));
    HOTLINE_RETURN_IF_ERROR(ValidateName("reason", request->reason()));
    HOTLINE_ASSIGN_OR_RETURN(absl::Time at, TimeOrNow("stopped_at", request->stopped_at(), Rule()));
    HOTLINE_ASSIGN_OR_RETURN(ClockRecord clock,
                             desk_.Stop(request->clock(), at, request->reason()));
    *response->mutable_clock() = ClockToProto(clock);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::PauseClock(grpc::CallbackServerContext* context,
                                                        const v1::PauseClockRequest* request,
                                                        v1::ClockResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "PauseClock").status());
    HOTLINE_RETURN_IF_ERROR(ValidateClockRef(request->clock()));
    HOTLINE_ASSIGN_OR_RETURN(absl::Time at, TimeOrNow("at", request->at(), Rule()));
    HOTLINE_ASSIGN_OR_RETURN(ClockRecord clock, desk_.Pause(request->clock(), at));
    *response->mutable_clock() = ClockToProto(clock);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::ResumeClock(grpc::CallbackServerContext* context,
                                                         const v1::ResumeClockRequest* request,
                                                         v1::ClockResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "ResumeClock").status());
    HOTLINE_RETURN_IF_ERROR(ValidateClockRef(request->clock()));
    HOTLINE_ASSIGN_OR_RETURN(absl::Time at, TimeOrNow("at", request->at(), Rule()));
    HOTLINE_ASSIGN_OR_RETURN(ClockRecord clock, desk_.Resume(request->clock(), at));
    *response->mutable_clock() = ClockToProto(clock);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::GetClocks(grpc::CallbackServerContext* context,
                                                       const v1::GetClocksRequest* request,
                                                       v1::GetClocksResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetClocks").status());
    HOTLINE_RETURN_IF_ERROR(ValidateTicketId("ticket_id", request->ticket_id()));
    HOTLINE_ASSIGN_OR_RETURN(std::vector<ClockRecord> clocks,
                             desk_.Clocks(absl::AsciiStrToLower(request->ticket_id())));
    for (const ClockRecord& clock : clocks) {
      *response->add_clocks() = ClockToProto(clock);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::ListOverdue(grpc::CallbackServerContext* context,
                                                         const v1::ListOverdueRequest* request,
                                                         v1::ListOverdueResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "ListOverdue").status());
    HOTLINE_ASSIGN_OR_RETURN(store::OverdueFilter filter, OverdueFilterFromProto(*request));
    HOTLINE_ASSIGN_OR_RETURN(OverduePage page, desk_.Overdue(filter, request->page().cursor(),
                                                             request->page().page_size()));
    for (const ClockRecord& clock : page.clocks) {
      *response->add_clocks() = ClockToProto(clock);
    }
    response->mutable_page()->set_next_cursor(page.next_cursor);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SlaTrackerService::ComputeDeadlines(
    grpc::CallbackServerContext* context, const v1::ComputeDeadlinesRequest* request,
    v1::ComputeDeadlinesResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "ComputeDeadlines").status());
    if (!common::v1::TicketType_IsValid(request->ticket_type()) ||
        request->ticket_type() == common::v1::TICKET_TYPE_UNSPECIFIED) {
      return absl::InvalidArgumentError("ticket_type: required, a known type");
    }
    if (!common::v1::AreaClass_IsValid(request->area_class())) {
      return absl::InvalidArgumentError("area_class: unknown value");
    }
    if (!common::v1::Channel_IsValid(request->channel())) {
      return absl::InvalidArgumentError("channel: unknown value");
    }
    HOTLINE_RETURN_IF_ERROR(ValidateName("region", request->region()));
    if (!request->has_start_at()) {
      return absl::InvalidArgumentError("start_at: required");
    }
    HOTLINE_ASSIGN_OR_RETURN(absl::Time at, TimeOrNow("start_at", request->start_at(), Rule()));
    HOTLINE_ASSIGN_OR_RETURN(std::vector<v1::StageDeadline> deadlines,
                             desk_.Deadlines(request->ticket_type(), request->area_class(),
                                             request->channel(), request->region(), at));
    for (v1::StageDeadline& deadline : deadlines) {
      *response->add_deadlines() = std::move(deadline);
    }
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::SlaAction>* SlaTrackerService::WatchEvents(
    grpc::CallbackServerContext* context, const v1::WatchEventsRequest* request) {
  absl::Status allowed = Authorize(tokens_, *context, "WatchEvents").status();
  if (allowed.ok()) {
    allowed = rpc::CleanRequest(request);
  }
  if (allowed.ok()) {
    allowed = ValidateName("unit", request->unit());
  }
  // after_sequence is checked by the watch (not negative).
  rpc::SequenceSource<v1::SlaAction> source;
  source.after = [this, unit = request->unit()](int64_t after, int limit) {
    return pg::WithTransactionResult<std::vector<v1::SlaAction>>(
        pool_, [&](pqxx::work& tx) { return store::ActionsAfter(tx, after, unit, limit); });
  };
  source.last = [this]() {
    return pg::WithTransactionResult<int64_t>(
        pool_, [](pqxx::work& tx) { return store::LastActionSequence(tx); });
  };
  source.sequence = [](const v1::SlaAction& action) { return action.sequence(); };
  return rpc::SequenceWatch<v1::SlaAction>::Start(
      std::move(source), feed_, handlers_,
      {.after_sequence = request->after_sequence(), .only_new = request->only_new()}, allowed);
}

grpc::ServerUnaryReactor* SlaTrackerService::GetShiftReport(
    grpc::CallbackServerContext* context, const v1::GetShiftReportRequest* request,
    v1::GetShiftReportResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetShiftReport").status());
    HOTLINE_RETURN_IF_ERROR(ValidateName("region", request->region()));
    HOTLINE_ASSIGN_OR_RETURN(absl::Time at, TimeOrNow("at", request->at(), Rule()));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.ShiftReport(request->region(), at));
    return absl::OkStatus();
  });
}

}  // namespace hotline::sla
