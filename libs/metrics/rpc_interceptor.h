#pragma once

// A gRPC server interceptor that records, for every RPC the server handles
// (sync, async and callback services alike):
//
//   hotline_rpc_requests_total{service,method,code}   counter
//   hotline_rpc_duration_seconds{service,method}      histogram, LatencyBuckets()
//
// service is the full service name ("hotline.intake.v1.TicketIntake"), method
// the bare method ("CreateTicket"), code the gRPC code name ("OK",
// "INVALID_ARGUMENT"). Duration runs from when the server matched the call to
// when it sends the status. A call that ends without sending a status (the
// client went away) is counted with code "CANCELLED".
//
// To bound the number of series against clients probing made-up method names,
// at most 1000 distinct methods are tracked; later ones are recorded as
// service="other", method="other".
//
// Register with:
//   std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
//   f.push_back(hotline::metrics::MakeRpcMetricsInterceptorFactory());
//   builder.experimental().SetInterceptorCreators(std::move(f));

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "libs/metrics/registry.h"

namespace hotline::metrics {

// The factory is thread-safe; the metric families are created on `registry`
// once, here. Per-call cost: one shared-lock map lookup at call start and a
// few atomic updates at the end.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeRpcMetricsInterceptorFactory(
    std::shared_ptr<prometheus::Registry> registry = ProcessRegistry());

}  // namespace hotline::metrics
