#include "services/sla/domain/clock_state.h"

#include <tuple>

#include "absl/strings/str_cat.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::sla {
namespace {

constexpr char kShiftLeader[] = "shift_leader";
// Who answers for the ticket's own clocks (unit ""): the back office.
constexpr char kBackOffice[] = "dispatchers";

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

// A time that will come; nullopt for "never" (a calendar without a working
// day ahead gives absl::InfiniteFuture()), which is stored as NULL.
std::optional<absl::Time> Finite(absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) {
    return std::nullopt;
  }
  return t;
}

// Sets due_at and next_fire_at of a running clock from its run.
void Plan(ClockRecord& clock, const WorkCalendar& calendar) {
  clock.due_at = Finite(DueAt(calendar, clock.terms, clock.run));
  std::vector<Milestone> milestones = Milestones(calendar, clock.terms, clock.run);
  if (clock.fired < static_cast<int>(milestones.size())) {
    clock.next_fire_at = Finite(milestones[clock.fired].at);
  } else {
    clock.next_fire_at.reset();
  }
}

void Fill(ClockRecord& clock, const ClockStart& start) {
  clock.ticket_id = start.ticket_id;
  clock.ticket_number = start.ticket_number;
  clock.ticket_type = start.ticket_type;
  clock.stage = start.stage;
  clock.unit = start.unit;
  clock.area_class = start.area_class;
  clock.region = start.region;
  clock.superior_unit = start.superior_unit;
  clock.start_sequence = start.sequence;
}

v1::ActionKind KindOf(MilestoneKind kind) {
  switch (kind) {
    case MilestoneKind::kWarning:
      return v1::ACTION_KIND_WARNING;
    case MilestoneKind::kBreach:
      return v1::ACTION_KIND_BREACH;
    case MilestoneKind::kUrging:
      return v1::ACTION_KIND_URGING;
    case MilestoneKind::kSupervision:
      return v1::ACTION_KIND_SUPERVISION;
  }
  return v1::ACTION_KIND_UNSPECIFIED;
}

}  // namespace

ClockStart ClockStartOf(const ClockCommand& command, const std::string& region, int64_t sequence) {
  ClockStart start;
  start.ticket_id = command.ticket_id;
  start.ticket_number = command.ticket_number;
  start.ticket_type = command.ticket_type;
  start.stage = command.stage;
  start.unit = command.unit;
  start.area_class = command.area_class;
  start.region = region;
  start.superior_unit = command.superior_unit;
  start.at = command.at;
  start.sequence = sequence;
  return start;
}

ClockRecord StartedClock(const std::string& clock_id, const ClockStart& start,
                         const WorkCalendar& calendar, const ClockTerms& terms,
                         int64_t policy_version) {
  ClockRecord clock;
  clock.clock_id = clock_id;
  Fill(clock, start);
  clock.state = v1::CLOCK_STATE_RUNNING;
  clock.started_at = start.at;
  clock.terms = TermsAtStart(calendar, terms, start.at);
  clock.policy_version = policy_version;
  clock.run.segment_start = start.at;
  clock.run.consumed = absl::ZeroDuration();
  Plan(clock, calendar);
  return clock;
}

absl::Status StopClock(ClockRecord& clock, absl::Time at, const std::string& reason) {
  if (clock.state == v1::CLOCK_STATE_STOPPED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", EnumText(clock.stage), " clock is already stopped (", clock.stop_reason, ")"));
  }
  if (clock.started_at.has_value() && at < *clock.started_at) {
    return absl::InvalidArgumentError(
        absl::StrCat("stopped_at: before the clock's start (", TimeText(*clock.started_at), ")"));
  }
  // A paused clock counted nothing since its pause: it breached only if it
  // had used up its limit before (its due_at is the one from before).
  const bool late = clock.state == v1::CLOCK_STATE_PAUSED
                        ? clock.run.consumed > clock.terms.limit
                        : clock.due_at.has_value() && at > *clock.due_at;
  if (clock.state == v1::CLOCK_STATE_PAUSED && clock.paused_at.has_value()) {
    clock.paused_for += std::max(absl::ZeroDuration(), at - *clock.paused_at);
    clock.paused_at.reset();
  }
  clock.state = v1::CLOCK_STATE_STOPPED;
  clock.stopped_at = at;
  clock.stop_reason = reason.empty() ? "met" : reason;
  clock.breached = clock.breached || late;
  clock.next_fire_at.reset();
  return absl::OkStatus();
}

absl::Status PauseClock(ClockRecord& clock, const WorkCalendar& calendar, absl::Time at) {
  if (clock.state != v1::CLOCK_STATE_RUNNING) {
    return absl::FailedPreconditionError(absl::StrCat("the ", EnumText(clock.stage), " clock is ",
                                                      EnumText(clock.state), ", not running"));
  }
  if (at < clock.run.segment_start) {
    return absl::InvalidArgumentError(absl::StrCat("at: before the clock last started counting (",
                                                   TimeText(clock.run.segment_start), ")"));
  }
  clock.run.consumed = ConsumedAt(calendar, clock.terms, clock.run, at);
  clock.run.segment_start = at;
  clock.paused_at = at;
  clock.state = v1::CLOCK_STATE_PAUSED;
  clock.next_fire_at.reset();
  return absl::OkStatus();
}

absl::Status ResumeClock(ClockRecord& clock, const WorkCalendar& calendar, absl::Time at) {
  if (clock.state != v1::CLOCK_STATE_PAUSED || !clock.paused_at.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat("the ", EnumText(clock.stage), " clock is ",
                                                      EnumText(clock.state), ", not paused"));
  }
  if (at < *clock.paused_at) {
    return absl::InvalidArgumentError(
        absl::StrCat("at: before the pause (", TimeText(*clock.paused_at), ")"));
  }
  clock.paused_for += at - *clock.paused_at;
  clock.paused_at.reset();
  clock.run.segment_start = at;
  clock.state = v1::CLOCK_STATE_RUNNING;
  Plan(clock, calendar);
  return absl::OkStatus();
}

std::vector<Milestone> FireDue(ClockRecord& clock, const WorkCalendar& calendar, absl::Time now) {
  std::vector<Milestone> fired;
  if (clock.state != v1::CLOCK_STATE_RUNNING) {
    clock.next_fire_at.reset();
    return fired;
  }
  std::vector<Milestone> milestones = Milestones(calendar, clock.terms, clock.run);
  while (clock.fired < static_cast<int>(milestones.size()) && milestones[clock.fired].at <= now) {
    const Milestone& m = milestones[clock.fired];
    switch (m.kind) {
      case MilestoneKind::kWarning:
        clock.escalation = std::max(clock.escalation, v1::ESCALATION_WARNED);
        break;
      case MilestoneKind::kBreach:
      case MilestoneKind::kUrging:
        clock.breached = true;
        clock.escalation = std::max(clock.escalation, v1::ESCALATION_BREACHED);
        break;
      case MilestoneKind::kSupervision:
        clock.escalation = v1::ESCALATION_SUPERVISED;
        break;
    }
    fired.push_back(m);
    ++clock.fired;
  }
  if (clock.fired < static_cast<int>(milestones.size())) {
    clock.next_fire_at = Finite(milestones[clock.fired].at);
  } else {
    clock.next_fire_at.reset();
  }
  return fired;
}

ClockRecord* CurrentRound(std::vector<ClockRecord>& clocks, v1::Stage stage,
                          const std::string& unit) {
  // FindClock's order: open first, then the latest start (unstarted last),
  // then the latest made; a later place in `clocks` is a later make.
  auto rank = [](const ClockRecord& c) {
    return std::make_tuple(c.state != v1::CLOCK_STATE_STOPPED, c.started_at.has_value(),
                           c.started_at.value_or(absl::InfinitePast()));
  };
  ClockRecord* best = nullptr;
  for (ClockRecord& clock : clocks) {
    if (clock.stage == stage && clock.unit == unit &&
        (best == nullptr || rank(clock) >= rank(*best))) {
      best = &clock;
    }
  }
  return best;
}

v1::Clock ClockToProto(const ClockRecord& clock) {
  v1::Clock out;
  out.set_clock_id(clock.clock_id);
  out.set_ticket_id(clock.ticket_id);
  out.set_ticket_number(clock.ticket_number);
  out.set_ticket_type(clock.ticket_type);
  out.set_stage(clock.stage);
  out.set_unit(clock.unit);
  out.set_area_class(clock.area_class);
  out.set_region(clock.region);
  out.set_state(clock.state);
  if (clock.started_at.has_value()) {
    *out.mutable_started_at() = ToProtoTime(*clock.started_at);
  }
  if (clock.due_at.has_value()) {
    *out.mutable_due_at() = ToProtoTime(*clock.due_at);
  }
  if (clock.stopped_at.has_value()) {
    *out.mutable_stopped_at() = ToProtoTime(*clock.stopped_at);
  }
  out.set_stop_reason(clock.stop_reason);
  out.set_breached(clock.breached);
  out.set_escalation(clock.escalation);
  *out.mutable_paused_for() = ToProtoDuration(clock.paused_for);
  out.set_measure(clock.terms.measure);
  *out.mutable_limit() = ToProtoDuration(clock.terms.limit);
  out.set_policy_version(clock.policy_version);
  out.set_superior_unit(clock.superior_unit);
  return out;
}

v1::SlaAction ActionOf(const ClockRecord& clock, const Milestone& milestone, absl::TimeZone zone) {
  v1::SlaAction action;
  action.set_kind(KindOf(milestone.kind));
  *action.mutable_clock() = ClockToProto(clock);
  *action.mutable_at() = ToProtoTime(milestone.at);
  const std::string unit = clock.unit.empty() ? kBackOffice : clock.unit;
  if (milestone.kind == MilestoneKind::kSupervision) {
    action.add_targets(kShiftLeader);
    action.add_targets(clock.superior_unit.empty() ? unit : clock.superior_unit);
  } else {
    action.add_targets(unit);
  }
  std::string what = DescribeMilestone(milestone, clock.terms, zone);
  switch (milestone.kind) {
    case MilestoneKind::kWarning:
      action.set_detail(absl::StrCat("warning: ", what));
      break;
    case MilestoneKind::kBreach:
      action.set_detail(absl::StrCat("breach: ", what));
      break;
    case MilestoneKind::kUrging:
      action.set_detail(
          absl::StrCat("urging to ", unit, ": the ", EnumText(clock.stage), " deadline passed"));
      break;
    case MilestoneKind::kSupervision:
      action.set_detail(absl::StrCat(
          "supervision case to the shift leader and ", action.targets(1), ": the ",
          EnumText(clock.stage), " deadline passed ",
          absl::FormatDuration(milestone.at - clock.due_at.value_or(milestone.at)), " ago"));
      break;
  }
  return action;
}

}  // namespace hotline::sla
