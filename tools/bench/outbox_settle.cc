#include "tools/bench/outbox_settle.h"

#include <exception>
#include <pqxx/pqxx>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace hotline::bench {
namespace {

constexpr char kOutboxSchemas[] =
    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox' "
    "ORDER BY table_schema";

// One count over every outbox; a plain index scan over the pending rows, as
// the relays walk them (libs/pg/outbox_relay.cc).
std::string CountStatement(pqxx::connection& conn, const std::vector<std::string>& schemas) {
  std::vector<std::string> parts;
  for (const std::string& schema : schemas) {
    parts.push_back(absl::StrCat("SELECT count(*) AS n FROM ", conn.quote_name(schema),
                                 ".outbox WHERE delivered_at IS NULL"));
  }
  return absl::StrCat("SET LOCAL enable_bitmapscan = off; SELECT coalesce(sum(n), 0) FROM (",
                      absl::StrJoin(parts, " UNION ALL "), ") AS waiting");
}

}  // namespace

absl::StatusOr<OutboxSettle> AwaitOutboxesDelivered(
    const std::string& uri, absl::Duration timeout, absl::Duration poll,
    const std::function<void(int64_t left)>& progress) {
  std::string step = "connecting";
  try {
    pqxx::connection conn(uri);
    step = "finding the outboxes";
    std::vector<std::string> schemas;
    {
      pqxx::read_transaction tx(conn);
      for (const pqxx::row& row : tx.exec(kOutboxSchemas)) {
        schemas.push_back(row[0].as<std::string>());
      }
    }
    if (schemas.empty()) {
      return absl::FailedPreconditionError(
          "--outbox-pg: no schema of this database has an outbox (is it the services' "
          "database?)");
    }
    OutboxSettle settle;
    step = "counting the undelivered events";
    const std::string count = CountStatement(conn, schemas);
    auto waiting = [&] {
      pqxx::work tx(conn);
      const int64_t n = tx.exec(count)[0][0].as<int64_t>();
      tx.commit();
      return n;
    };
    const absl::Time start = absl::Now();
    settle.waiting = waiting();
    settle.left = settle.waiting;
    while (settle.left > 0 && absl::Now() - start < timeout) {
      absl::SleepFor(poll);
      settle.left = waiting();
      progress(settle.left);
    }
    settle.took = absl::Now() - start;
    return settle;
  } catch (const std::exception& e) {
    return absl::FailedPreconditionError(absl::StrCat("--outbox-pg: ", step, ": ", e.what()));
  } catch (...) {
    return absl::FailedPreconditionError(absl::StrCat("--outbox-pg: ", step, " failed"));
  }
}

}  // namespace hotline::bench
