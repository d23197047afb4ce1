#include "libs/pg/outbox_relay.h"

#include <algorithm>
#include <pqxx/pqxx>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "libs/log/log.h"
#include "libs/pg/backoff.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/pg/prepared.h"
#include "libs/pg/purge.h"
#include "libs/pg/sql_values.h"
#include "libs/pg/transaction.h"
#include "libs/pg/without_transaction.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

constexpr absl::string_view kLogComponent = "pg.outbox_relay";
constexpr size_t kMaxErrorLength = 1000;
constexpr absl::Duration kFirstDestinationBackoff = absl::Milliseconds(100);

// {t} stands for <schema>.outbox.
constexpr absl::string_view kTable = "outbox";
// The statements that walk the pending rows do so through the partial index
// outbox_destination_pending_idx (or outbox_pending_idx). A row delivered
// since the last vacuum keeps a dead entry in those indexes. A plain index
// scan marks such an entry dead the first time it meets it and skips it
// afterwards; a bitmap scan, which the planner picks whenever its statistics
// say few rows are pending (that is, nearly always), visits each one's heap
// page every time: thousands of pages, tens of milliseconds a claim, on a
// busy outbox between two vacuums. So bitmap scans are off for these
// statements, and only for them: SET LOCAL in the same simple query (outside
// a transaction block, PostgreSQL runs it as one implicit transaction).
#define HOTLINE_PLAIN_INDEX_SCANS "SET LOCAL enable_bitmapscan = off;\n"
// Claims the destination's due rows in id order ({destination} = '': every
// destination's). The values are literals (a simple query has no
// parameters), so the plan is made for this destination each time.
constexpr char kClaim[] = HOTLINE_PLAIN_INDEX_SCANS R"sql(
UPDATE {t} SET leased_until = now() + {lease_ms} * interval '1 millisecond'
WHERE id IN (
  SELECT id FROM {t}
  WHERE delivered_at IS NULL AND next_attempt_at <= now()
    AND (leased_until IS NULL OR leased_until <= now())
    AND ({destination} = '' OR destination = {destination})
  ORDER BY id
  LIMIT {batch_size}
  FOR UPDATE SKIP LOCKED)
RETURNING id, event_id, destination, topic, key, payload,
          )sql" HOTLINE_PG_MICROS("created_at") R"sql(, attempts)sql";
// One statement for a batch's answer: per row ($1 ids), "" in $2 for
// delivered, else the destination's reason and the backoff in $3 (ms). A
// refusal leaves alone a row that another relay (which leased it after this
// one's lease ended) has delivered meanwhile.
constexpr char kMark[] = R"sql(
UPDATE {t} AS o
SET attempts = o.attempts + 1, leased_until = NULL,
    last_error = NULLIF(m.error, ''),
    delivered_at = CASE WHEN m.error = '' THEN COALESCE(o.delivered_at, now()) END,
    next_attempt_at = CASE WHEN m.error = '' THEN o.next_attempt_at
                           ELSE now() + m.backoff_ms * interval '1 millisecond' END
FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS m(id, error, backoff_ms)
WHERE o.id = m.id AND (m.error = '' OR o.delivered_at IS NULL))sql";
constexpr char kMarkUnreachable[] = R"sql(
UPDATE {t} SET attempts = attempts + 1, last_error = $2, leased_until = NULL
WHERE id = ANY($1::bigint[]))sql";
constexpr char kCountPending[] =
    HOTLINE_PLAIN_INDEX_SCANS "SELECT count(*) FROM {t} WHERE delivered_at IS NULL";
constexpr char kBacklog[] = HOTLINE_PLAIN_INDEX_SCANS R"sql(
SELECT destination, count(*),
       )sql" HOTLINE_PG_MICROS("now() - min(created_at)") R"sql(
FROM {t} WHERE delivered_at IS NULL GROUP BY destination)sql";
constexpr char kPurge[] = R"sql(
DELETE FROM {t} WHERE id IN (
  SELECT id FROM {t} WHERE delivered_at < now() - $1 * interval '1 millisecond' LIMIT $2))sql";

OutboxEvent EventFromRow(const pqxx::row& row) {
  OutboxEvent e;
  e.id = row[0].as<int64_t>();
  e.event_id = row[1].as<std::string>();
  e.destination = row[2].as<std::string>();
  e.topic = row[3].as<std::string>();
  e.key = row[4].as<std::string>();
  e.payload = pqxx::binarystring(row[5]).str();
  e.created_at = RequiredTimeOf(row[6]);
  e.attempts = row[7].as<int>();
  return e;
}

int64_t Millis(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

std::string Clipped(const absl::Status& status) {
  return status.ToString().substr(0, kMaxErrorLength);
}

// Row by row: an error (or a throw) refuses that row, with its error kept.
BatchDeliverer RowByRow(OutboxDeliverer deliver) {
  return [deliver = std::move(deliver)](
             const std::string&,
             const std::vector<OutboxEvent>& batch) -> absl::StatusOr<DeliveryResults> {
    DeliveryResults results;
    for (const OutboxEvent& event : batch) {
      results[event.id] = CatchExceptions("deliverer", [&] { return deliver(event); });
    }
    return results;
  };
}

}  // namespace

// One destination's worker and its wait for an unreachable destination.
struct OutboxRelay::Lane {
  std::string destination;  // "" for every destination
  std::unique_ptr<worker::PeriodicWorker> worker;
  // The lane's thread only:
  int unreachable_rounds = 0;
  absl::Time retry_after = absl::InfinitePast();
};

OutboxRelay::OutboxRelay(Pool& pool, std::string schema, BatchDeliverer deliverer,
                         RelayOptions options, RelayObserver* observer)
    : pool_(pool),
      schema_(std::move(schema)),
      schema_status_(ValidateSchemaName(schema_)),
      deliverer_(std::move(deliverer)),
      options_(std::move(options)),
      observer_(observer) {
  std::vector<std::string> names = options_.destinations;
  if (names.empty()) {
    names.push_back("");
  }
  for (const std::string& name : names) {
    auto lane = std::make_unique<Lane>();
    lane->destination = name;
    Lane* raw = lane.get();
    lane->worker = std::make_unique<worker::PeriodicWorker>(
        worker::PeriodicOptions{absl::StrCat("outbox ", schema_, "->", name.empty() ? "*" : name),
                                options_.poll_interval, absl::Seconds(5)},
        [this, raw] { return LaneRound(*raw); });
    lanes_.push_back(std::move(lane));
  }
}

OutboxRelay::OutboxRelay(Pool& pool, std::string schema, OutboxDeliverer deliverer,
                         RelayOptions options, RelayObserver* observer)
    : OutboxRelay(pool, std::move(schema), RowByRow(std::move(deliverer)), std::move(options),
                  observer) {}

OutboxRelay::~OutboxRelay() { Stop(); }

absl::StatusOr<OutboxRelay::Round> OutboxRelay::RunRound(const std::string& destination) {
  HOTLINE_RETURN_IF_ERROR(schema_status_);
  Round round;
  std::vector<OutboxEvent> claimed;
  HOTLINE_RETURN_IF_ERROR(
      WithoutTransaction(pool_, [&](pqxx::transaction_base& tx) -> absl::Status {
        claimed.clear();
        pqxx::result rows = tx.exec(absl::StrReplaceAll(
            WithTable(kClaim, schema_, kTable),
            {{"{lease_ms}", absl::StrCat(Millis(options_.lease))},
             {"{destination}", tx.quote(destination)},
             {"{batch_size}", absl::StrCat(std::max(options_.batch_size, 1))}}));
        for (const pqxx::row& row : rows) {
          claimed.push_back(EventFromRow(row));
        }
        return absl::OkStatus();
      }));
  round.picked = static_cast<int>(claimed.size());
  if (claimed.empty()) {
    return round;
  }
  std::sort(claimed.begin(), claimed.end(),
            [](const OutboxEvent& a, const OutboxEvent& b) { return a.id < b.id; });
  std::map<std::string, std::vector<OutboxEvent>> by_destination;
  for (OutboxEvent& event : claimed) {
    by_destination[event.destination].push_back(std::move(event));
  }

  absl::BitGen random;
  for (const auto& [name, batch] : by_destination) {
    absl::StatusOr<DeliveryResults> accepted =
        CatchExceptions("deliverer", [&] { return deliverer_(name, batch); });
    std::vector<int64_t> ids;
    for (const OutboxEvent& e : batch) {
      ids.push_back(e.id);
    }
    absl::Status marked;
    if (!accepted.ok()) {
      round.unreachable = accepted.status();
      marked = WithoutTransaction(pool_, [&](pqxx::transaction_base& tx) -> absl::Status {
        pg::Exec0(tx, WithTable(kMarkUnreachable, schema_, kTable), NumberArray(ids),
                  Clipped(accepted.status()));
        return absl::OkStatus();
      });
      if (observer_ != nullptr) {
        observer_->Failed(name, static_cast<int>(batch.size()));
      }
    } else {
      std::vector<int64_t> delivered;
      std::vector<std::pair<const OutboxEvent*, std::string>> refused;
      for (const OutboxEvent& e : batch) {
        auto result = accepted->find(e.id);
        if (result == accepted->end()) {
          refused.emplace_back(&e, absl::StrCat(name, " did not answer for the event"));
        } else if (result->second.ok()) {
          delivered.push_back(e.id);
        } else {
          refused.emplace_back(&e, Clipped(result->second));
        }
      }
      std::vector<int64_t> marked_ids = delivered;
      std::vector<std::string> errors(delivered.size());
      std::vector<int64_t> backoffs(delivered.size(), 0);
      for (const auto& [e, error] : refused) {
        marked_ids.push_back(e->id);
        errors.push_back(error.empty() ? "refused" : error);
        backoffs.push_back(
            Millis(RetryDelay(e->attempts + 1, options_.min_backoff, options_.max_backoff,
                              absl::Uniform(random, 0.0, 1.0))));
      }
      marked = WithoutTransaction(pool_, [&](pqxx::transaction_base& tx) -> absl::Status {
        pg::Exec0(tx, WithTable(kMark, schema_, kTable), NumberArray(marked_ids), TextArray(errors),
                  NumberArray(backoffs));
        return absl::OkStatus();
      });
      if (marked.ok()) {
        round.delivered += static_cast<int>(delivered.size());
        if (observer_ != nullptr) {
          observer_->Delivered(name, static_cast<int>(delivered.size()));
          if (!refused.empty()) {
            observer_->Failed(name, static_cast<int>(refused.size()));
          }
        }
      }
    }
    // Unmarked rows are sent again when their lease ends.
    HOTLINE_RETURN_IF_ERROR(marked);
  }
  return round;
}

absl::StatusOr<int> OutboxRelay::RunOnce() {
  int delivered = 0;
  for (const auto& lane : lanes_) {
    HOTLINE_ASSIGN_OR_RETURN(Round round, RunRound(lane->destination));
    HOTLINE_RETURN_IF_ERROR(round.unreachable);
    delivered += round.delivered;
  }
  return delivered;
}

absl::StatusOr<absl::Duration> OutboxRelay::LaneRound(Lane& lane) {
  const absl::Time now = absl::Now();
  if (now < lane.retry_after) {
    return lane.retry_after - now;  // a wake-up does not hurry an unreachable destination
  }
  HOTLINE_ASSIGN_OR_RETURN(Round round, RunRound(lane.destination));
  const std::string name = lane.destination.empty() ? "its destinations" : lane.destination;
  if (!round.unreachable.ok()) {
    if (lane.unreachable_rounds == 0) {
      log::Warn(kLogComponent, schema_, ": ", name,
                " unreachable, retrying: ", round.unreachable.ToString());
    }
    ++lane.unreachable_rounds;
    absl::Duration wait = kFirstDestinationBackoff;
    for (int i = 1; i < lane.unreachable_rounds && wait < options_.max_destination_backoff; ++i) {
      wait *= 2;
    }
    wait = std::min(wait, options_.max_destination_backoff);
    lane.retry_after = now + wait;
    return wait;
  }
  if (lane.unreachable_rounds > 0) {
    log::Info(kLogComponent, schema_, ": ", name, " reachable again after ",
              lane.unreachable_rounds, " failed rounds");
    lane.unreachable_rounds = 0;
  }
  return round.picked >= options_.batch_size ? absl::ZeroDuration() : options_.poll_interval;
}

void OutboxRelay::Start() {
  for (const auto& lane : lanes_) {
    lane->worker->Start();
  }
}

void OutboxRelay::Stop() {
  for (const auto& lane : lanes_) {
    lane->worker->Stop();
  }
}

void OutboxRelay::Wake() {
  for (const auto& lane : lanes_) {
    lane->worker->Wake();
  }
}

void OutboxRelay::Wake(const std::string& destination) {
  for (const auto& lane : lanes_) {
    if (lane->destination == destination) {
      lane->worker->Wake();
      return;
    }
  }
  Wake();
}

absl::StatusOr<int64_t> OutboxRelay::PendingCount() {
  HOTLINE_RETURN_IF_ERROR(schema_status_);
  return WithTransactionResult<int64_t>(pool_, [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
    return tx.exec1(WithTable(kCountPending, schema_, kTable))[0].as<int64_t>();
  });
}

absl::StatusOr<int64_t> OutboxRelay::PurgeDelivered(absl::Duration older_than) {
  HOTLINE_RETURN_IF_ERROR(schema_status_);
  return PurgeDeliveredOutbox(pool_, schema_, older_than);
}

absl::StatusOr<int64_t> PurgeDeliveredOutbox(Pool& pool, absl::string_view schema,
                                             absl::Duration older_than) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  return DeleteInBatches(pool, WithTable(kPurge, schema, kTable), older_than);
}

absl::StatusOr<std::map<std::string, OutboxBacklog>> ReadOutboxBacklog(Pool& pool,
                                                                       absl::string_view schema) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  using Backlog = std::map<std::string, OutboxBacklog>;
  return WithTransactionResult<Backlog>(pool, [&](pqxx::work& tx) -> absl::StatusOr<Backlog> {
    Backlog backlog;
    for (const pqxx::row& row : tx.exec(WithTable(kBacklog, schema, kTable))) {
      backlog[row[0].as<std::string>()] = {row[1].as<int64_t>(),
                                           absl::Microseconds(row[2].as<int64_t>())};
    }
    return backlog;
  });
}

}  // namespace hotline::pg
