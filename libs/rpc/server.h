#pragma once

// The gRPC server bootstrap every service uses: listening port, credentials,
// message limits, keepalive, health checking, reflection, graceful drain.
//
//   HOTLINE_ASSIGN_OR_RETURN(auto server, RpcServer::Start(std::move(options), {&service}));
//   ReadinessWatcher readiness(*server, {{"postgres", [&] { return pool.Ping(); }}});
//   WaitForTerminationSignal();
//   server->Shutdown();

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hotline::rpc {

struct ServerOptions {
  // "host:port"; port 0 picks a free port (see RpcServer::port()).
  std::string listen_address;
  // Required; make them with hotline::auth::MakeServerCredentials.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  int max_receive_message_bytes = 4 << 20;
  int max_send_message_bytes = 4 << 20;
  // The server pings idle connections this often and drops them when a ping
  // is not answered within keepalive_timeout. It accepts client pings as
  // often as every kMinClientPingInterval, also on connections without calls.
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
  // How long Shutdown() lets in-flight calls finish before cancelling them.
  absl::Duration drain_timeout = absl::Seconds(10);
  // Run after the one Start always puts first: a request that cannot be
  // parsed is answered INVALID_ARGUMENT, not gRPC's bare UNIMPLEMENTED
  // (libs/rpc/unparsed_request.h).
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
};

// Clients (MakeChannel) must not send keepalive pings more often than this.
inline constexpr absl::Duration kMinClientPingInterval = absl::Seconds(10);

// A running gRPC server with the standard grpc.health.v1.Health service and
// reflection (grpc.reflection.v1alpha). Health starts NOT_SERVING for "" and
// for every registered service name, and stays so until SetServing(true) (or
// a ReadinessWatcher) says otherwise. (gRPC's default health service reports
// "" as SERVING for an instant between the listener starting and Start()
// returning; the per-service names never do.)
//
// Thread-safe: every method may be called from any thread, except that
// Shutdown() and Wait() must not be called from inside an RPC handler.
class RpcServer {
 public:
  // Registers `services` (callback-API services; they must outlive the
  // server), binds, and starts serving. INVALID_ARGUMENT for an empty address,
  // null credentials or a null service; UNAVAILABLE naming the address when
  // the server cannot start (port taken, address not local, bad certificate).
  // The port is never shared with another process (SO_REUSEPORT is off).
  static absl::StatusOr<std::unique_ptr<RpcServer>> Start(ServerOptions options,
                                                          std::vector<grpc::Service*> services);

  // Shuts down (if not yet done) and waits for the server to stop.
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // The bound port (the chosen one when the address asked for port 0).
  int port() const { return port_; }

  // Fully-qualified names of the registered services, e.g.
  // "hotline.intake.v1.IntakeService" (not health or reflection).
  const std::vector<std::string>& service_names() const { return service_names_; }

  // Sets the health status of "" and of every registered service name to
  // SERVING or NOT_SERVING. Ignored after Shutdown().
  void SetServing(bool serving);

  // Graceful drain: health turns NOT_SERVING for good, new calls are refused,
  // in-flight calls get up to drain_timeout to finish and are then cancelled
  // (clients see the failure then). Blocks until every handler has finished
  // its call, so handlers must finish cancelled calls promptly (reactors get
  // OnCancel; CallbackServerContext::IsCancelled()). Idempotent; concurrent
  // callers all wait.
  void Shutdown();

  // Blocks until the server has shut down (by Shutdown() from another thread).
  void Wait();

  // The underlying server, e.g. for InProcessChannel in tests.
  grpc::Server& grpc_server() { return *server_; }

 private:
  RpcServer(std::unique_ptr<grpc::Server> server, int port, std::vector<std::string> names,
            absl::Duration drain_timeout);

  const std::unique_ptr<grpc::Server> server_;
  const int port_;
  const std::vector<std::string> service_names_;
  const absl::Duration drain_timeout_;
  absl::once_flag shutdown_once_;
  absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace hotline::rpc
