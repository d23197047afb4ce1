#pragma once

// The two ways a branch system pulls, as PullHub sessions tied to gRPC
// callback reactors:
//  - PullStream: PullOrders, a server stream that writes each delivery as
//    the hub hands it over (one write at a time; the hub leases nothing more
//    while writes are pending) and stays open until the client leaves;
//  - PollCall: PollOrders, a unary call answered with the first deliveries
//    or, at its deadline, with none.
// Each Start* creates the reactor (deleted by gRPC's OnDone), registers the
// session with the hub and returns the reactor for the handler to return.

#include <grpcpp/support/server_callback.h>

#include <string>

#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "services/dispatch/desk/pull_hub.h"

namespace hotline::dispatch {

grpc::ServerWriteReactor<v1::PullOrdersResponse>* StartPullStream(PullHub& hub,
                                                                  std::string branch_id,
                                                                  PullCursor cursor, bool resume,
                                                                  int max_outstanding);

grpc::ServerUnaryReactor* StartPollCall(PullHub& hub, std::string branch_id, PullCursor cursor,
                                        bool resume, int max_orders, absl::Time deadline,
                                        v1::PollOrdersResponse* response);

}  // namespace hotline::dispatch
