#include "libs/rpc/server.h"

#include <grpc/grpc.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/impl/server_initializer.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/log/log.h"
#include "libs/rpc/duration_arg.h"
#include "libs/rpc/unparsed_request.h"

namespace hotline::rpc {
namespace {

constexpr absl::string_view kLog = "rpc";

// Services the bootstrap adds itself; they are not the caller's to report.
bool IsBuiltInService(const std::string& name) {
  return name == "grpc.health.v1.Health" || name == "grpc.reflection.v1alpha.ServerReflection";
}

// gRPC keeps the names of registered services to itself; the one public way
// to read them is a builder plugin, which sees the server once it started.
class ServiceNamesPlugin : public grpc::ServerBuilderPlugin {
 public:
  explicit ServiceNamesPlugin(std::vector<std::string>* names) : names_(names) {}
  std::string name() override { return "hotline_service_names"; }
  void InitServer(grpc::ServerInitializer*) override {}
  void Finish(grpc::ServerInitializer* initializer) override {
    for (const std::string& service : *initializer->GetServiceList()) {
      if (!IsBuiltInService(service)) {
        names_->push_back(service);
      }
    }
  }
  void ChangeArguments(const std::string&, void*) override {}

 private:
  std::vector<std::string>* names_;
};

class ServiceNamesOption : public grpc::ServerBuilderOption {
 public:
  explicit ServiceNamesOption(std::vector<std::string>* names) : names_(names) {}
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->push_back(std::make_unique<ServiceNamesPlugin>(names_));
  }

 private:
  std::vector<std::string>* names_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RpcServer>> RpcServer::Start(ServerOptions options,
                                                            std::vector<grpc::Service*> services) {
  if (options.listen_address.empty()) {
    return absl::InvalidArgumentError("listen_address: must not be empty");
  }
  if (options.credentials == nullptr) {
    return absl::InvalidArgumentError(
        "credentials: must be set (see hotline::auth::MakeServerCredentials)");
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen_address, options.credentials, &port);
  for (grpc::Service* service : services) {
    if (service == nullptr) {
      return absl::InvalidArgumentError("services: a service is null");
    }
    builder.RegisterService(service);
  }
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options.max_send_message_bytes);
  // A second server on a taken port must fail, not share it silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             internal::ChannelArgMilliseconds(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             internal::ChannelArgMilliseconds(options.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             internal::ChannelArgMilliseconds(kMinClientPingInterval));
  // First, so that the others (metrics) see the status it corrects.
  options.interceptors.insert(options.interceptors.begin(),
                              MakeUnparsedRequestInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(options.interceptors));
  std::vector<std::string> names;
  builder.SetOption(std::make_unique<ServiceNamesOption>(&names));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot serve gRPC on ", options.listen_address,
        ": the port may be in use, the address not local, or the credentials invalid"));
  }
  std::unique_ptr<RpcServer> rpc_server(
      new RpcServer(std::move(server), port, std::move(names), options.drain_timeout));
  rpc_server->SetServing(false);
  log::Info(kLog, "serving gRPC on ", options.listen_address, " (port ", port,
            "): ", absl::StrJoin(rpc_server->service_names_, ", "));
  return rpc_server;
}

RpcServer::RpcServer(std::unique_ptr<grpc::Server> server, int port, std::vector<std::string> names,
                     absl::Duration drain_timeout)
    : server_(std::move(server)),
      port_(port),
      service_names_(std::move(names)),
      drain_timeout_(drain_timeout) {}

RpcServer::~RpcServer() {
  Shutdown();
  server_->Wait();
}

void RpcServer::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) {
    return;
  }
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus("", serving);
  for (const std::string& name : service_names_) {
    health->SetServingStatus(name, serving);
  }
}

void RpcServer::Shutdown() {
  absl::call_once(shutdown_once_, [this] {
    {
      absl::MutexLock lock(&mu_);
      shut_down_ = true;
      // NOT_SERVING for every name, and later updates are ignored.
      server_->GetHealthCheckService()->Shutdown();
    }
    log::Info(kLog, "draining gRPC port ", port_, " for up to ",
              absl::FormatDuration(drain_timeout_));
    server_->Shutdown(absl::ToChronoTime(absl::Now() + drain_timeout_));
    log::Info(kLog, "gRPC port ", port_, " stopped");
  });
}

void RpcServer::Wait() { server_->Wait(); }

}  // namespace hotline::rpc
