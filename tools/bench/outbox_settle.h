#pragma once

// The events the services still owe each other when a scenario ends: each
// service writes the events of a change into its outbox in the change's own
// transaction and a relay delivers them later (docs/architecture.md). A rate
// the services answer at while their outboxes grow is not one they can keep
// up, so after each scenario hotline-bench waits until every outbox has
// delivered what it holds, and reports how many events were waiting and how
// long they took.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hotline::bench {

struct OutboxSettle {
  int64_t waiting = 0;  // undelivered events when the wait began
  int64_t left = 0;     // still undelivered when it ended (0: all delivered)
  absl::Duration took;  // how long the wait was
};

// Waits until no schema of the database at `uri` holds an undelivered outbox
// row, or `timeout` has passed, counting every `poll`. `progress(left)` after
// each count. An error names the database step; FAILED_PRECONDITION when the
// database has no outbox at all.
absl::StatusOr<OutboxSettle> AwaitOutboxesDelivered(
    const std::string& uri, absl::Duration timeout, absl::Duration poll,
    const std::function<void(int64_t left)>& progress);

}  // namespace hotline::bench
