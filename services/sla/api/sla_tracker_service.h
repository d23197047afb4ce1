#pragma once

// hotline.sla.v1.SlaTracker: authorise (libs/auth/access), check and convert
// the request (sla_requests.h), call the ClockDesk, convert back. Unary calls
// run on the handler pool (rpc::Answer). WatchEvents is an rpc::SequenceWatch
// over sla.actions (the unit's; every unit's for ""), read from PostgreSQL so
// any replica's stream sees every replica's actions, and woken through the
// feed by this replica's timer and the others' NOTIFY (kActionsChannel).

#include "hotline/sla/v1/sla.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "libs/rpc/handler_pool.h"
#include "libs/rpc/wake_feed.h"
#include "services/sla/api/sla_requests.h"
#include "services/sla/desk/clock_desk.h"
#include "services/sla/sla_settings.h"

namespace hotline::sla {

class SlaTrackerService final : public v1::SlaTracker::CallbackService {
 public:
  // All must outlive the service.
  SlaTrackerService(ClockDesk& desk, pg::Pool& pool, rpc::WakeFeed& feed,
                    const auth::TokenStore& tokens, const SlaSettings& settings,
                    rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* GetPolicies(grpc::CallbackServerContext* context,
                                        const v1::GetPoliciesRequest* request,
                                        v1::GetPoliciesResponse* response) override;
  grpc::ServerUnaryReactor* SetPolicy(grpc::CallbackServerContext* context,
                                      const v1::SetPolicyRequest* request,
                                      v1::Policy* response) override;
  grpc::ServerUnaryReactor* GetCalendar(grpc::CallbackServerContext* context,
                                        const v1::GetCalendarRequest* request,
                                        v1::Calendar* response) override;
  grpc::ServerUnaryReactor* SetCalendar(grpc::CallbackServerContext* context,
                                        const v1::SetCalendarRequest* request,
                                        v1::Calendar* response) override;
  grpc::ServerUnaryReactor* StartClock(grpc::CallbackServerContext* context,
                                       const v1::StartClockRequest* request,
                                       v1::StartClockResponse* response) override;
  grpc::ServerUnaryReactor* StopClock(grpc::CallbackServerContext* context,
                                      const v1::StopClockRequest* request,
                                      v1::ClockResponse* response) override;
  grpc::ServerUnaryReactor* PauseClock(grpc::CallbackServerContext* context,
                                       const v1::PauseClockRequest* request,
                                       v1::ClockResponse* response) override;
  grpc::ServerUnaryReactor* ResumeClock(grpc::CallbackServerContext* context,
                                        const v1::ResumeClockRequest* request,
                                        v1::ClockResponse* response) override;
  grpc::ServerUnaryReactor* GetClocks(grpc::CallbackServerContext* context,
                                      const v1::GetClocksRequest* request,
                                      v1::GetClocksResponse* response) override;
  grpc::ServerUnaryReactor* ListOverdue(grpc::CallbackServerContext* context,
                                        const v1::ListOverdueRequest* request,
                                        v1::ListOverdueResponse* response) override;
  grpc::ServerUnaryReactor* ComputeDeadlines(grpc::CallbackServerContext* context,
                                             const v1::ComputeDeadlinesRequest* request,
                                             v1::ComputeDeadlinesResponse* response) override;
  grpc::ServerWriteReactor<v1::SlaAction>* WatchEvents(
      grpc::CallbackServerContext* context, const v1::WatchEventsRequest* request) override;
  grpc::ServerUnaryReactor* GetShiftReport(grpc::CallbackServerContext* context,
                                           const v1::GetShiftReportRequest* request,
                                           v1::GetShiftReportResponse* response) override;

 private:
  TimeRule Rule() const;

  ClockDesk& desk_;
  pg::Pool& pool_;
  rpc::WakeFeed& feed_;
  const auth::TokenStore& tokens_;
  const SlaSettings& settings_;
  rpc::HandlerPool& handlers_;
};

}  // namespace hotline::sla
