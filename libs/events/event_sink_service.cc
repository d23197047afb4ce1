#include "libs/events/event_sink_service.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/deadline/request_deadline.h"
#include "libs/log/log.h"
#include "libs/pg/inbox.h"
#include "libs/pg/prepared.h"
#include "libs/pg/transaction.h"
#include "libs/rpc/answer.h"
#include "libs/status/status.h"

namespace hotline::events {
namespace {

// The AfterCommit actions of the event being applied on this thread.
thread_local std::vector<std::function<void()>>* after_commit = nullptr;

}  // namespace

void AfterCommit(std::function<void()> action) {
  if (after_commit != nullptr) {
    after_commit->push_back(std::move(action));
  }
}

EventSinkService::EventSinkService(pg::Pool& pool, std::string schema,
                                   const auth::TokenStore& tokens, rpc::HandlerPool& handlers)
    : pool_(pool), schema_(std::move(schema)), tokens_(tokens), handlers_pool_(handlers) {}

void EventSinkService::Subscribe(std::string topic, EventHandler handler) {
  handlers_[std::move(topic)] = std::move(handler);
}

absl::Status EventSinkService::Apply(const common::v1::Event& event) {
  if (event.event_id().empty()) {
    return absl::InvalidArgumentError("event_id: required");
  }
  if (!handlers_.contains(event.topic())) {
    log::Warn(schema_, "no handler for topic ", event.topic(), "; event ", event.event_id(),
              " dropped");
    return absl::OkStatus();
  }
  return ApplyTogether({&event}, absl::ZeroDuration(), pg::TransactionOptions());
}

absl::Status EventSinkService::ApplyTogether(const std::vector<const common::v1::Event*>& events,
                                             absl::Duration lock_wait,
                                             pg::TransactionOptions options) {
  std::vector<std::function<void()>> actions;
  absl::Status applied = pg::WithTransaction(
      pool_,
      [&](pqxx::work& tx) -> absl::Status {
        actions.clear();
        if (lock_wait > absl::ZeroDuration()) {
          pg::Exec(tx, "SELECT set_config('lock_timeout', $1, true)",
                   absl::StrCat(absl::ToInt64Milliseconds(lock_wait)));
        }
        struct Collect {  // also when a handler throws
          explicit Collect(std::vector<std::function<void()>>* list) { after_commit = list; }
          ~Collect() { after_commit = nullptr; }
        } collect(&actions);
        // One statement claims them all; each event claimed now is applied once.
        std::vector<pg::InboxEntry> entries;
        for (const common::v1::Event* event : events) {
          entries.push_back({event->event_id(), event->topic()});
        }
        HOTLINE_ASSIGN_OR_RETURN(std::set<std::string> claimed,
                                 pg::ClaimEvents(tx, schema_, entries));
        for (const common::v1::Event* event : events) {
          if (deadline::Remaining() <= absl::ZeroDuration()) {
            return absl::DeadlineExceededError("no time left for the next event");
          }
          if (claimed.erase(event->event_id()) > 0) {
            HOTLINE_RETURN_IF_ERROR(handlers_.at(event->topic())(tx, *event));
          }
        }
        return absl::OkStatus();
      },
      options);
  if (applied.ok()) {
    for (auto& action : actions) {
      action();
    }
  }
  return applied;
}

bool EventSinkService::ApplyChunk(
    const google::protobuf::RepeatedPtrField<common::v1::Event>& events, int begin, int end) {
  std::vector<const common::v1::Event*> together;
  for (int i = begin; i < end; ++i) {
    if (events[i].event_id().empty() || !handlers_.contains(events[i].topic())) {
      return false;  // Apply answers these, one by one
    }
    together.push_back(&events[i]);
  }
  // At most half the time left, so that applying the events one by one after
  // a failure still has time.
  const absl::Duration left = deadline::Remaining();
  deadline::Scope half(left == absl::InfiniteDuration() ? absl::InfiniteFuture()
                                                        : absl::Now() + left / 2);
  absl::Status applied = ApplyTogether(together, kLockWaitTogether, {.max_attempts = 1});
  if (!applied.ok()) {
    log::Debug(schema_, "a batch of ", together.size(),
               " events is applied one by one: ", applied.ToString());
  }
  return applied.ok();
}

grpc::ServerUnaryReactor* EventSinkService::DeliverEvents(
    grpc::CallbackServerContext* context, const common::v1::DeliverEventsRequest* request,
    common::v1::DeliverEventsResponse* response) {
  return rpc::Answer(context, handlers_pool_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(
        auth::AuthorizeCall(tokens_, *context, "/hotline.common.v1.EventSink/DeliverEvents")
            .status());
    const auto& events = request->events();
    for (int begin = 0; begin < events.size(); begin += events_together_) {
      const int end = std::min(events.size(), begin + events_together_);
      if (end - begin > 1 && ApplyChunk(events, begin, end)) {
        for (int i = begin; i < end; ++i) {
          response->add_accepted_event_ids(events[i].event_id());
        }
        continue;
      }
      for (int i = begin; i < end; ++i) {
        const common::v1::Event& event = events[i];
        absl::Status applied = Apply(event);
        if (applied.ok()) {
          response->add_accepted_event_ids(event.event_id());
          continue;
        }
        log::Warn(schema_, "event ", event.event_id(), " (", event.topic(),
                  ") not applied: ", applied.ToString());
        common::v1::RefusedEvent* refused = response->add_refused_events();
        refused->set_event_id(event.event_id());
        refused->set_reason(std::string(absl::StatusCodeToString(applied.code())));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace hotline::events
