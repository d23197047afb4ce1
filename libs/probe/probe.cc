#include "libs/probe/probe.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "libs/status/status.h"

namespace hotline::probe {
namespace {

void SetTimeout(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

}  // namespace

absl::StatusOr<std::string> CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                        const std::string& service, absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  SetTimeout(context, timeout);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return FromGrpcStatus(status);
  }
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
}

absl::StatusOr<std::vector<std::string>> ListServices(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout) {
  using grpc::reflection::v1alpha::ServerReflection;
  using grpc::reflection::v1alpha::ServerReflectionRequest;
  using grpc::reflection::v1alpha::ServerReflectionResponse;
  auto stub = ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  SetTimeout(context, timeout);
  auto stream = stub->ServerReflectionInfo(&context);
  ServerReflectionRequest request;
  request.set_list_services("");
  if (!stream->Write(request)) {
    return FromGrpcStatus(stream->Finish());
  }
  stream->WritesDone();
  ServerReflectionResponse response;
  std::vector<std::string> names;
  bool got = stream->Read(&response);
  grpc::Status status = stream->Finish();
  if (!got || !status.ok()) {
    return status.ok() ? absl::UnavailableError("reflection sent no answer")
                       : FromGrpcStatus(status);
  }
  if (response.has_error_response()) {
    return absl::InternalError(
        absl::StrCat("reflection error: ", response.error_response().error_message()));
  }
  for (const auto& s : response.list_services_response().service()) {
    names.push_back(s.name());
  }
  return names;
}

}  // namespace hotline::probe
