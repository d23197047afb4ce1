#include "services/sla/domain/clock_state.h"

#include <gtest/gtest.h>

namespace hotline::sla {
namespace {

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

absl::Time At(int y, int m, int d, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), Shanghai());
}

ClockTerms TwoWorkingDays() {
  ClockTerms terms;
  terms.measure = v1::MEASURE_WORKING_DAYS;
  terms.limit = absl::Hours(48);
  terms.warn_at = {0.5, 0.8};
  terms.supervise_after = absl::Minutes(30);
  return terms;
}

ClockStart StartAt(absl::Time at) {
  ClockStart start;
  start.ticket_id = "t";
  start.stage = v1::STAGE_DEPARTMENT_ANSWER;
  start.at = at;
  return start;
}

TEST(ClockStateTest, APauseOverAWeekendDoesNotCountAndMovesTheDueTime) {
  const WorkCalendar calendar = DefaultCalendar(Shanghai());
  // Thursday 2026-12-03 10:00 + 2 working days: Monday 10:00.
  ClockRecord clock =
      StartedClock("c", StartAt(At(2026, 12, 3, 10)), calendar, TwoWorkingDays(), 1);
  EXPECT_EQ(clock.due_at, At(2026, 12, 7, 10));
  // Paused Friday 16:00 (30 h counted), resumed Monday 09:00: 18 h left.
  ASSERT_TRUE(PauseClock(clock, calendar, At(2026, 12, 4, 16)).ok());
  EXPECT_FALSE(clock.next_fire_at.has_value()) << "a paused clock fires nothing";
  ASSERT_TRUE(ResumeClock(clock, calendar, At(2026, 12, 7, 9)).ok());
  EXPECT_EQ(clock.due_at, At(2026, 12, 8, 3));
  EXPECT_EQ(clock.paused_for, At(2026, 12, 7, 9) - At(2026, 12, 4, 16));
}

TEST(ClockStateTest, MilestonesFireInOrderOnceEach) {
  const WorkCalendar calendar = DefaultCalendar(Shanghai());
  ClockTerms terms;
  terms.measure = v1::MEASURE_ELAPSED;
  terms.limit = absl::Minutes(10);
  terms.warn_at = {0.5, 0.8};
  terms.supervise_after = absl::Minutes(30);
  const absl::Time start = At(2026, 12, 31, 23, 55);  // across midnight and the year's end
  ClockRecord clock = StartedClock("c", StartAt(start), calendar, terms, 1);
  EXPECT_EQ(clock.next_fire_at, start + absl::Minutes(5));
  EXPECT_TRUE(FireDue(clock, calendar, start + absl::Minutes(4)).empty());
  std::vector<Milestone> fired = FireDue(clock, calendar, start + absl::Minutes(10));
  ASSERT_EQ(fired.size(), 4u);
  EXPECT_EQ(fired[0].kind, MilestoneKind::kWarning);
  EXPECT_EQ(fired[1].kind, MilestoneKind::kWarning);
  EXPECT_EQ(fired[2].kind, MilestoneKind::kBreach);
  EXPECT_EQ(fired[3].kind, MilestoneKind::kUrging);
  EXPECT_EQ(fired[2].at, At(2027, 1, 1, 0, 5));
  EXPECT_TRUE(clock.breached);
  EXPECT_EQ(clock.next_fire_at, start + absl::Minutes(40));
  EXPECT_TRUE(FireDue(clock, calendar, start + absl::Minutes(10)).empty()) << "once";
  ASSERT_EQ(FireDue(clock, calendar, start + absl::Hours(2)).size(), 1u);
  EXPECT_EQ(clock.escalation, v1::ESCALATION_SUPERVISED);
  EXPECT_FALSE(clock.next_fire_at.has_value());
}

TEST(ClockStateTest, StopsAreCheckedAndALateStopIsABreach) {
  const WorkCalendar calendar = DefaultCalendar(Shanghai());
  const absl::Time start = At(2026, 12, 3, 10);
  ClockRecord clock = StartedClock("c", StartAt(start), calendar, TwoWorkingDays(), 1);
  absl::Status early = StopClock(clock, start - absl::Seconds(1), "");
  EXPECT_EQ(early.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(clock.state, v1::CLOCK_STATE_RUNNING) << "a refused stop changes nothing";
  ASSERT_TRUE(StopClock(clock, At(2026, 12, 7, 11), "").ok());
  EXPECT_TRUE(clock.breached);
  EXPECT_EQ(clock.stop_reason, "met");
  EXPECT_EQ(StopClock(clock, At(2026, 12, 7, 12), "").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ClockStateTest, ASupervisionGoesToTheShiftLeaderAndTheSuperiorUnit) {
  const WorkCalendar calendar = DefaultCalendar(Shanghai());
  ClockStart start = StartAt(At(2026, 12, 3, 10));
  start.stage = v1::STAGE_ARRIVAL;
  start.unit = "BR-7";
  start.superior_unit = "BR-DISTRICT";
  ClockTerms terms;
  terms.measure = v1::MEASURE_ELAPSED;
  terms.limit = absl::Minutes(45);
  terms.supervise_after = absl::Minutes(30);
  ClockRecord clock = StartedClock("c", start, calendar, terms, 1);
  std::vector<Milestone> fired = FireDue(clock, calendar, start.at + absl::Hours(2));
  ASSERT_FALSE(fired.empty());
  v1::SlaAction urging = ActionOf(clock, fired[fired.size() - 2], Shanghai());
  EXPECT_EQ(urging.kind(), v1::ACTION_KIND_URGING);
  EXPECT_EQ(std::vector<std::string>(urging.targets().begin(), urging.targets().end()),
            std::vector<std::string>{"BR-7"});
  v1::SlaAction supervision = ActionOf(clock, fired.back(), Shanghai());
  EXPECT_EQ(supervision.kind(), v1::ACTION_KIND_SUPERVISION);
  EXPECT_EQ(std::vector<std::string>(supervision.targets().begin(), supervision.targets().end()),
            (std::vector<std::string>{"shift_leader", "BR-DISTRICT"}));
}

TEST(ClockStateTest, AClockStoppedWhilePausedBreachedOnlyIfItHadUsedItsLimit) {
  const WorkCalendar calendar = DefaultCalendar(Shanghai());
  ClockTerms terms;
  terms.measure = v1::MEASURE_ELAPSED;
  terms.limit = absl::Hours(4);
  const absl::Time start = At(2026, 12, 3, 8);
  ClockRecord clock = StartedClock("c", StartAt(start), calendar, terms, 1);
  ASSERT_TRUE(PauseClock(clock, calendar, start + absl::Hours(1)).ok());
  ASSERT_TRUE(StopClock(clock, start + absl::Hours(5), "").ok());  // past the old due time
  EXPECT_FALSE(clock.breached) << "one hour of four was used";
  EXPECT_EQ(clock.paused_for, absl::Hours(4));
}

TEST(ClockStateTest, AClockOnACalendarWithoutWorkingDaysIsNeverDue) {
  WorkCalendar calendar = DefaultCalendar(Shanghai());
  for (absl::CivilDay day(2026, 12, 1); day < absl::CivilDay(2037, 1, 1); ++day) {
    calendar.holidays.insert(day);
  }
  ClockRecord clock =
      StartedClock("c", StartAt(At(2026, 12, 3, 10)), calendar, TwoWorkingDays(), 1);
  EXPECT_FALSE(clock.due_at.has_value());
  EXPECT_FALSE(clock.next_fire_at.has_value());
  EXPECT_TRUE(FireDue(clock, calendar, At(2030, 1, 1, 0)).empty());
}

}  // namespace
}  // namespace hotline::sla

namespace hotline::sla {
namespace {

ClockRecord Round(const std::string& id, v1::Stage stage, const std::string& unit,
                  v1::ClockState state, std::optional<absl::Time> started) {
  ClockRecord clock;
  clock.clock_id = id;
  clock.stage = stage;
  clock.unit = unit;
  clock.state = state;
  clock.started_at = started;
  return clock;
}

TEST(ClockStateTest, TheCurrentRoundIsTheOpenOneElseTheLatest) {
  const absl::Time t = absl::FromUnixSeconds(1800000000);
  const v1::Stage arrival = v1::STAGE_ARRIVAL;
  // As store::ClocksOfTicket reads them: by start, then as made; unstarted last.
  std::vector<ClockRecord> clocks = {
      Round("first", arrival, "BR-1", v1::CLOCK_STATE_STOPPED, t),
      Round("other unit", arrival, "BR-2", v1::CLOCK_STATE_STOPPED, t),
      Round("same start, made later", arrival, "BR-2", v1::CLOCK_STATE_STOPPED, t),
      Round("started", arrival, "BR-3", v1::CLOCK_STATE_STOPPED, t),
      Round("open", arrival, "BR-1", v1::CLOCK_STATE_RUNNING, t + absl::Hours(1)),
      Round("stopped later", arrival, "BR-1", v1::CLOCK_STATE_STOPPED, t + absl::Hours(2)),
      Round("unstarted", arrival, "BR-3", v1::CLOCK_STATE_STOPPED, std::nullopt),
  };
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-1")->clock_id, "open");
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-2")->clock_id, "same start, made later");
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-3")->clock_id, "started");
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-4"), nullptr);
  EXPECT_EQ(CurrentRound(clocks, v1::STAGE_DISPATCH, "BR-1"), nullptr);
  clocks[4].state = v1::CLOCK_STATE_STOPPED;
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-1")->clock_id, "stopped later");
  // A round started by this event is appended: it is the unit's open round,
  // even when its start is earlier than a stopped round's.
  clocks.push_back(Round("new round", arrival, "BR-1", v1::CLOCK_STATE_RUNNING, t));
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-1")->clock_id, "new round");
  clocks.push_back(Round("new, same start", arrival, "BR-2", v1::CLOCK_STATE_STOPPED, t));
  EXPECT_EQ(CurrentRound(clocks, arrival, "BR-2")->clock_id, "new, same start");
}

}  // namespace
}  // namespace hotline::sla
