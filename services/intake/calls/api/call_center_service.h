#pragma once

// The hotline.intake.v1.CallCenter gRPC service (callback API): converts
// proto <-> domain (call_center_proto.h), checks roles, and uses the store
// (PostgreSQL, the truth), the live queue (Redis) and the metrics.
//
// Roles: the access table (libs/auth/access.h); besides it, an agent sets
// only its own state (agent_id = its token's name).

#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "libs/rpc/handler_pool.h"
#include "services/intake/calls/call_center_settings.h"
#include "services/intake/calls/desk/call_metrics.h"
#include "services/intake/calls/desk/live_queue_hub.h"
#include "services/intake/calls/store/call_store.h"
#include "services/intake/calls/store/live_queue_redis.h"

namespace hotline::intake {

class CallCenterService : public v1::CallCenter::CallbackService {
 public:
  CallCenterService(CallStore& store, LiveQueueRedis& live, LiveQueueHub& hub, CallMetrics& metrics,
                    const auth::TokenStore& tokens, const CallCenterSettings& settings,
                    const clock::Clock& clock, rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* RecordCallEvent(grpc::CallbackServerContext* context,
                                            const v1::CallEvent* request,
                                            v1::RecordCallEventResponse* response) override;
  grpc::ServerReadReactor<v1::CallEventBatch>* StreamCallEvents(
      grpc::CallbackServerContext* context, v1::StreamCallEventsResponse* response) override;
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

  // Records validated events: store (with the live-queue hook), then metrics
  // and the change notice. Used by both recording RPCs.
  absl::StatusOr<RecordResult> Record(const std::vector<CallEvent>& events);

  // The service's clock now (for the stream reader).
  absl::Time Now() const { return clock_.Now(); }

 private:
  // Authenticates the caller of `method` (a gRPC full method name) and checks
  // the access table; fills `principal` when given.
  absl::Status Authorize(const grpc::CallbackServerContext& context, absl::string_view method,
                         auth::Principal* principal = nullptr) const;
  absl::StatusOr<v1::SetAgentStateResponse> DoSetAgentState(
      const grpc::CallbackServerContext& context, const v1::SetAgentStateRequest& request);
  absl::StatusOr<v1::CallStats> DoGetCallStats(const v1::GetCallStatsRequest& request);

  CallStore& store_;
  LiveQueueRedis& live_;
  LiveQueueHub& hub_;
  CallMetrics& metrics_;
  const auth::TokenStore& tokens_;
  const CallCenterSettings& settings_;
  const clock::Clock& clock_;
  rpc::HandlerPool& handlers_;
};

}  // namespace hotline::intake
