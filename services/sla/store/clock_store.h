#pragma once

// SQL for deadline clocks and their actions (sla.clocks, sla.actions), inside
// the caller's transaction. Never throws: database errors come back as the
// Status of libs/pg/errors.h, after which the caller's transaction must roll
// back. Times are the service's clock (passed in), never the database's.

#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"
#include "services/sla/domain/clock_state.h"

namespace hotline::sla::store {

// The clock of a ticket, stage and unit: its open round, else its latest
// (a unit's clock runs again when work comes back to it); `lock` takes its
// row lock.
absl::StatusOr<std::optional<ClockRecord>> FindClock(pqxx::work& tx, const std::string& ticket_id,
                                                     v1::Stage stage, const std::string& unit,
                                                     bool lock);

// The clock a StartClock with this scoped idempotency key made.
absl::StatusOr<std::optional<ClockRecord>> FindClockByKey(pqxx::work& tx, const std::string& key);

// Every clock of a ticket, by start; `lock` takes their row locks.
absl::StatusOr<std::vector<ClockRecord>> ClocksOfTicket(pqxx::work& tx,
                                                        const std::string& ticket_id, bool lock);

// Holds a transaction-level advisory lock on the ticket's clocks until the
// caller's transaction ends: events and RPCs that start or stop the clocks of
// one ticket apply one after the other.
absl::Status LockTicketClocks(pqxx::work& tx, const std::string& ticket_id);

// A stop that came before its clock started (AddEarlyStop).
struct EarlyStop {
  absl::Time at;
  std::string reason;
};

// Stores a new clock and takes (removes and returns) the early stop noted
// for its ticket, stage and unit, if any: the caller stops the clock with it
// and updates it.
absl::StatusOr<std::optional<EarlyStop>> InsertClock(pqxx::work& tx, const ClockRecord& clock);
// Writes every field that changes after the start.
absl::Status UpdateClock(pqxx::work& tx, const ClockRecord& clock);

// Up to `limit` running clocks whose next milestone is due at `now`, locked;
// rows another transaction holds are skipped (another replica fires them).
absl::StatusOr<std::vector<ClockRecord>> ClaimDueClocks(pqxx::work& tx, absl::Time now, int limit);

struct OverdueFilter {
  std::string unit;  // "" every unit
  common::v1::TicketType ticket_type = common::v1::TICKET_TYPE_UNSPECIFIED;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
};

// Running or paused clocks due before `now`, most overdue first, after the
// (due_at, clock_id) cursor position when given.
absl::StatusOr<std::vector<ClockRecord>> ListOverdue(
    pqxx::work& tx, absl::Time now, const OverdueFilter& filter,
    const std::optional<std::pair<absl::Time, std::string>>& after, int limit);

// Running or paused clocks due in [from, to), by due time; at most `limit`.
absl::StatusOr<std::vector<ClockRecord>> OpenClocksDueBetween(pqxx::work& tx, absl::Time from,
                                                              absl::Time to, int limit);

// Open clocks of `stage`, by start; at most `limit`.
absl::StatusOr<std::vector<ClockRecord>> OpenClocksOfStage(pqxx::work& tx, v1::Stage stage,
                                                           int limit);

// How many clocks are open (running or paused), per stage.
absl::StatusOr<std::vector<std::pair<v1::Stage, int64_t>>> CountOpenClocks(pqxx::work& tx);

// How many open clocks are past their due time (breached), per responsible unit.
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> CountOverdueClocks(pqxx::work& tx);

// A stop that came before the ticket had any clock (early_stops); the first
// one for a clock is kept.
absl::Status AddEarlyStop(pqxx::work& tx, const std::string& ticket_id, v1::Stage stage,
                          const std::string& unit, absl::Time at, const std::string& reason);

// Deletes early stops that no start claimed within `kept` (database time,
// as they were noted); returns how many.
absl::StatusOr<int64_t> PurgeEarlyStops(pqxx::work& tx, absl::Duration kept);

// --- actions ---------------------------------------------------------------

// Serialises the transactions that record actions, so that their sequences
// commit in order (WatchEvents reads "after sequence N" and must not skip a
// sequence that commits later). Held until the transaction ends.
absl::Status LockActions(pqxx::work& tx);

// Records a fired milestone; returns its sequence. A milestone already
// recorded (a second replica, a replay) is not recorded again: nullopt.
absl::StatusOr<std::optional<int64_t>> InsertAction(pqxx::work& tx, const ClockRecord& clock,
                                                    int milestone, const v1::SlaAction& action,
                                                    absl::Time fired_at);

// Actions after `after_sequence`, oldest first, for `unit` ("" every unit).
absl::StatusOr<std::vector<v1::SlaAction>> ActionsAfter(pqxx::work& tx, int64_t after_sequence,
                                                        const std::string& unit, int limit);

// The highest sequence recorded (0 when none).
absl::StatusOr<int64_t> LastActionSequence(pqxx::work& tx);

// Actions of `kinds` fired in [from, to), oldest first; at most `limit`.
absl::StatusOr<std::vector<v1::SlaAction>> ActionsFiredBetween(
    pqxx::work& tx, absl::Time from, absl::Time to, const std::vector<v1::ActionKind>& kinds,
    int limit);

}  // namespace hotline::sla::store
