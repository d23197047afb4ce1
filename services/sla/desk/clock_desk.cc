#include "services/sla/desk/clock_desk.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/sla/v1/events.pb.h"
#include "libs/events/event_sink_service.h"
#include "libs/events/publisher.h"
#include "libs/log/log.h"
#include "libs/pg/errors.h"
#include "libs/pg/notifications.h"
#include "libs/pg/transaction.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "services/sla/domain/policy.h"
#include "services/sla/store/calendar_store.h"
#include "services/sla/store/policy_store.h"

namespace hotline::sla {
namespace {

constexpr char kSource[] = "sla";
constexpr char kIntake[] = "intake";
constexpr char kClockTopic[] = "sla.clock";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kReportLimit = 500;
// The longest the rules and calendars are kept without a re-read (RuleBook).
constexpr absl::Duration kRulesKeptFor = absl::Seconds(10);

std::string ClockName(const std::string& ticket_id, v1::Stage stage, const std::string& unit) {
  return absl::StrCat("the ", EnumText(stage), " clock of ticket ", ticket_id,
                      unit.empty() ? std::string() : absl::StrCat(" for ", unit));
}

std::string EncodeCursor(const ClockRecord& last) {
  return absl::StrCat(absl::ToUnixMicros(last.due_at.value_or(absl::UnixEpoch())), "_",
                      last.clock_id);
}

absl::StatusOr<std::optional<std::pair<absl::Time, std::string>>> DecodeCursor(
    const std::string& cursor) {
  if (cursor.empty()) {
    return std::optional<std::pair<absl::Time, std::string>>();
  }
  std::vector<std::string> parts = absl::StrSplit(cursor, absl::MaxSplits('_', 1));
  int64_t micros = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros) || parts[1].size() != 36) {
    return absl::InvalidArgumentError("page.cursor: malformed");
  }
  return std::optional<std::pair<absl::Time, std::string>>(
      std::make_pair(absl::FromUnixMicros(micros), parts[1]));
}

}  // namespace

ClockDesk::ClockDesk(pg::Pool& pool, const SlaSettings& settings, const clock::Clock& clock,
                     SlaMetrics& metrics)
    : pool_(pool),
      settings_(settings),
      zone_(settings.Zone()),
      clock_(clock),
      metrics_(metrics),
      rules_(clock_, zone_, kRulesKeptFor) {}

absl::Status ClockDesk::Seed(const std::vector<v1::Policy>& policies,
                             const std::string& policies_by,
                             const std::optional<v1::Calendar>& days,
                             const std::string& days_note) {
  const absl::Time now = Now();
  int added = 0;
  absl::Status status = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    added = 0;
    for (const v1::Policy& policy : policies) {
      HOTLINE_ASSIGN_OR_RETURN(bool is_new, store::AddPolicyIfAbsent(tx, policy, now, policies_by));
      added += is_new ? 1 : 0;
    }
    if (days.has_value()) {
      HOTLINE_RETURN_IF_ERROR(store::MergeCalendarDays(tx, *days, days_note));
    }
    return NotifyRulesChanged(tx);
  });
  rules_.Forget();
  if (status.ok()) {
    log::Info("sla", "policies: ", added, " of ", policies.size(), " from ", policies_by,
              " added (the others were there already)",
              days.has_value() ? absl::StrCat("; calendar days from ", days_note, " merged into '",
                                              days->region(), "'")
                               : std::string());
  }
  return status;
}

absl::StatusOr<WorkCalendar> ClockDesk::CalendarFor(pqxx::work& tx, const std::string& region) {
  return rules_.Calendar(tx, region);
}

absl::Status ClockDesk::NotifyRulesChanged(pqxx::work& tx) {
  return pg::Guarded("notifying a change of the rules", [&]() -> absl::Status {
    pg::Notify(tx, kRulesChannel);
    return absl::OkStatus();
  });
}

absl::Status ClockDesk::PublishClock(pqxx::work& tx, const ClockRecord& clock) {
  if (!clock.unit.empty()) {
    return absl::OkStatus();
  }
  v1::ClockChanged changed;
  *changed.mutable_clock() = ClockToProto(clock);
  return events::Publish(tx, kSource, {kIntake}, kClockTopic, clock.ticket_id, changed);
}

void ClockDesk::CountAfterCommit(const ClockRecord& clock) {
  if (clock.state != v1::CLOCK_STATE_STOPPED) {
    return;
  }
  v1::Clock shown = ClockToProto(clock);
  events::AfterCommit([this, shown] { metrics_.Stopped(shown); });
}

absl::StatusOr<ClockRecord> ClockDesk::StartNew(pqxx::work& tx, const ClockStart& start,
                                                const std::string& key, const std::string& digest) {
  HOTLINE_ASSIGN_OR_RETURN(std::vector<v1::Policy> policies, rules_.Policies(tx));
  std::optional<v1::Policy> policy =
      MatchPolicy(policies, start.stage, start.ticket_type, start.area_class, start.unit);
  if (!policy.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("stage: no deadline policy covers the ",
                                                   EnumText(start.stage), " clock of a ",
                                                   EnumText(start.ticket_type), " ticket"));
  }
  HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, CalendarFor(tx, start.region));
  ClockRecord clock = StartedClock(events::NewUuid(), start, calendar,
                                   TermsOf(*policy, settings_.supervise_after), policy->version());
  clock.idempotency_key = key;
  clock.request_digest = digest;
  HOTLINE_ASSIGN_OR_RETURN(std::optional<store::EarlyStop> early, store::InsertClock(tx, clock));
  if (early.has_value()) {  // its stop came first: the clock stops at once
    HOTLINE_RETURN_IF_ERROR(StopClock(clock, std::max(early->at, start.at), early->reason));
    HOTLINE_RETURN_IF_ERROR(store::UpdateClock(tx, clock));
  }
  HOTLINE_RETURN_IF_ERROR(PublishClock(tx, clock));
  return clock;
}

absl::StatusOr<StartResult> ClockDesk::Start(const ClockStart& start, const std::string& key,
                                             const std::string& digest) {
  absl::StatusOr<StartResult> result = pg::WithTransactionResult<StartResult>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<StartResult> {
        HOTLINE_RETURN_IF_ERROR(store::LockTicketClocks(tx, start.ticket_id));
        HOTLINE_ASSIGN_OR_RETURN(std::optional<ClockRecord> by_key, store::FindClockByKey(tx, key));
        if (by_key.has_value()) {
          if (by_key->request_digest != digest) {
            return absl::InvalidArgumentError(
                "idempotency_key: already used for a different request");
          }
          return StartResult{*by_key, true};
        }
        HOTLINE_ASSIGN_OR_RETURN(
            std::optional<ClockRecord> existing,
            store::FindClock(tx, start.ticket_id, start.stage, start.unit, false));
        if (existing.has_value()) {
          return StartResult{*existing, true};
        }
        HOTLINE_ASSIGN_OR_RETURN(ClockRecord clock, StartNew(tx, start, key, digest));
        return StartResult{std::move(clock), false};
      });
  if (result.ok() && !result->replayed && result->clock.state == v1::CLOCK_STATE_STOPPED) {
    metrics_.Stopped(ClockToProto(result->clock));
  }
  return result;
}

absl::StatusOr<ClockRecord> ClockDesk::Move(
    const v1::ClockRef& ref,
    const std::function<absl::Status(ClockRecord&, const WorkCalendar&)>& move) {
  absl::StatusOr<ClockRecord> result = pg::WithTransactionResult<ClockRecord>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<ClockRecord> {
        HOTLINE_RETURN_IF_ERROR(store::LockTicketClocks(tx, ref.ticket_id()));
        HOTLINE_ASSIGN_OR_RETURN(
            std::optional<ClockRecord> clock,
            store::FindClock(tx, ref.ticket_id(), ref.stage(), ref.unit(), true));
        if (!clock.has_value()) {
          return absl::NotFoundError(absl::StrCat(
              "clock: ticket ", ref.ticket_id(), " has no ", EnumText(ref.stage()), " clock",
              ref.unit().empty() ? std::string() : absl::StrCat(" for ", ref.unit())));
        }
        HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, CalendarFor(tx, clock->region));
        HOTLINE_RETURN_IF_ERROR(move(*clock, calendar));
        HOTLINE_RETURN_IF_ERROR(store::UpdateClock(tx, *clock));
        HOTLINE_RETURN_IF_ERROR(PublishClock(tx, *clock));
        return *clock;
      });
  if (result.ok() && result->state == v1::CLOCK_STATE_STOPPED) {
    metrics_.Stopped(ClockToProto(*result));
  }
  return result;
}

absl::StatusOr<ClockRecord> ClockDesk::Stop(const v1::ClockRef& ref, absl::Time at,
                                            const std::string& reason) {
  return Move(
      ref, [&](ClockRecord& clock, const WorkCalendar&) { return StopClock(clock, at, reason); });
}

absl::StatusOr<ClockRecord> ClockDesk::Pause(const v1::ClockRef& ref, absl::Time at) {
  return Move(ref, [&](ClockRecord& clock, const WorkCalendar& calendar) {
    return PauseClock(clock, calendar, at);
  });
}

absl::StatusOr<ClockRecord> ClockDesk::Resume(const v1::ClockRef& ref, absl::Time at) {
  return Move(ref, [&](ClockRecord& clock, const WorkCalendar& calendar) {
    return ResumeClock(clock, calendar, at);
  });
}

absl::StatusOr<std::vector<ClockRecord>> ClockDesk::Clocks(const std::string& ticket_id) {
  return pg::WithTransactionResult<std::vector<ClockRecord>>(
      pool_, [&](pqxx::work& tx) { return store::ClocksOfTicket(tx, ticket_id, false); });
}

absl::StatusOr<OverduePage> ClockDesk::Overdue(const store::OverdueFilter& filter,
                                               const std::string& cursor, int page_size) {
  HOTLINE_ASSIGN_OR_RETURN(auto after, DecodeCursor(cursor));
  const int size = page_size <= 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  const absl::Time now = Now();
  return pg::WithTransactionResult<OverduePage>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<OverduePage> {
        HOTLINE_ASSIGN_OR_RETURN(std::vector<ClockRecord> rows,
                                 store::ListOverdue(tx, now, filter, after, size + 1));
        OverduePage page;
        if (static_cast<int>(rows.size()) > size) {
          rows.resize(size);
          page.next_cursor = EncodeCursor(rows.back());
        }
        page.clocks = std::move(rows);
        return page;
      });
}

absl::StatusOr<std::vector<v1::StageDeadline>> ClockDesk::Deadlines(common::v1::TicketType type,
                                                                    common::v1::AreaClass area,
                                                                    common::v1::Channel channel,
                                                                    const std::string& region,
                                                                    absl::Time at) {
  intake::v1::TicketCreated ticket;
  ticket.set_type(type);
  ticket.set_channel(channel);
  ticket.mutable_address()->set_area_class(area);
  *ticket.mutable_created_at() = ToProtoTime(at);
  const std::vector<ClockCommand> commands = CommandsForTicketCreated(ticket);
  return pg::WithTransactionResult<std::vector<v1::StageDeadline>>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<std::vector<v1::StageDeadline>> {
        HOTLINE_ASSIGN_OR_RETURN(std::vector<v1::Policy> policies, rules_.Policies(tx));
        HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, CalendarFor(tx, region));
        std::vector<v1::StageDeadline> out;
        for (const ClockCommand& command : commands) {
          if (command.kind != ClockCommand::Kind::kStart || !command.unit.empty()) {
            continue;
          }
          std::optional<v1::Policy> policy =
              MatchPolicy(policies, command.stage, type, area, command.unit);
          if (!policy.has_value()) {
            continue;
          }
          ClockStart start = ClockStartOf(command, region, 0);
          start.at = at;
          ClockRecord clock = StartedClock(
              "", start, calendar, TermsOf(*policy, settings_.supervise_after), policy->version());
          v1::StageDeadline deadline;
          deadline.set_stage(command.stage);
          if (clock.due_at.has_value()) {
            *deadline.mutable_due_at() = ToProtoTime(*clock.due_at);
          }
          deadline.set_policy_version(policy->version());
          out.push_back(std::move(deadline));
        }
        return out;
      });
}

absl::StatusOr<std::vector<v1::Policy>> ClockDesk::Policies(v1::Stage stage) {
  HOTLINE_ASSIGN_OR_RETURN(std::vector<v1::Policy> all,
                           pg::WithTransactionResult<std::vector<v1::Policy>>(
                               pool_, [](pqxx::work& tx) { return store::LoadPolicies(tx); }));
  if (stage == v1::STAGE_UNSPECIFIED) {
    return all;
  }
  std::vector<v1::Policy> out;
  for (v1::Policy& policy : all) {
    if (policy.stage() == stage) {
      out.push_back(std::move(policy));
    }
  }
  return out;
}

absl::StatusOr<v1::Policy> ClockDesk::SetPolicy(const v1::Policy& validated,
                                                const std::string& by) {
  const absl::Time now = Now();
  absl::StatusOr<v1::Policy> saved = pg::WithTransactionResult<v1::Policy>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::Policy> {
        HOTLINE_ASSIGN_OR_RETURN(v1::Policy policy, store::SavePolicy(tx, validated, now, by));
        HOTLINE_RETURN_IF_ERROR(NotifyRulesChanged(tx));
        return policy;
      });
  rules_.Forget();
  return saved;
}

absl::StatusOr<v1::Calendar> ClockDesk::Calendar(const std::string& region) {
  return pg::WithTransactionResult<v1::Calendar>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::Calendar> {
        HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, CalendarFor(tx, region));
        return CalendarToProto(calendar);
      });
}

absl::StatusOr<v1::Calendar> ClockDesk::SetCalendar(const v1::Calendar& validated,
                                                    const std::string& by) {
  const absl::Time now = Now();
  absl::Status replaced = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(store::ReplaceCalendar(tx, validated, now, by));
    return NotifyRulesChanged(tx);
  });
  rules_.Forget();
  HOTLINE_RETURN_IF_ERROR(replaced);
  return Calendar(validated.region());
}

absl::StatusOr<v1::GetShiftReportResponse> ClockDesk::ShiftReport(const std::string& region,
                                                                  absl::Time at) {
  return pg::WithTransactionResult<v1::GetShiftReportResponse>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::GetShiftReportResponse> {
        HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, CalendarFor(tx, region));
        const ShiftWindow shift = ShiftHolding(calendar, at);
        const ShiftWindow next = ShiftHolding(calendar, shift.ends_at);
        v1::GetShiftReportResponse report;
        report.set_shift(shift.name);
        *report.mutable_starts_at() = ToProtoTime(shift.starts_at);
        *report.mutable_ends_at() = ToProtoTime(shift.ends_at);
        HOTLINE_ASSIGN_OR_RETURN(
            std::vector<ClockRecord> overdue,
            store::ListOverdue(tx, at, store::OverdueFilter(), std::nullopt, kReportLimit));
        for (const ClockRecord& clock : overdue) {
          *report.add_overdue() = ClockToProto(clock);
        }
        HOTLINE_ASSIGN_OR_RETURN(std::vector<ClockRecord> soon,
                                 store::OpenClocksDueBetween(tx, at, next.ends_at, kReportLimit));
        for (const ClockRecord& clock : soon) {
          *report.add_due_soon() = ClockToProto(clock);
        }
        HOTLINE_ASSIGN_OR_RETURN(
            std::vector<v1::SlaAction> escalations,
            store::ActionsFiredBetween(tx, shift.starts_at, shift.ends_at,
                                       {v1::ACTION_KIND_URGING, v1::ACTION_KIND_SUPERVISION},
                                       kReportLimit));
        for (v1::SlaAction& action : escalations) {
          *report.add_escalations() = std::move(action);
        }
        HOTLINE_ASSIGN_OR_RETURN(std::vector<ClockRecord> voicemails,
                                 store::OpenClocksOfStage(tx, v1::STAGE_VOICEMAIL, kReportLimit));
        for (const ClockRecord& clock : voicemails) {
          *report.add_voicemails() = ClockToProto(clock);
        }
        return report;
      });
}

// --- events ------------------------------------------------------------------

absl::Status ClockDesk::ApplyEvent(pqxx::work& tx, const common::v1::Event& event) {
  std::vector<ClockCommand> commands;
  std::string ticket_id;
  std::string region;
  if (event.topic() == "ticket.created") {
    intake::v1::TicketCreated created;
    if (!event.payload().UnpackTo(&created)) {
      log::Warn("sla", "event ", event.event_id(), ": ticket.created payload unreadable; dropped");
      return absl::OkStatus();
    }
    ticket_id = created.ticket_id();
    region = created.address().province();
    commands = CommandsForTicketCreated(created);
  } else if (event.topic() == "ticket.cancelled") {
    intake::v1::TicketCancelled cancelled;
    if (!event.payload().UnpackTo(&cancelled)) {
      log::Warn("sla", "event ", event.event_id(),
                ": ticket.cancelled payload unreadable; dropped");
      return absl::OkStatus();
    }
    ticket_id = cancelled.ticket_id();
    commands = CommandsForTicketCancelled(cancelled);
  } else if (absl::StartsWith(event.topic(), "order.")) {
    dispatch::v1::OrderEvent order;
    if (!event.payload().UnpackTo(&order)) {
      log::Warn("sla", "event ", event.event_id(), ": ", event.topic(),
                " payload unreadable; dropped");
      return absl::OkStatus();
    }
    ticket_id = order.ticket_id();
    commands = CommandsForOrderEvent(event.topic(), order);
  }
  if (commands.empty() || ticket_id.empty()) {
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(store::LockTicketClocks(tx, ticket_id));
  // The ticket's clocks, read once and locked (the timer skips locked rows);
  // the commands keep the list as they change it.
  HOTLINE_ASSIGN_OR_RETURN(std::vector<ClockRecord> clocks,
                           store::ClocksOfTicket(tx, ticket_id, /*lock=*/true));
  if (region.empty() && !clocks.empty()) {
    // Clocks started by order events share the region of the ticket's clocks.
    region = clocks.front().region;
  }
  for (ClockCommand& command : commands) {
    command.ticket_id = ticket_id;
    if (command.kind == ClockCommand::Kind::kStart) {
      HOTLINE_RETURN_IF_ERROR(ApplyStart(tx, ClockStartOf(command, region, event.sequence()),
                                         command.supersedes_other_units, clocks));
    } else {
      HOTLINE_RETURN_IF_ERROR(ApplyStop(tx, command, clocks));
    }
  }
  return absl::OkStatus();
}

// A unit's clock that stopped runs again when a later event gives the work
// back to that unit (an order reopened at its branch by a dissatisfied
// callback, or a returned order sent back to it): a new round, a new row.
// The ticket's own clocks (unit "") start once.
bool ClockDesk::StartsAnotherRound(const ClockRecord& existing, const ClockStart& start) {
  return !start.unit.empty() && existing.state == v1::CLOCK_STATE_STOPPED && start.sequence > 0 &&
         start.sequence > existing.start_sequence;
}

absl::Status ClockDesk::ApplyStart(pqxx::work& tx, const ClockStart& start, bool supersedes,
                                   std::vector<ClockRecord>& clocks) {
  const ClockRecord* existing = CurrentRound(clocks, start.stage, start.unit);
  if (existing != nullptr && !StartsAnotherRound(*existing, start)) {
    return absl::OkStatus();  // started already: events are applied once per clock
  }
  if (supersedes) {
    std::vector<ClockRecord*> replaced;
    for (ClockRecord& other : clocks) {
      if (other.stage != start.stage || other.unit.empty() || other.unit == start.unit) {
        continue;
      }
      if (start.sequence > 0 && other.start_sequence > start.sequence) {
        log::Info("sla", ClockName(start.ticket_id, start.stage, start.unit),
                  " not started: a later event gave the stage to ", other.unit);
        return absl::OkStatus();
      }
      if (other.state != v1::CLOCK_STATE_STOPPED) {
        replaced.push_back(&other);
      }
    }
    for (ClockRecord* other : replaced) {
      HOTLINE_RETURN_IF_ERROR(StopClock(
          *other, std::max(start.at, other->started_at.value_or(start.at)), "reassigned"));
      HOTLINE_RETURN_IF_ERROR(store::UpdateClock(tx, *other));
      CountAfterCommit(*other);
    }
  }
  absl::StatusOr<ClockRecord> clock = StartNew(tx, start, "", "");
  if (absl::IsInvalidArgument(clock.status())) {
    // No policy covers it: nothing to time; the event is still applied.
    log::Warn("sla", ClockName(start.ticket_id, start.stage, start.unit),
              " not started: ", clock.status().message());
    return absl::OkStatus();
  }
  if (!clock.ok()) {
    return clock.status();
  }
  CountAfterCommit(*clock);
  clocks.push_back(*std::move(clock));
  return absl::OkStatus();
}

absl::Status ClockDesk::ApplyStop(pqxx::work& tx, const ClockCommand& command,
                                  std::vector<ClockRecord>& clocks) {
  const std::string reason = command.reason.empty() ? "met" : command.reason;
  if (command.kind == ClockCommand::Kind::kStopTicket) {
    for (ClockRecord& clock : clocks) {
      if (clock.state == v1::CLOCK_STATE_STOPPED) {
        continue;
      }
      HOTLINE_RETURN_IF_ERROR(
          StopClock(clock, std::max(command.at, clock.started_at.value_or(command.at)), reason));
      HOTLINE_RETURN_IF_ERROR(store::UpdateClock(tx, clock));
      HOTLINE_RETURN_IF_ERROR(PublishClock(tx, clock));
      CountAfterCommit(clock);
    }
    return absl::OkStatus();
  }
  ClockRecord* clock = CurrentRound(clocks, command.stage, command.unit);
  if (clock == nullptr) {
    if (clocks.empty()) {
      // The ticket's start has not arrived yet: the stop waits for it.
      return store::AddEarlyStop(tx, command.ticket_id, command.stage, command.unit, command.at,
                                 reason);
    }
    return absl::OkStatus();
  }
  if (clock->state == v1::CLOCK_STATE_STOPPED) {
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(
      StopClock(*clock, std::max(command.at, clock->started_at.value_or(command.at)), reason));
  HOTLINE_RETURN_IF_ERROR(store::UpdateClock(tx, *clock));
  HOTLINE_RETURN_IF_ERROR(PublishClock(tx, *clock));
  CountAfterCommit(*clock);
  return absl::OkStatus();
}

}  // namespace hotline::sla
