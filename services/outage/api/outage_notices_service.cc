#include "services/outage/api/outage_notices_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/pg/transaction.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/request_digest.h"
#include "libs/rpc/request_text.h"
#include "libs/rpc/sequence_watch.h"
#include "libs/status/status.h"
#include "services/outage/domain/notice_requests.h"
#include "services/outage/store/notice_store.h"

namespace hotline::outage {
namespace {

constexpr char kService[] = "/hotline.outage.v1.OutageNotices/";

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

OutageNoticesService::OutageNoticesService(NoticeDesk& desk, pg::Pool& pool, rpc::WakeFeed& feed,
                                           const auth::TokenStore& tokens,
                                           const OutageSettings& settings,
                                           rpc::HandlerPool& handlers)
    : desk_(desk),
      pool_(pool),
      feed_(feed),
      tokens_(tokens),
      settings_(settings),
      handlers_(handlers) {}

grpc::ServerUnaryReactor* OutageNoticesService::PublishNotice(
    grpc::CallbackServerContext* context, const v1::PublishNoticeRequest* request,
    v1::PublishNoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                             Authorize(tokens_, *context, "PublishNotice"));
    HOTLINE_RETURN_IF_ERROR(ValidatePublishShape(*request));
    HOTLINE_ASSIGN_OR_RETURN(
        *response, desk_.Publish(*request, ScopedKey(principal, request->idempotency_key()),
                                 rpc::RequestDigest(*request), principal.name));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::AmendNotice(grpc::CallbackServerContext* context,
                                                            const v1::AmendNoticeRequest* request,
                                                            v1::AmendNoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "AmendNotice").status());
    HOTLINE_RETURN_IF_ERROR(ValidateAmend(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Amend(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::CancelNotice(grpc::CallbackServerContext* context,
                                                             const v1::CancelNoticeRequest* request,
                                                             v1::NoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "CancelNotice").status());
    HOTLINE_RETURN_IF_ERROR(ValidateCancel(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_notice(), desk_.Cancel(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::StartNotice(grpc::CallbackServerContext* context,
                                                            const v1::StartNoticeRequest* request,
                                                            v1::NoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "StartNotice").status());
    HOTLINE_RETURN_IF_ERROR(ValidateStart(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_notice(), desk_.Start(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::RestoreNotice(
    grpc::CallbackServerContext* context, const v1::RestoreNoticeRequest* request,
    v1::NoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "RestoreNotice").status());
    HOTLINE_RETURN_IF_ERROR(ValidateRestore(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_notice(), desk_.Restore(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::ConfirmNotice(
    grpc::CallbackServerContext* context, const v1::ConfirmNoticeRequest* request,
    v1::NoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "ConfirmNotice").status());
    HOTLINE_RETURN_IF_ERROR(ValidateConfirm(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_notice(), desk_.Confirm(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::GetNotice(grpc::CallbackServerContext* context,
                                                          const v1::GetNoticeRequest* request,
                                                          v1::NoticeResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetNotice").status());
    HOTLINE_RETURN_IF_ERROR(ValidateGet(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_notice(), desk_.Get(request->notice_id()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::CheckAddress(grpc::CallbackServerContext* context,
                                                             const v1::CheckAddressRequest* request,
                                                             v1::CheckAddressResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "CheckAddress").status());
    HOTLINE_RETURN_IF_ERROR(ValidateCheck(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Check(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::ListNotices(grpc::CallbackServerContext* context,
                                                            const v1::ListNoticesRequest* request,
                                                            v1::ListNoticesResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "ListNotices").status());
    HOTLINE_RETURN_IF_ERROR(ValidateList(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.List(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OutageNoticesService::GetReliability(
    grpc::CallbackServerContext* context, const v1::GetReliabilityRequest* request,
    v1::GetReliabilityResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(tokens_, *context, "GetReliability").status());
    HOTLINE_RETURN_IF_ERROR(ValidateReliability(*request));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Reliability(*request));
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::NoticeEvent>* OutageNoticesService::WatchNotices(
    grpc::CallbackServerContext* context, const v1::WatchNoticesRequest* request) {
  absl::Status allowed = Authorize(tokens_, *context, "WatchNotices").status();
  if (allowed.ok()) {
    allowed = rpc::CleanRequest(request);
  }
  rpc::SequenceSource<v1::NoticeEvent> source;
  source.after = [this](int64_t after, int limit) {
    return pg::WithTransactionResult<std::vector<v1::NoticeEvent>>(
        pool_, [&](pqxx::work& tx) { return store::NoticeEventsAfter(tx, after, limit); });
  };
  source.last = [this] {
    return pg::WithTransactionResult<int64_t>(
        pool_, [](pqxx::work& tx) { return store::LastNoticeSequence(tx); });
  };
  source.sequence = [](const v1::NoticeEvent& event) { return event.sequence(); };
  return rpc::SequenceWatch<v1::NoticeEvent>::Start(
      std::move(source), feed_, handlers_,
      {.after_sequence = request->after_sequence(), .only_new = request->only_new()}, allowed);
}

}  // namespace hotline::outage
