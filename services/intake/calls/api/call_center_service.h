#pragma once

// The hotline.intake.v1.CallCenter gRPC service (callback API): checks the
// caller, converts proto <-> domain (call_center_proto.h) and delegates to
// the desk (desk/call_desk.h); blocking work runs on the handler pool.
//
// Roles: the access table (libs/auth/access.h); besides it, an agent sets
// only its own state (agent_id = its token's name).

#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/rpc/handler_pool.h"
#include "services/intake/calls/call_center_settings.h"
#include "services/intake/calls/desk/call_desk.h"
#include "services/intake/calls/desk/live_queue_hub.h"

namespace hotline::intake {

// StreamCallEvents reads raw bytes (see EventBatchReader in the .cc).
class CallCenterService : public v1::CallCenter::WithRawCallbackMethod_StreamCallEvents<
                              v1::CallCenter::CallbackService> {
 public:
  CallCenterService(CallDesk& desk, LiveQueueHub& hub, const auth::TokenStore& tokens,
                    const CallCenterSettings& settings, rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* RecordCallEvent(grpc::CallbackServerContext* context,
                                            const v1::CallEvent* request,
                                            v1::RecordCallEventResponse* response) override;
  grpc::ServerReadReactor<grpc::ByteBuffer>* StreamCallEvents(grpc::CallbackServerContext* context,
                                                              grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SetAgentState(grpc::CallbackServerContext* context,
                                          const v1::SetAgentStateRequest* request,
                                          v1::SetAgentStateResponse* response) override;
  grpc::ServerUnaryReactor* GetCall(grpc::CallbackServerContext* context,
                                    const v1::GetCallRequest* request,
                                    v1::CallRecord* response) override;
  grpc::ServerUnaryReactor* GetLiveQueue(grpc::CallbackServerContext* context,
                                         const v1::GetLiveQueueRequest* request,
                                         v1::GetLiveQueueResponse* response) override;
  grpc::ServerWriteReactor<v1::GetLiveQueueResponse>* WatchLiveQueue(
      grpc::CallbackServerContext* context, const v1::GetLiveQueueRequest* request) override;
  grpc::ServerUnaryReactor* GetCallStats(grpc::CallbackServerContext* context,
                                         const v1::GetCallStatsRequest* request,
                                         v1::CallStats* response) override;

 private:
  // Authenticates the caller of `method` (a gRPC full method name) and checks
  // the access table; fills `principal` when given.
  absl::Status Authorize(const grpc::CallbackServerContext& context, absl::string_view method,
                         auth::Principal* principal = nullptr) const;

  CallDesk& desk_;
  LiveQueueHub& hub_;
  const auth::TokenStore& tokens_;
  const CallCenterSettings& settings_;
  rpc::HandlerPool& handlers_;
};

}  // namespace hotline::intake
