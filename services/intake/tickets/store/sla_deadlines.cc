#include "services/intake/tickets/store/sla_deadlines.h"

#include <grpcpp/client_context.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::intake {

SlaDeadlineSource::SlaDeadlineSource(std::shared_ptr<grpc::Channel> channel,
                                     std::string service_token, absl::Duration timeout)
    : stub_(sla::v1::SlaTracker::NewStub(std::move(channel))),
      service_token_(std::move(service_token)),
      timeout_(timeout) {}

DeadlineQuote SlaDeadlineSource::Quote(common::v1::TicketType type,
                                       common::v1::AreaClass area_class,
                                       common::v1::Channel channel, const std::string& region,
                                       absl::Time at) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", service_token_));
  sla::v1::ComputeDeadlinesRequest request;
  request.set_ticket_type(type);
  request.set_area_class(area_class);
  request.set_channel(channel);
  request.set_region(region);
  *request.mutable_start_at() = ToProtoTime(at);
  sla::v1::ComputeDeadlinesResponse response;
  grpc::Status status = stub_->ComputeDeadlines(&context, request, &response);

  DeadlineQuote quote;
  if (!status.ok()) {
    quote.pending = true;
    quote.pending_reason =
        absl::StrCat("sla service did not answer: ",
                     absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                     " ", status.error_message());
    return quote;
  }
  quote.deadlines = DeadlinesOfQuote(response.deadlines());
  return quote;
}

DeadlineQuote PendingDeadlineSource::Quote(common::v1::TicketType, common::v1::AreaClass,
                                           common::v1::Channel, const std::string&, absl::Time) {
  DeadlineQuote quote;
  quote.pending = true;
  quote.pending_reason = reason_;
  return quote;
}

}  // namespace hotline::intake
