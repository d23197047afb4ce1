#include "services/intake/calls/api/call_center_service.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/log/log.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/request_text.h"
#include "libs/status/status.h"
#include "services/intake/calls/api/call_center_proto.h"
#include "services/intake/calls/domain/call_record.h"
#include "services/intake/calls/domain/call_stats.h"

namespace hotline::intake {
namespace {

using auth::Role;

constexpr char kComponent[] = "calls";
constexpr int kMaxAgentQueues = 50;
constexpr absl::Duration kMaxStatsPeriod = absl::Hours(24 * 400);

// StreamCallEvents: each message is a batch, recorded in one transaction.
class EventBatchReader final : public grpc::ServerReadReactor<v1::CallEventBatch> {
 public:
  EventBatchReader(CallCenterService& service, const CallCenterSettings& settings,
                   rpc::HandlerPool& handlers, v1::StreamCallEventsResponse* response,
                   const absl::Status& allowed)
      : service_(service), settings_(settings), handlers_(handlers), response_(response) {
    if (!allowed.ok()) {
      Finish(ToGrpcStatus(allowed));
      return;
    }
    StartRead(&batch_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: all batches are recorded
      Finish(grpc::Status::OK);
      return;
    }
    ++batches_;
    // The reactor lives until Finish, which only the scheduled work calls.
    if (!handlers_.TrySchedule([this] { RecordAndReadOn(); })) {
      Finish(ToGrpcStatus(rpc::PoolFull(handlers_)));
    }
  }

  void OnDone() override { delete this; }

 private:
  void RecordAndReadOn() {
    absl::Status status = RecordBatch();
    if (!status.ok()) {
      Finish(ToGrpcStatus(PrefixMessage(absl::StrCat("batch ", batches_, ": "), status)));
      return;
    }
    response_->set_batches(batches_);
    StartRead(&batch_);
  }

  absl::Status RecordBatch() {
    HOTLINE_RETURN_IF_ERROR(rpc::CleanText(batch_));
    if (batch_.events_size() > settings_.max_batch) {
      return absl::InvalidArgumentError(absl::StrCat(
          "events: at most ", settings_.max_batch, " per batch (got ", batch_.events_size(), ")"));
    }
    std::vector<CallEvent> events;
    events.reserve(batch_.events_size());
    for (int i = 0; i < batch_.events_size(); ++i) {
      HOTLINE_ASSIGN_OR_RETURN(CallEvent e, CallEventFromProto(batch_.events(i), service_.Now(),
                                                               settings_.max_clock_skew,
                                                               absl::StrCat("events[", i, "].")));
      events.push_back(std::move(e));
    }
    if (events.empty()) {
      return absl::OkStatus();
    }
    HOTLINE_ASSIGN_OR_RETURN(RecordResult result, service_.Record(events));
    response_->set_recorded(response_->recorded() + result.recorded);
    response_->set_duplicates(response_->duplicates() + result.duplicates);
    return absl::OkStatus();
  }

  CallCenterService& service_;
  const CallCenterSettings& settings_;
  rpc::HandlerPool& handlers_;
  v1::StreamCallEventsResponse* response_;
  v1::CallEventBatch batch_;
  int64_t batches_ = 0;
};

// WatchLiveQueue: the state at once, then what the keeper publishes when it
// differs from what was sent last, or when the watch interval has passed.
class LiveQueueWatch final : public grpc::ServerWriteReactor<v1::GetLiveQueueResponse> {
 public:
  // The listener registered with the hub; outlives the reactor if the hub
  // still holds it, and then ignores offers.
  class Listener final : public LiveQueueListener {
   public:
    explicit Listener(LiveQueueWatch* watch) : watch_(watch) {}
    void Offer(const std::vector<LiveQueue>& all, absl::Time now) override {
      absl::MutexLock lock(&mu_);
      if (watch_ != nullptr) {
        watch_->Offer(all, now);
      }
    }
    void Detach() {
      absl::MutexLock lock(&mu_);
      watch_ = nullptr;
    }

   private:
    absl::Mutex mu_;
    LiveQueueWatch* watch_ ABSL_GUARDED_BY(mu_);
  };

  LiveQueueWatch(LiveQueueHub& hub, LiveQueueRedis& live, std::string queue,
                 absl::Duration interval, absl::Time now, const absl::Status& allowed)
      : hub_(hub), queue_(std::move(queue)), interval_(interval) {
    if (!allowed.ok()) {
      Finish(ToGrpcStatus(allowed));
      finished_ = true;
      return;
    }
    absl::StatusOr<std::vector<LiveQueue>> queues = live.Read(queue_);
    if (!queues.ok()) {
      Finish(ToGrpcStatus(queues.status()));
      finished_ = true;
      return;
    }
    listener_ = std::make_shared<Listener>(this);
    {
      absl::MutexLock lock(&mu_);
      SendLocked(*queues, now);
    }
    hub_.Add(listener_);
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok || cancelled_) {
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    if (pending_) {
      current_ = std::move(*pending_);
      pending_.reset();
      writing_ = true;
      StartWrite(&current_);
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (!writing_) {
      FinishLocked(grpc::Status::CANCELLED);
    }
  }

  void OnDone() override {
    if (listener_) {
      listener_->Detach();
      hub_.Remove(listener_.get());
    }
    delete this;
  }

 private:
  void Offer(const std::vector<LiveQueue>& all, absl::Time now) {
    absl::MutexLock lock(&mu_);
    if (finished_ || cancelled_) {
      return;
    }
    std::vector<LiveQueue> selected = SelectQueues(all, queue_);
    if (selected == last_sent_ && now - last_sent_at_ < interval_) {
      return;
    }
    SendLocked(selected, now);
  }

  void SendLocked(const std::vector<LiveQueue>& selected, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    last_sent_ = selected;
    last_sent_at_ = now;
    v1::GetLiveQueueResponse message = LiveQueuesToProto(selected, now);
    if (writing_) {
      pending_ = std::move(message);
      return;
    }
    current_ = std::move(message);
    writing_ = true;
    StartWrite(&current_);
  }

  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!finished_) {
      finished_ = true;
      Finish(status);
    }
  }

  LiveQueueHub& hub_;
  const std::string queue_;
  const absl::Duration interval_;
  std::shared_ptr<Listener> listener_;
  absl::Mutex mu_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  v1::GetLiveQueueResponse current_ ABSL_GUARDED_BY(mu_);
  std::optional<v1::GetLiveQueueResponse> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<LiveQueue> last_sent_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sent_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

CallCenterService::CallCenterService(CallStore& store, LiveQueueRedis& live, LiveQueueHub& hub,
                                     CallMetrics& metrics, const auth::TokenStore& tokens,
                                     const CallCenterSettings& settings, const clock::Clock& clock,
                                     rpc::HandlerPool& handlers)
    : store_(store),
      live_(live),
      hub_(hub),
      metrics_(metrics),
      tokens_(tokens),
      settings_(settings),
      clock_(clock),
      handlers_(handlers) {}

absl::Status CallCenterService::Authorize(const grpc::CallbackServerContext& context,
                                          absl::string_view method,
                                          auth::Principal* principal) const {
  HOTLINE_ASSIGN_OR_RETURN(auth::Principal who, auth::AuthorizeCall(tokens_, context, method));
  if (principal != nullptr) {
    *principal = std::move(who);
  }
  return absl::OkStatus();
}

absl::StatusOr<RecordResult> CallCenterService::Record(const std::vector<CallEvent>& events) {
  absl::StatusOr<RecordResult> result =
      store_.RecordEvents(events, [this](const std::vector<CallChange>& changes) {
        if (hub_.dirty()) {
          return;  // a rebuild from PostgreSQL is due anyway
        }
        std::vector<RedisCommand> commands;
        for (const CallChange& change : changes) {
          for (RedisCommand& command :
               CallLiveCommands(live_.keys(), change.call, change.previous_queue)) {
            commands.push_back(std::move(command));
          }
        }
        if (absl::Status s = live_.Apply(commands); !s.ok()) {
          hub_.MarkDirty();
          log::Warn(kComponent, "live queue not updated (will be rebuilt): ", s.ToString());
        }
      });
  if (!result.ok()) {
    // Redis may hold what a rolled-back attempt wrote.
    hub_.MarkDirty();
    if (absl::IsInvalidArgument(result.status()) &&
        absl::StartsWith(result.status().message(), kConflictPrefix)) {
      metrics_.CountConflictingEvent();
    }
    return result.status();
  }
  for (const CallChange& change : result->changes) {
    metrics_.Count(change.counts);
  }
  if (!result->changes.empty()) {
    hub_.NotifyChanged();
  }
  return result;
}

grpc::ServerUnaryReactor* CallCenterService::RecordCallEvent(
    grpc::CallbackServerContext* context, const v1::CallEvent* request,
    v1::RecordCallEventResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/RecordCallEvent"));
    HOTLINE_ASSIGN_OR_RETURN(CallEvent event,
                             CallEventFromProto(*request, clock_.Now(), settings_.max_clock_skew));
    HOTLINE_ASSIGN_OR_RETURN(RecordResult result, Record({event}));
    response->set_duplicate(result.duplicate.front());
    absl::StatusOr<std::vector<CallEvent>> timeline = store_.LoadTimeline(event.call_id);
    if (timeline.ok()) {
      *response->mutable_call() =
          CallRecordToProto(DeriveCall(event.call_id, *timeline), *timeline);
    } else if (!absl::IsNotFound(timeline.status())) {
      return timeline.status();
    }
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<v1::CallEventBatch>* CallCenterService::StreamCallEvents(
    grpc::CallbackServerContext* context, v1::StreamCallEventsResponse* response) {
  return new EventBatchReader(
      *this, settings_, handlers_, response,
      Authorize(*context, "/hotline.intake.v1.CallCenter/StreamCallEvents"));
}

absl::StatusOr<v1::SetAgentStateResponse> CallCenterService::DoSetAgentState(
    const grpc::CallbackServerContext& context, const v1::SetAgentStateRequest& request) {
  auth::Principal principal;
  HOTLINE_RETURN_IF_ERROR(
      Authorize(context, "/hotline.intake.v1.CallCenter/SetAgentState", &principal));
  HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("agent_id", request.agent_id()));
  if (principal.role == Role::kAgent && principal.name != request.agent_id()) {
    return absl::PermissionDeniedError("role agent may only set its own state");
  }
  HOTLINE_ASSIGN_OR_RETURN(AgentState state, AgentStateFromProto(request.state()));
  if (request.queues_size() > kMaxAgentQueues) {
    return absl::InvalidArgumentError(
        absl::StrCat("queues: at most ", kMaxAgentQueues, " (got ", request.queues_size(), ")"));
  }
  std::vector<std::string> queues;
  for (int i = 0; i < request.queues_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(ValidateIdentifier(absl::StrCat("queues[", i, "]"), request.queues(i)));
    if (std::find(queues.begin(), queues.end(), request.queues(i)) == queues.end()) {
      queues.push_back(request.queues(i));
    }
  }
  if (state == AgentState::kLoggedIn && queues.empty()) {
    return absl::InvalidArgumentError("queues: required when logging in");
  }
  absl::Time at = clock_.Now();
  if (request.has_at()) {
    HOTLINE_ASSIGN_OR_RETURN(
        at, ClientTimeFromProto("at", request.at(), clock_.Now(), settings_.max_clock_skew));
  }
  absl::StatusOr<AgentChange> changed =
      store_.SetAgentState(request.agent_id(), state, queues, at, [this](const AgentChange& c) {
        if (hub_.dirty()) {
          return;
        }
        if (absl::Status s =
                live_.Apply(AgentLiveCommands(live_.keys(), c.agent, c.previous_queues));
            !s.ok()) {
          hub_.MarkDirty();
          log::Warn(kComponent, "live queue not updated (will be rebuilt): ", s.ToString());
        }
      });
  if (!changed.ok()) {
    hub_.MarkDirty();  // Redis may hold what a rolled-back attempt wrote
    return changed.status();
  }
  const AgentChange& change = *changed;
  if (!change.stale) {
    hub_.NotifyChanged();
  }
  v1::SetAgentStateResponse response;
  response.set_agent_id(change.agent.agent_id);
  response.set_state(AgentStateToProto(change.agent.state));
  for (const std::string& queue : change.agent.queues) {
    response.add_queues(queue);
  }
  *response.mutable_since() = ToProtoTime(change.agent.since);
  response.set_stale(change.stale);
  return response;
}

grpc::ServerUnaryReactor* CallCenterService::SetAgentState(grpc::CallbackServerContext* context,
                                                           const v1::SetAgentStateRequest* request,
                                                           v1::SetAgentStateResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(*response, DoSetAgentState(*context, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallCenterService::GetCall(grpc::CallbackServerContext* context,
                                                     const v1::GetCallRequest* request,
                                                     v1::CallRecord* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/GetCall"));
    HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("call_id", request->call_id()));
    HOTLINE_ASSIGN_OR_RETURN(std::vector<CallEvent> timeline,
                             store_.LoadTimeline(request->call_id()));
    *response = CallRecordToProto(DeriveCall(request->call_id(), timeline), timeline);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallCenterService::GetLiveQueue(grpc::CallbackServerContext* context,
                                                          const v1::GetLiveQueueRequest* request,
                                                          v1::GetLiveQueueResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/GetLiveQueue"));
    if (!request->queue().empty()) {
      HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("queue", request->queue()));
    }
    HOTLINE_ASSIGN_OR_RETURN(std::vector<LiveQueue> queues, live_.Read(request->queue()));
    *response = LiveQueuesToProto(queues, clock_.Now());
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::GetLiveQueueResponse>* CallCenterService::WatchLiveQueue(
    grpc::CallbackServerContext* context, const v1::GetLiveQueueRequest* request) {
  absl::Status allowed = Authorize(*context, "/hotline.intake.v1.CallCenter/WatchLiveQueue");
  if (allowed.ok()) {
    allowed = rpc::CleanRequest(request);
  }
  if (allowed.ok() && !request->queue().empty()) {
    allowed = ValidateIdentifier("queue", request->queue());
  }
  return new LiveQueueWatch(hub_, live_, request->queue(), settings_.watch_interval, clock_.Now(),
                            allowed);
}

absl::StatusOr<v1::CallStats> CallCenterService::DoGetCallStats(
    const v1::GetCallStatsRequest& request) {
  if (!request.has_period() || !request.period().has_from()) {
    return absl::InvalidArgumentError("period.from: required");
  }
  if (!request.period().has_to()) {
    return absl::InvalidArgumentError("period.to: required");
  }
  HOTLINE_ASSIGN_OR_RETURN(absl::Time from,
                           ClientTimeFromProto("period.from", request.period().from()));
  HOTLINE_ASSIGN_OR_RETURN(absl::Time to, ClientTimeFromProto("period.to", request.period().to()));
  if (to <= from) {
    return absl::InvalidArgumentError("period.to: must be after period.from");
  }
  if (to - from > kMaxStatsPeriod) {
    return absl::InvalidArgumentError("period: at most 400 days");
  }
  if (!request.queue().empty()) {
    HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("queue", request.queue()));
  }
  CallStatsRules rules = settings_.StatsRules();
  if (request.ring_threshold_seconds() < 0 || request.ring_threshold_seconds() > 3600) {
    return absl::InvalidArgumentError("ring_threshold_seconds: must be between 0 and 3600");
  }
  if (request.mute_limit_seconds() < 0 || request.mute_limit_seconds() > 3600) {
    return absl::InvalidArgumentError("mute_limit_seconds: must be between 0 and 3600");
  }
  if (request.ring_threshold_seconds() > 0) {
    rules.ring_threshold_seconds = request.ring_threshold_seconds();
  }
  if (request.mute_limit_seconds() > 0) {
    rules.mute_limit_seconds = request.mute_limit_seconds();
  }
  HOTLINE_ASSIGN_OR_RETURN(CallStats stats, store_.LoadStats(from, to, request.queue(), rules));
  return CallStatsToProto(stats);
}

grpc::ServerUnaryReactor* CallCenterService::GetCallStats(grpc::CallbackServerContext* context,
                                                          const v1::GetCallStatsRequest* request,
                                                          v1::CallStats* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/GetCallStats"));
    HOTLINE_ASSIGN_OR_RETURN(*response, DoGetCallStats(*request));
    return absl::OkStatus();
  });
}

}  // namespace hotline::intake
