#include "services/intake/tickets/store/outage_check.h"

#include <grpcpp/client_context.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::intake {

OutageServiceCheck::OutageServiceCheck(std::shared_ptr<grpc::Channel> channel,
                                       std::string service_token, absl::Duration timeout)
    : stub_(outage::v1::OutageNotices::NewStub(std::move(channel))),
      service_token_(std::move(service_token)),
      timeout_(timeout) {}

v1::OutageLink OutageServiceCheck::Check(const common::v1::Address& address, absl::Time at) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", service_token_));
  outage::v1::CheckAddressRequest request;
  *request.mutable_address() = address;
  *request.mutable_at() = ToProtoTime(at);
  outage::v1::CheckAddressResponse response;
  grpc::Status status = stub_->CheckAddress(&context, request, &response);

  v1::OutageLink link;
  if (!status.ok()) {
    link.set_check(v1::OUTAGE_CHECK_SKIPPED);
    link.set_skipped_reason(
        absl::StrCat("outage service did not answer: ",
                     absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                     " ", status.error_message()));
    return link;
  }
  if (!response.affected()) {
    link.set_check(v1::OUTAGE_CHECK_CLEAR);
    return link;
  }
  link.set_check(v1::OUTAGE_CHECK_AFFECTED);
  link.set_notice_id(response.notice().notice_id());
  if (response.notice().has_planned_restore()) {
    *link.mutable_restore_at() =
        ToProtoTime(TruncateToMicros(FromProtoTime(response.notice().planned_restore())));
  }
  return link;
}

v1::OutageLink SkippedOutageCheck::Check(const common::v1::Address&, absl::Time) {
  v1::OutageLink link;
  link.set_check(v1::OUTAGE_CHECK_SKIPPED);
  link.set_skipped_reason(reason_);
  return link;
}

}  // namespace hotline::intake
