#include "services/intake/calls/api/call_center_service.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/auth/access.h"
#include "libs/log/log.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/request_text.h"
#include "libs/rpc/unparsed_request.h"
#include "libs/status/status.h"
#include "services/intake/calls/api/call_center_proto.h"
#include "services/intake/calls/domain/call_record.h"
#include "services/intake/calls/domain/call_stats.h"

namespace hotline::intake {
namespace {

// StreamCallEvents: each message is a batch, recorded in one transaction.
// Batches are read as bytes and parsed here (rpc::ParseMessage), because
// gRPC's typed reader reports a message it cannot parse as the end of the
// stream; the answer is serialised here for the same reason.
class EventBatchReader final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  EventBatchReader(CallDesk& desk, const CallCenterSettings& settings, rpc::HandlerPool& handlers,
                   grpc::ByteBuffer* response, const absl::Status& allowed)
      : desk_(desk), settings_(settings), handlers_(handlers), raw_response_(response) {
    if (!allowed.ok()) {
      Finish(ToGrpcStatus(allowed));
      return;
    }
    StartRead(&raw_batch_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: all batches are recorded
      std::string bytes = response_.SerializeAsString();
      grpc::Slice slice(bytes);
      *raw_response_ = grpc::ByteBuffer(&slice, 1);
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
    response_.set_batches(batches_);
    StartRead(&raw_batch_);
  }

  absl::Status RecordBatch() {
    batch_.Clear();
    // ParseMessage's message starts with "not a valid ...": the caller adds "batch N: ".
    if (absl::Status parsed = rpc::ParseMessage(raw_batch_, batch_, ""); !parsed.ok()) {
      return absl::InvalidArgumentError(absl::StripPrefix(parsed.message(), ": "));
    }
    HOTLINE_RETURN_IF_ERROR(rpc::CleanText(batch_));
    if (batch_.events_size() > settings_.max_batch) {
      return absl::InvalidArgumentError(absl::StrCat(
          "events: at most ", settings_.max_batch, " per batch (got ", batch_.events_size(), ")"));
    }
    std::vector<CallEvent> events;
    events.reserve(batch_.events_size());
    for (int i = 0; i < batch_.events_size(); ++i) {
      HOTLINE_ASSIGN_OR_RETURN(
          CallEvent e, CallEventFromProto(batch_.events(i), desk_.Now(), settings_.max_clock_skew,
                                          absl::StrCat("events[", i, "].")));
      events.push_back(std::move(e));
    }
    if (events.empty()) {
      return absl::OkStatus();
    }
    HOTLINE_ASSIGN_OR_RETURN(RecordResult result, desk_.Record(events));
    response_.set_recorded(response_.recorded() + result.recorded);
    response_.set_duplicates(response_.duplicates() + result.duplicates);
    return absl::OkStatus();
  }

  CallDesk& desk_;
  const CallCenterSettings& settings_;
  rpc::HandlerPool& handlers_;
  grpc::ByteBuffer* raw_response_;
  v1::StreamCallEventsResponse response_;
  grpc::ByteBuffer raw_batch_;
  v1::CallEventBatch batch_;
  int64_t batches_ = 0;
};

// WatchLiveQueue: the state at once, then what the keeper publishes when it
// differs from what was sent last, or when the watch interval has passed.
// The first read (Redis) runs on the handler pool, not on gRPC's thread;
// StartWrite and Finish are called without the reactor's lock held.
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

  LiveQueueWatch(CallDesk& desk, LiveQueueHub& hub, rpc::HandlerPool& handlers, std::string queue,
                 absl::Duration interval, const absl::Status& allowed)
      : desk_(desk), hub_(hub), queue_(std::move(queue)), interval_(interval) {
    if (!allowed.ok()) {
      finished_ = true;
      Finish(ToGrpcStatus(allowed));
      return;
    }
    // Until Start has run, OnCancel leaves finishing to it: the reactor must
    // outlive the scheduled work.
    starting_ = true;
    if (!handlers.TrySchedule([this] { Start(); })) {
      starting_ = false;
      finished_ = true;
      Finish(ToGrpcStatus(rpc::PoolFull(handlers)));
    }
  }

  void OnWriteDone(bool ok) override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok || cancelled_) {
        step = FinishLocked(grpc::Status::CANCELLED);
      } else {
        step = NextWriteLocked();
      }
    }
    Take(step);
  }

  void OnCancel() override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      if (!writing_ && !starting_) {
        step = FinishLocked(grpc::Status::CANCELLED);
      }
    }
    Take(step);
  }

  void OnDone() override {
    if (listener_) {
      listener_->Detach();
      hub_.Remove(listener_.get());
    }
    delete this;
  }

 private:
  // What to do once the lock is released: write `current_`, or finish.
  struct Step {
    bool write = false;
    std::optional<grpc::Status> finish;
  };

  void Start() {
    absl::StatusOr<std::vector<LiveQueue>> queues = desk_.ReadLive(queue_);
    Step step;
    bool listen = false;
    {
      absl::MutexLock lock(&mu_);
      starting_ = false;
      if (cancelled_) {
        step = FinishLocked(grpc::Status::CANCELLED);
      } else if (!queues.ok()) {
        step = FinishLocked(ToGrpcStatus(queues.status()));
      } else {
        listener_ = std::make_shared<Listener>(this);
        listen = true;
        step = SendLocked(*queues, desk_.Now());
      }
    }
    if (listen) {
      hub_.Add(listener_);
    }
    Take(step);
  }

  void Offer(const std::vector<LiveQueue>& all, absl::Time now) {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      if (finished_ || cancelled_) {
        return;
      }
      std::vector<LiveQueue> selected = SelectQueues(all, queue_);
      if (selected == last_sent_ && now - last_sent_at_ < interval_) {
        return;
      }
      step = SendLocked(selected, now);
    }
    Take(step);
  }

  Step SendLocked(const std::vector<LiveQueue>& selected, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    last_sent_ = selected;
    last_sent_at_ = now;
    pending_ = LiveQueuesToProto(selected, now);
    return NextWriteLocked();
  }

  // Moves the pending message to `current_` when no write is in flight.
  Step NextWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step;
    if (!writing_ && pending_.has_value() && !finished_) {
      current_ = std::move(*pending_);
      pending_.reset();
      writing_ = true;
      step.write = true;
    }
    return step;
  }

  Step FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step;
    if (!finished_) {
      finished_ = true;
      step.finish = status;
    }
    return step;
  }

  // Only one write is in flight (writing_), so current_ is not touched until
  // OnWriteDone.
  void Take(const Step& step) {
    if (step.write) {
      StartWrite(&current_);
    } else if (step.finish.has_value()) {
      Finish(*step.finish);
    }
  }

  CallDesk& desk_;
  LiveQueueHub& hub_;
  const std::string queue_;
  const absl::Duration interval_;
  std::shared_ptr<Listener> listener_;
  absl::Mutex mu_;
  bool starting_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  v1::GetLiveQueueResponse current_;
  std::optional<v1::GetLiveQueueResponse> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<LiveQueue> last_sent_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sent_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

CallCenterService::CallCenterService(CallDesk& desk, LiveQueueHub& hub,
                                     const auth::TokenStore& tokens,
                                     const CallCenterSettings& settings, rpc::HandlerPool& handlers)
    : desk_(desk), hub_(hub), tokens_(tokens), settings_(settings), handlers_(handlers) {}

absl::Status CallCenterService::Authorize(const grpc::CallbackServerContext& context,
                                          absl::string_view method,
                                          auth::Principal* principal) const {
  HOTLINE_ASSIGN_OR_RETURN(auth::Principal who, auth::AuthorizeCall(tokens_, context, method));
  if (principal != nullptr) {
    *principal = std::move(who);
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CallCenterService::RecordCallEvent(
    grpc::CallbackServerContext* context, const v1::CallEvent* request,
    v1::RecordCallEventResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/RecordCallEvent"));
    HOTLINE_ASSIGN_OR_RETURN(CallEvent event,
                             CallEventFromProto(*request, desk_.Now(), settings_.max_clock_skew));
    HOTLINE_ASSIGN_OR_RETURN(RecordResult result, desk_.Record({event}));
    response->set_duplicate(result.duplicate.front());
    absl::StatusOr<CallView> call = desk_.LoadCall(event.call_id);
    if (call.ok()) {
      *response->mutable_call() = CallRecordToProto(call->record, call->timeline);
    } else if (!absl::IsNotFound(call.status())) {
      return call.status();
    }
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<grpc::ByteBuffer>* CallCenterService::StreamCallEvents(
    grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
  return new EventBatchReader(
      desk_, settings_, handlers_, response,
      Authorize(*context, "/hotline.intake.v1.CallCenter/StreamCallEvents"));
}

grpc::ServerUnaryReactor* CallCenterService::SetAgentState(grpc::CallbackServerContext* context,
                                                           const v1::SetAgentStateRequest* request,
                                                           v1::SetAgentStateResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    auth::Principal caller;
    HOTLINE_RETURN_IF_ERROR(
        Authorize(*context, "/hotline.intake.v1.CallCenter/SetAgentState", &caller));
    HOTLINE_ASSIGN_OR_RETURN(
        AgentStateChange change,
        AgentStateChangeFromProto(*request, desk_.Now(), settings_.max_clock_skew));
    HOTLINE_ASSIGN_OR_RETURN(AgentChange changed, desk_.SetAgentState(caller, change));
    *response = AgentChangeToProto(changed);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CallCenterService::GetCall(grpc::CallbackServerContext* context,
                                                     const v1::GetCallRequest* request,
                                                     v1::CallRecord* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/GetCall"));
    HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("call_id", request->call_id()));
    HOTLINE_ASSIGN_OR_RETURN(CallView call, desk_.LoadCall(request->call_id()));
    *response = CallRecordToProto(call.record, call.timeline);
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
    HOTLINE_ASSIGN_OR_RETURN(std::vector<LiveQueue> queues, desk_.ReadLive(request->queue()));
    *response = LiveQueuesToProto(queues, desk_.Now());
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
  return new LiveQueueWatch(desk_, hub_, handlers_, request->queue(), settings_.watch_interval,
                            allowed);
}

grpc::ServerUnaryReactor* CallCenterService::GetCallStats(grpc::CallbackServerContext* context,
                                                          const v1::GetCallStatsRequest* request,
                                                          v1::CallStats* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.intake.v1.CallCenter/GetCallStats"));
    HOTLINE_ASSIGN_OR_RETURN(CallStatsQuery query,
                             CallStatsQueryFromProto(*request, settings_.StatsRules()));
    HOTLINE_ASSIGN_OR_RETURN(CallStats stats,
                             desk_.LoadStats(query.from, query.to, query.queue, query.rules));
    *response = CallStatsToProto(stats);
    return absl::OkStatus();
  });
}

}  // namespace hotline::intake
