#pragma once

// The sla use cases, each in one PostgreSQL transaction: starting, stopping,
// pausing and resuming clocks (from RPCs and from intake's and dispatch's
// events), reading them, the deadlines a new ticket will get, the policies
// and calendars, and the shift report. No gRPC: the service
// (api/sla_tracker_service.h) authenticates, validates and converts.
//
// Every change of a clock of unit "" (the ticket's own) is published to
// intake as "sla.clock" in the same transaction, so the ticket shows sla's
// due times. The events of one ticket are applied one after the other (a
// transaction-level lock on the ticket), and a unit clock started by an
// older event never replaces one started by a newer event.
//
// Thread-safe.

#include <optional>
#include <pqxx/transaction>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/sla/v1/sla.pb.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "services/sla/desk/rule_book.h"
#include "services/sla/desk/sla_metrics.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/clock_commands.h"
#include "services/sla/domain/clock_state.h"
#include "services/sla/sla_settings.h"
#include "services/sla/store/clock_store.h"

namespace hotline::sla {

struct StartResult {
  ClockRecord clock;
  bool replayed = false;
};

struct OverduePage {
  std::vector<ClockRecord> clocks;
  std::string next_cursor;  // "" on the last page
};

class ClockDesk {
 public:
  // All must outlive the desk.
  ClockDesk(pg::Pool& pool, const SlaSettings& settings, const clock::Clock& clock,
            SlaMetrics& metrics);

  absl::Time Now() const { return clock_.Now(); }
  absl::TimeZone zone() const { return zone_; }

  // At start: adds `policies` whose key has none (rules changed through
  // SetPolicy stay), and merges `days` (a year's file) into its region.
  absl::Status Seed(const std::vector<v1::Policy>& policies, const std::string& policies_by,
                    const std::optional<v1::Calendar>& days, const std::string& days_note);

  // A validated StartClockRequest; `key` is the idempotency key scoped to the
  // caller. INVALID_ARGUMENT when the key was used for another request, or
  // no policy covers the clock; a clock that exists is returned (replayed).
  absl::StatusOr<StartResult> Start(const ClockStart& start, const std::string& key,
                                    const std::string& digest);
  // NOT_FOUND for an unknown clock; FAILED_PRECONDITION / INVALID_ARGUMENT
  // from the moves of clock_state.h.
  absl::StatusOr<ClockRecord> Stop(const v1::ClockRef& ref, absl::Time at,
                                   const std::string& reason);
  absl::StatusOr<ClockRecord> Pause(const v1::ClockRef& ref, absl::Time at);
  absl::StatusOr<ClockRecord> Resume(const v1::ClockRef& ref, absl::Time at);

  absl::StatusOr<std::vector<ClockRecord>> Clocks(const std::string& ticket_id);
  // INVALID_ARGUMENT "page.cursor: malformed".
  absl::StatusOr<OverduePage> Overdue(const store::OverdueFilter& filter, const std::string& cursor,
                                      int page_size);
  // The due times of the ticket's own clocks, as they would start at `at`.
  absl::StatusOr<std::vector<v1::StageDeadline>> Deadlines(common::v1::TicketType type,
                                                           common::v1::AreaClass area,
                                                           common::v1::Channel channel,
                                                           const std::string& region,
                                                           absl::Time at);

  absl::StatusOr<std::vector<v1::Policy>> Policies(v1::Stage stage);
  absl::StatusOr<v1::Policy> SetPolicy(const v1::Policy& validated, const std::string& by);
  // The region's own calendar, or the one it uses (national, defaults).
  absl::StatusOr<v1::Calendar> Calendar(const std::string& region);
  absl::StatusOr<v1::Calendar> SetCalendar(const v1::Calendar& validated, const std::string& by);

  absl::StatusOr<v1::GetShiftReportResponse> ShiftReport(const std::string& region, absl::Time at);

  // Applies one event of intake or dispatch inside the EventSink's
  // transaction. Malformed payloads and topics without clocks are not
  // errors (logged, acknowledged). Errors: database errors only.
  absl::Status ApplyEvent(pqxx::work& tx, const common::v1::Event& event);

  // The calendar clocks of `region` count on: its own, else the national
  // one, else the defaults.
  absl::StatusOr<WorkCalendar> CalendarFor(pqxx::work& tx, const std::string& region);
  // Drops the rules and calendars kept in memory: another replica changed
  // them (its NOTIFY on kRulesChannel).
  void ForgetRules() { rules_.Forget(); }

  // Publishes the clock to intake when it is a ticket's own (unit "").
  static absl::Status PublishClock(pqxx::work& tx, const ClockRecord& clock);

 private:
  static bool StartsAnotherRound(const ClockRecord& existing, const ClockStart& start);
  // `clocks`: the ticket's, as ApplyEvent read and locked them; kept up to
  // date with what these write.
  absl::Status ApplyStart(pqxx::work& tx, const ClockStart& start, bool supersedes,
                          std::vector<ClockRecord>& clocks);
  absl::Status ApplyStop(pqxx::work& tx, const ClockCommand& command,
                         std::vector<ClockRecord>& clocks);
  // Starts a new clock (and stops it at once if an early stop was noted).
  absl::StatusOr<ClockRecord> StartNew(pqxx::work& tx, const ClockStart& start,
                                       const std::string& key, const std::string& digest);
  absl::StatusOr<ClockRecord> Move(
      const v1::ClockRef& ref,
      const std::function<absl::Status(ClockRecord&, const WorkCalendar&)>& move);
  void CountAfterCommit(const ClockRecord& clock);
  // NOTIFYs kRulesChannel in `tx`: every replica forgets its kept rules.
  static absl::Status NotifyRulesChanged(pqxx::work& tx);

  pg::Pool& pool_;
  const SlaSettings& settings_;
  const absl::TimeZone zone_;
  const clock::Clock& clock_;
  SlaMetrics& metrics_;
  RuleBook rules_;
};

}  // namespace hotline::sla
