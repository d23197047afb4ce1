#include "tools/bench/outbox_settle.h"

#include <map>
#include <pqxx/pqxx>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/pg/outbox_relay.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"

namespace hotline::bench {
namespace {

constexpr char kOutboxSchemas[] =
    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox' "
    "ORDER BY table_schema";

absl::Status Named(const absl::Status& status, absl::string_view step) {
  return absl::FailedPreconditionError(absl::StrCat("--outbox-pg: ", step, ": ", status.message()));
}

// The undelivered rows of every outbox, as the relays' backlog gauge reads them.
absl::StatusOr<int64_t> Waiting(pg::Pool& pool, const std::vector<std::string>& schemas) {
  int64_t waiting = 0;
  for (const std::string& schema : schemas) {
    HOTLINE_ASSIGN_OR_RETURN(auto backlog, pg::ReadOutboxBacklog(pool, schema));
    for (const auto& [destination, of_destination] : backlog) {
      waiting += of_destination.pending;
    }
  }
  return waiting;
}

}  // namespace

absl::StatusOr<OutboxSettle> AwaitOutboxesDelivered(
    const std::string& uri, absl::Duration timeout, absl::Duration poll,
    const std::function<void(int64_t left)>& progress) {
  pg::Pool pool({uri, 1, absl::Seconds(10)});
  std::vector<std::string> schemas;
  absl::Status found = pg::WithTransaction(pool, [&](pqxx::work& tx) -> absl::Status {
    schemas.clear();
    for (const pqxx::row& row : tx.exec(kOutboxSchemas)) {
      schemas.push_back(row[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!found.ok()) {
    return Named(found, "finding the outboxes");
  }
  if (schemas.empty()) {
    return absl::FailedPreconditionError(
        "--outbox-pg: no schema of this database has an outbox (is it the services' "
        "database?)");
  }
  OutboxSettle settle;
  const absl::Time start = absl::Now();
  absl::StatusOr<int64_t> waiting = Waiting(pool, schemas);
  if (!waiting.ok()) {
    return Named(waiting.status(), "counting the undelivered events");
  }
  settle.waiting = settle.left = *waiting;
  while (settle.left > 0 && absl::Now() - start < timeout) {
    absl::SleepFor(poll);
    waiting = Waiting(pool, schemas);
    if (!waiting.ok()) {
      return Named(waiting.status(), "counting the undelivered events");
    }
    settle.left = *waiting;
    progress(settle.left);
  }
  settle.took = absl::Now() - start;
  return settle;
}

}  // namespace hotline::bench
