#include "libs/events/event_sink_service.h"

#include <vector>

#include "libs/auth/access.h"
#include "libs/log/log.h"
#include "libs/pg/inbox.h"
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
  auto handler = handlers_.find(event.topic());
  if (handler == handlers_.end()) {
    log::Warn(schema_, "no handler for topic ", event.topic(), "; event ", event.event_id(),
              " dropped");
    return absl::OkStatus();
  }
  std::vector<std::function<void()>> actions;
  absl::Status applied = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    actions.clear();
    HOTLINE_ASSIGN_OR_RETURN(bool first,
                             pg::ClaimEvent(tx, schema_, event.event_id(), event.topic()));
    if (!first) {
      return absl::OkStatus();
    }
    struct Collect {  // also when the handler throws
      explicit Collect(std::vector<std::function<void()>>* list) { after_commit = list; }
      ~Collect() { after_commit = nullptr; }
    } collect(&actions);
    return handler->second(tx, event);
  });
  if (applied.ok()) {
    for (auto& action : actions) {
      action();
    }
  }
  return applied;
}

grpc::ServerUnaryReactor* EventSinkService::DeliverEvents(
    grpc::CallbackServerContext* context, const common::v1::DeliverEventsRequest* request,
    common::v1::DeliverEventsResponse* response) {
  return rpc::Answer(context, handlers_pool_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(
        auth::AuthorizeCall(tokens_, *context, "/hotline.common.v1.EventSink/DeliverEvents")
            .status());
    for (const common::v1::Event& event : request->events()) {
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
    return absl::OkStatus();
  });
}

}  // namespace hotline::events
