#pragma once

// A deadline clock's state and its moves: start, stop, pause, resume, and
// firing its milestones (warnings, breach, urging, supervision). Pure: the
// calendar and the time come in as arguments; the store keeps a ClockRecord
// per row of sla.clocks.
//
// A clock counts from its start under its measure (calendar.h); paused time
// never counts. It keeps the terms of the policy it started with. Its
// milestones (clock_timeline.h) fire in index order; `fired` counts those
// fired, and `next_fire_at` is the next one's time while it runs.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/sla/v1/sla.pb.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/clock_commands.h"
#include "services/sla/domain/clock_timeline.h"

namespace hotline::sla {

struct ClockRecord {
  std::string clock_id;
  std::string ticket_id;
  std::string ticket_number;
  common::v1::TicketType ticket_type = common::v1::TICKET_TYPE_UNSPECIFIED;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  std::string unit;
  common::v1::AreaClass area_class = common::v1::AREA_CLASS_UNSPECIFIED;
  std::string region;
  std::string superior_unit;
  v1::ClockState state = v1::CLOCK_STATE_RUNNING;
  std::optional<absl::Time> started_at;
  std::optional<absl::Time> due_at;
  std::optional<absl::Time> stopped_at;
  std::string stop_reason;
  bool breached = false;
  v1::Escalation escalation = v1::ESCALATION_UNSPECIFIED;
  ClockRun run;  // segment_start and consumed
  std::optional<absl::Time> paused_at;
  absl::Duration paused_for;
  ClockTerms terms;
  int64_t policy_version = 0;
  int fired = 0;
  std::optional<absl::Time> next_fire_at;
  int64_t start_sequence = 0;
  std::string idempotency_key;  // scoped: "<principal>:<key>"; "" for clocks started by events
  std::string request_digest;
};

// What starts a clock (an RPC or an event).
struct ClockStart {
  std::string ticket_id;
  std::string ticket_number;
  common::v1::TicketType ticket_type = common::v1::TICKET_TYPE_UNSPECIFIED;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  std::string unit;
  common::v1::AreaClass area_class = common::v1::AREA_CLASS_UNSPECIFIED;
  std::string region;
  std::string superior_unit;
  absl::Time at;
  int64_t sequence = 0;
};

// The start an event's command asks for, in `region`, by the event of
// `sequence` (0 for an RPC).
ClockStart ClockStartOf(const ClockCommand& command, const std::string& region, int64_t sequence);

// A running clock started at `start.at` under `terms` (as TermsOf the matched
// policy; same-shift terms are converted here). `clock_id` is the caller's.
ClockRecord StartedClock(const std::string& clock_id, const ClockStart& start,
                         const WorkCalendar& calendar, const ClockTerms& terms,
                         int64_t policy_version);

// Stops a running or paused clock at `at` with `reason`; breached when `at`
// is after its due time. INVALID_ARGUMENT "stopped_at: before the clock's
// start (...)"; FAILED_PRECONDITION when already stopped.
absl::Status StopClock(ClockRecord& clock, absl::Time at, const std::string& reason);

// Pauses a running clock at `at`: what it counted so far is kept, nothing
// counts until it resumes, no milestone fires. INVALID_ARGUMENT "at: before
// ..."; FAILED_PRECONDITION when not running.
absl::Status PauseClock(ClockRecord& clock, const WorkCalendar& calendar, absl::Time at);

// Resumes a paused clock at `at`: its due time and next milestone move later
// by the counted time it was paused. INVALID_ARGUMENT "at: before the pause
// (...)"; FAILED_PRECONDITION when not paused.
absl::Status ResumeClock(ClockRecord& clock, const WorkCalendar& calendar, absl::Time at);

// The milestones of a running clock that are due at `now` and not fired yet,
// in order; marks them fired (fired, escalation, breached, next_fire_at).
std::vector<Milestone> FireDue(ClockRecord& clock, const WorkCalendar& calendar, absl::Time now);

// Among a ticket's clocks in the order store::ClocksOfTicket reads them (by
// start, unstarted last, then as they were made), the round of `stage` and
// `unit` that store::FindClock picks: the open one, else the latest; nullptr
// when the ticket has none.
ClockRecord* CurrentRound(std::vector<ClockRecord>& clocks, v1::Stage stage,
                          const std::string& unit);

// The clock as the API shows it.
v1::Clock ClockToProto(const ClockRecord& clock);

// The action a fired milestone makes: its kind, targets (the unit for a
// warning, breach and urging; the shift leader and the superior unit, or the
// unit when it has none, for a supervision) and readable detail, with times
// in `zone`.
v1::SlaAction ActionOf(const ClockRecord& clock, const Milestone& milestone, absl::TimeZone zone);

}  // namespace hotline::sla
