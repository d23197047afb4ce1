#include "services/survey/api/callback_surveys_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/request_digest.h"
#include "libs/status/status.h"
#include "services/survey/domain/survey_requests.h"

namespace hotline::survey {
namespace {

constexpr char kService[] = "/hotline.survey.v1.CallbackSurveys/";

absl::StatusOr<auth::Principal> Authorize(const auth::TokenStore& tokens,
                                          const grpc::CallbackServerContext& context,
                                          absl::string_view method) {
  return auth::AuthorizeCall(tokens, context, absl::StrCat(kService, method));
}

// Idempotency keys belong to the caller who sent them: "<principal> <key>".
std::string ScopedKey(const auth::Principal& principal, const std::string& key) {
  return absl::StrCat(principal.name, " ", key);
}

}  // namespace

CallbackSurveysService::CallbackSurveysService(CallbackDesk& desk, const auth::TokenStore& tokens,
                                               rpc::HandlerPool& handlers)
    : desk_(desk), tokens_(tokens), handlers_(handlers) {}

grpc::ServerUnaryReactor* CallbackSurveysService::ScheduleCallback(
    grpc::CallbackServerContext* context, const v1::ScheduleCallbackRequest* request,
    v1::CallbackTask* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "ScheduleCallback"));
    HOTLINE_RETURN_IF_ERROR(ValidateSchedule(*request));
    HOTLINE_ASSIGN_OR_RETURN(
        ScheduleResult result,
        desk_.Schedule(principal, *request, ScopedKey(principal, request->idempotency_key()),
                       rpc::RequestDigest(*request)));
    *response = std::move(result.task);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallbackSurveysService::NextCallback(
    grpc::CallbackServerContext* context, const v1::NextCallbackRequest* request,
    v1::NextCallbackResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "NextCallback"));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Next(principal));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallbackSurveysService::RecordAttempt(
    grpc::CallbackServerContext* context, const v1::RecordAttemptRequest* request,
    v1::CallbackTask* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "RecordAttempt"));
    HOTLINE_RETURN_IF_ERROR(ValidateAttempt(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.RecordAttempt(principal, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallbackSurveysService::RecordAnswer(
    grpc::CallbackServerContext* context, const v1::RecordAnswerRequest* request,
    v1::CallbackTask* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "RecordAnswer"));
    HOTLINE_RETURN_IF_ERROR(ValidateAnswer(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.RecordAnswer(principal, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallbackSurveysService::GetCallback(grpc::CallbackServerContext* context,
                                                              const v1::GetCallbackRequest* request,
                                                              v1::CallbackTask* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "GetCallback"));
    HOTLINE_RETURN_IF_ERROR(ValidateGet(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Get(principal, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallbackSurveysService::GetSurveyStats(
    grpc::CallbackServerContext* context, const v1::GetSurveyStatsRequest* request,
    v1::GetSurveyStatsResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetSurveyStats").status());
    HOTLINE_RETURN_IF_ERROR(ValidateStats(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Stats(*request));
    return absl::OkStatus();
  });
}

}  // namespace hotline::survey
