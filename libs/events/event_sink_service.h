#pragma once

// The receiving end of events from other services: the
// hotline.common.v1.EventSink gRPC service. A service subscribes a handler
// per topic; each delivered event is applied in one transaction together with
// its inbox claim, so a redelivered event is applied exactly once.
//
// Callers must present a token of role `service`, and no other (admin
// neither: see the access table, libs/auth/access.h). Events of one call are
// applied in order, up to kEventsTogether in one transaction (one commit for
// them all; SetEventsTogether); when any of them fails, or waits for a lock
// longer than kLockWaitTogether, or half the call's time left is gone before
// the last of them, that transaction is rolled back and each of its events is applied in its
// own, so one failing event does not hold up the others. The answer lists the
// applied ones and the refused ones with the reason (a status code name: no
// internals leave the service). An event whose
// topic has no handler is acknowledged and dropped (logged), so a stray
// subscription cannot block the sender's outbox. A handler error leaves the
// event unacknowledged: the sender retries it later. Handlers must therefore
// be safe to run again after a rolled-back attempt, and must tolerate events
// that arrive late or out of order.
//
// Thread-safe once subscriptions are made (subscribe before serving).

#include <algorithm>
#include <functional>
#include <map>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hotline/common/v1/events.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/rpc/handler_pool.h"

namespace hotline::events {

using EventHandler = std::function<absl::Status(pqxx::work& tx, const common::v1::Event& event)>;

// For use inside an EventHandler: runs `action` on the same thread once the
// handler's transaction has committed (never if it rolls back; an attempt
// that is retried drops the actions of the failed attempt). For work outside
// the database that must follow the commit: pushing to Redis, waking waiters.
void AfterCommit(std::function<void()> action);

class EventSinkService final : public common::v1::EventSink::CallbackService {
 public:
  // `schema` is the receiving service's schema (its inbox).
  // DeliverEvents runs on `handlers` (libs/rpc/answer.h).
  EventSinkService(pg::Pool& pool, std::string schema, const auth::TokenStore& tokens,
                   rpc::HandlerPool& handlers);

  void Subscribe(std::string topic, EventHandler handler);

  // How many events of a call are applied in one transaction at most
  // (kEventsTogether unless set; 1: each in its own). A service whose handlers
  // take a lock that much other work waits for sets 1, so the lock is not held
  // across the other events of a call. Set before serving.
  void SetEventsTogether(int most) { events_together_ = std::max(most, 1); }

  grpc::ServerUnaryReactor* DeliverEvents(grpc::CallbackServerContext* context,
                                          const common::v1::DeliverEventsRequest* request,
                                          common::v1::DeliverEventsResponse* response) override;

  // Applies one event (claim + handler in one transaction). Exposed for tests.
  absl::Status Apply(const common::v1::Event& event);

 private:
  // How many events of a call are applied in one transaction at most, and how
  // long that transaction waits for any lock: it holds the locks of all of
  // them until its commit, so it gives way to other work rather than wait.
  static constexpr int kEventsTogether = 16;
  static constexpr absl::Duration kLockWaitTogether = absl::Milliseconds(200);

  // Applies events[begin, end) in one transaction; false when it did not
  // (nothing of them is kept then).
  bool ApplyChunk(const google::protobuf::RepeatedPtrField<common::v1::Event>& events, int begin,
                  int end);
  // Applies the events, in order, in one transaction (claims and handlers),
  // waiting at most `lock_wait` for a lock (zero: the pool's lock_timeout);
  // each must have an event id and a handler. AfterCommit actions run after
  // the commit.
  absl::Status ApplyTogether(const std::vector<const common::v1::Event*>& events,
                             absl::Duration lock_wait, pg::TransactionOptions options);

  pg::Pool& pool_;
  std::string schema_;
  const auth::TokenStore& tokens_;
  rpc::HandlerPool& handlers_pool_;
  std::map<std::string, EventHandler> handlers_;
  int events_together_ = kEventsTogether;
};

}  // namespace hotline::events
