#include "tools/bench/open_clocks.h"

#include <algorithm>
#include <exception>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace hotline::bench {
namespace {

constexpr char kCountOpen[] = "SELECT count(*) FROM sla.clocks WHERE state <> 'stopped'";

// $1 background repair-dispatch clocks, started an hour ago, due 2 to 30 days
// from now, their first warning at half the limit (some 23 hours away at the
// least).
constexpr char kAddBackground[] = R"sql(
INSERT INTO sla.clocks (clock_id, ticket_id, ticket_number, ticket_type, stage, state,
                        started_at, due_at, segment_start, measure, limit_us, warn_at,
                        next_fire_at)
SELECT gen_random_uuid(), gen_random_uuid(), 'BENCH-OPEN', 'repair', 'dispatch', 'running',
       started, due, started, 'elapsed',
       (extract(epoch FROM due - started) * 1000000)::bigint, '{0.5,0.8}',
       started + (due - started) / 2
  FROM (SELECT now() - interval '1 hour' AS started,
               now() + interval '2 days' + random() * interval '28 days' AS due
          FROM generate_series(1, $1)) AS s
)sql";

constexpr int64_t kBlock = 100000;
// Connections adding blocks at once: PostgreSQL then works on every core.
constexpr int kWriters = 2;

// Adds `to_add` background clocks in blocks of kBlock, kWriters connections
// at once; throws what the first failed writer threw.
void AddBackground(const std::string& uri, int64_t to_add,
                   const std::function<void(int64_t added, int64_t to_add)>& progress) {
  absl::Mutex mu;
  int64_t claimed = 0;  // rows handed to a writer
  int64_t added = 0;    // rows committed
  std::exception_ptr failure;
  auto writer = [&] {
    try {
      pqxx::connection conn(uri);
      while (true) {
        int64_t n = 0;
        {
          absl::MutexLock lock(&mu);
          if (failure != nullptr || claimed >= to_add) {
            return;
          }
          n = std::min(kBlock, to_add - claimed);
          claimed += n;
        }
        pqxx::work tx(conn);
        tx.exec_params0(kAddBackground, n);
        tx.commit();
        absl::MutexLock lock(&mu);
        added += n;
        progress(added, to_add);
      }
    } catch (...) {
      absl::MutexLock lock(&mu);
      if (failure == nullptr) {
        failure = std::current_exception();
      }
    }
  };
  {
    std::vector<std::jthread> writers;  // joined when they go, also on an exception
    for (int i = 0; i < kWriters; ++i) {
      writers.emplace_back(writer);
    }
  }
  if (failure != nullptr) {
    std::rethrow_exception(failure);
  }
}

}  // namespace

absl::StatusOr<int64_t> TopUpOpenClocks(
    const std::string& uri, int64_t wanted,
    const std::function<void(int64_t added, int64_t to_add)>& progress) {
  std::string step = "connecting";
  try {
    pqxx::connection conn(uri);
    step = "counting the open clocks";
    auto count_open = [&conn] {
      pqxx::work tx(conn);
      const int64_t open = tx.exec1(kCountOpen)[0].as<int64_t>();
      tx.commit();
      return open;
    };
    const int64_t to_add = std::max<int64_t>(0, wanted - count_open());
    if (to_add > 0) {
      step = "adding background clocks";
      AddBackground(uri, to_add, progress);
      // Vacuumed and analyzed now, so that neither runs during the measured part.
      step = "vacuuming sla.clocks";
      pqxx::nontransaction tx(conn);
      tx.exec0("VACUUM (ANALYZE) sla.clocks");
    }
    step = "counting the open clocks";
    return count_open();
  } catch (const std::exception& e) {
    return absl::FailedPreconditionError(absl::StrCat("--sla-pg: ", step, ": ", e.what()));
  } catch (...) {
    return absl::FailedPreconditionError(absl::StrCat("--sla-pg: ", step, " failed"));
  }
}

}  // namespace hotline::bench
