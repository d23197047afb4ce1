#pragma once

// SQL of the survey schema (migrations/): callback tasks and their history.
// Each function runs inside the caller's transaction; errors are database
// errors (pg::Guarded).

#include <cstdint>
#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/survey/v1/survey.pb.h"
#include "services/survey/domain/survey_stats.h"

namespace hotline::survey::store {

// A task as stored: unmasked, and what is not part of the API message.
struct StoredTask {
  v1::CallbackTask task;
  std::string order_id;
  std::string idempotency_key;
  std::string request_digest;
};

absl::StatusOr<std::optional<StoredTask>> FindTask(pqxx::work& tx, const std::string& task_id,
                                                   bool lock);
// The ticket's latest task.
absl::StatusOr<std::optional<StoredTask>> FindLatestForTicket(pqxx::work& tx,
                                                              const std::string& ticket_id);
absl::StatusOr<std::optional<StoredTask>> FindOpenForTicket(pqxx::work& tx,
                                                            const std::string& ticket_id);
absl::StatusOr<std::optional<StoredTask>> FindByKey(pqxx::work& tx, const std::string& key);
// Serialises ScheduleCallback's of one key (transaction-level lock).
absl::Status LockKey(pqxx::work& tx, const std::string& key);

absl::Status InsertTask(pqxx::work& tx, const StoredTask& stored);
absl::Status UpdateTask(pqxx::work& tx, const v1::CallbackTask& task);

// The task `agent` holds a live lease on, of reports (`reports`) or of the
// other types; else the open task due first whose next attempt may be made
// at `now` and that no live lease holds, locked so a concurrent caller skips
// it (FOR UPDATE SKIP LOCKED).
absl::StatusOr<std::optional<StoredTask>> TakeNext(pqxx::work& tx, const std::string& agent,
                                                   bool reports, absl::Time now);
// When the next open task (of reports, or not) may be offered: its next
// attempt or the end of its lease, whichever is later; nullopt when none.
absl::StatusOr<std::optional<absl::Time>> NextOfferAt(pqxx::work& tx, bool reports);

absl::Status AddHistory(pqxx::work& tx, const std::string& task_id, absl::Time at,
                        const std::string& actor, const std::string& action,
                        const std::string& detail);
// Oldest first, at most `limit`.
absl::StatusOr<std::vector<v1::CallbackHistoryEntry>> History(pqxx::work& tx,
                                                              const std::string& task_id,
                                                              int limit);

absl::StatusOr<int64_t> CountOpen(pqxx::work& tx);

// The counts over the tasks scheduled in [from, to) of `branch_id` ("" all)
// and `ticket_type` ("" all); overdue as of `now`.
absl::StatusOr<SurveyCounts> Count(pqxx::work& tx, absl::Time from, absl::Time to,
                                   const std::string& branch_id, const std::string& ticket_type,
                                   absl::Time now);

}  // namespace hotline::survey::store
