#include "libs/pg/outbox_relay.h"

#include <algorithm>
#include <pqxx/pqxx>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/log/log.h"
#include "libs/pg/backoff.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

constexpr absl::string_view kLogComponent = "pg.outbox_relay";
constexpr size_t kMaxErrorLength = 1000;
constexpr absl::Duration kPurgeEvery = absl::Hours(1);
constexpr int kPurgeBatch = 10000;

// {t} stands for <schema>.outbox.
constexpr absl::string_view kTable = "outbox";
constexpr char kSelectDue[] = R"sql(
SELECT id, event_id, destination, topic, key, payload,
       (extract(epoch FROM created_at) * 1000000)::bigint, attempts
FROM {t}
WHERE delivered_at IS NULL AND next_attempt_at <= now()
ORDER BY id
LIMIT $1
FOR UPDATE SKIP LOCKED)sql";
constexpr char kMarkDelivered[] = R"sql(
UPDATE {t} SET delivered_at = now(), attempts = attempts + 1, last_error = NULL
WHERE id = ANY($1::bigint[]))sql";
constexpr char kMarkFailed[] = R"sql(
UPDATE {t} SET attempts = attempts + 1, last_error = $2,
               next_attempt_at = now() + $3 * interval '1 millisecond'
WHERE id = $1)sql";
constexpr char kCountPending[] = "SELECT count(*) FROM {t} WHERE delivered_at IS NULL";
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
  e.created_at = absl::FromUnixMicros(row[6].as<int64_t>());
  e.attempts = row[7].as<int>();
  return e;
}

absl::Status CallDeliverer(const OutboxDeliverer& deliverer, const OutboxEvent& event) {
  try {
    return deliverer(event);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("deliverer threw: ", e.what()));
  } catch (...) {
    return absl::InternalError("deliverer threw a non-standard exception");
  }
}

int64_t Millis(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

}  // namespace

OutboxRelay::OutboxRelay(Pool& pool, std::string schema, OutboxDeliverer deliverer,
                         RelayOptions options)
    : pool_(pool),
      schema_(std::move(schema)),
      schema_status_(ValidateSchemaName(schema_)),
      deliverer_(std::move(deliverer)),
      options_(options) {}

OutboxRelay::~OutboxRelay() { Stop(); }

bool OutboxRelay::StopRequested() {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

absl::StatusOr<OutboxRelay::Batch> OutboxRelay::RunBatch() {
  HOTLINE_RETURN_IF_ERROR(schema_status_);
  Batch batch;
  absl::BitGen random;
  auto deliver_batch = [&](pqxx::work& tx) -> absl::Status {
    batch = Batch();
    pqxx::result rows =
        tx.exec_params(WithTable(kSelectDue, schema_, kTable), std::max(options_.batch_size, 1));
    batch.picked = static_cast<int>(rows.size());
    std::vector<int64_t> delivered;
    for (const pqxx::row& row : rows) {
      if (StopRequested()) {
        break;  // The rest stays due, for the next run or another relay.
      }
      OutboxEvent event = EventFromRow(row);
      absl::Status status = CallDeliverer(deliverer_, event);
      if (status.ok()) {
        delivered.push_back(event.id);
        continue;
      }
      absl::Duration delay = RetryDelay(event.attempts + 1, options_.min_backoff,
                                        options_.max_backoff, absl::Uniform(random, 0.0, 1.0));
      std::string error = status.ToString().substr(0, kMaxErrorLength);
      tx.exec_params0(WithTable(kMarkFailed, schema_, kTable), event.id, error, Millis(delay));
    }
    if (!delivered.empty()) {
      tx.exec_params0(WithTable(kMarkDelivered, schema_, kTable),
                      absl::StrCat("{", absl::StrJoin(delivered, ","), "}"));
    }
    batch.delivered = static_cast<int>(delivered.size());
    return absl::OkStatus();
  };
  // One attempt only: running the batch again would deliver its events again.
  HOTLINE_RETURN_IF_ERROR(WithTransaction(pool_, deliver_batch, TransactionOptions{1}));
  return batch;
}

absl::StatusOr<int> OutboxRelay::RunOnce() {
  HOTLINE_ASSIGN_OR_RETURN(Batch batch, RunBatch());
  return batch.delivered;
}

absl::StatusOr<int64_t> OutboxRelay::PendingCount() {
  HOTLINE_RETURN_IF_ERROR(schema_status_);
  return WithTransactionResult<int64_t>(pool_, [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
    return tx.exec1(WithTable(kCountPending, schema_, kTable))[0].as<int64_t>();
  });
}

absl::StatusOr<int64_t> OutboxRelay::PurgeDelivered(absl::Duration older_than) {
  HOTLINE_RETURN_IF_ERROR(schema_status_);
  int64_t purged = 0;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(
        int64_t n,
        WithTransactionResult<int64_t>(pool_, [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
          return static_cast<int64_t>(
              tx.exec_params0(WithTable(kPurge, schema_, kTable), Millis(older_than), kPurgeBatch)
                  .affected_rows());
        }));
    purged += n;
    if (n < kPurgeBatch) {
      return purged;
    }
  }
}

void OutboxRelay::Start() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mu_);
  if (thread_.joinable()) {
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mu_);
  if (!thread_.joinable()) {
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void OutboxRelay::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void OutboxRelay::Loop() {
  int failures = 0;
  absl::Time next_purge = absl::Now();
  while (true) {
    absl::Duration wait = options_.poll_interval;
    absl::StatusOr<Batch> batch = RunBatch();
    if (!batch.ok()) {
      // Log the first failure and then every tenth, not every poll.
      if (failures % 10 == 0) {
        log::Warn(kLogComponent, "schema ", schema_, ": delivery run failed (", failures + 1,
                  " in a row): ", batch.status().ToString());
      }
      ++failures;
      wait = RetryDelay(failures, options_.poll_interval,
                        std::max(options_.poll_interval, absl::Seconds(5)), 1.0);
    } else {
      if (failures > 0) {
        log::Info(kLogComponent, "schema ", schema_, ": delivery runs work again");
        failures = 0;
      }
      if (batch->picked >= options_.batch_size) {
        wait = absl::ZeroDuration();
      }
      if (options_.keep_delivered != absl::InfiniteDuration() && absl::Now() >= next_purge) {
        next_purge = absl::Now() + kPurgeEvery;
        absl::StatusOr<int64_t> purged = PurgeDelivered(options_.keep_delivered);
        if (!purged.ok()) {
          log::Warn(kLogComponent, "schema ", schema_,
                    ": purge failed: ", purged.status().ToString());
        }
      }
    }
    absl::MutexLock lock(&mu_);
    if (wait > absl::ZeroDuration()) {
      mu_.AwaitWithTimeout(absl::Condition(this, &OutboxRelay::Woken), wait);
    }
    if (stopping_) {
      return;
    }
    woken_ = false;
  }
}

}  // namespace hotline::pg
