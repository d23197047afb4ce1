// A clock's milestones, pauses, same-shift limits and policy changes. Dates in
// Asia/Shanghai, 2026 (1 January 2026 is a Thursday).

#include "services/sla/domain/clock_timeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/proto_time/proto_time.h"
#include "services/sla/domain/policy.h"

namespace hotline::sla {

void PrintTo(const Milestone& m, std::ostream* os) {
  static const char* const kKinds[] = {"warning", "breach", "urging", "supervision"};
  *os << "{" << m.index << " " << kKinds[static_cast<int>(m.kind)] << " "
      << absl::FormatTime("%Y-%m-%d %H:%M:%S", m.at, absl::FixedTimeZone(8 * 3600)) << " "
      << m.fraction << "}";
}

namespace {

using ::testing::ElementsAre;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

absl::Time At(int year, int month, int day, int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second), Shanghai());
}

// 2026's National Day week: 1-7 October off, Sunday 20 September and Saturday
// 10 October worked.
WorkCalendar NationalDay2026() {
  WorkCalendar c = DefaultCalendar(Shanghai());
  for (int day = 1; day <= 7; ++day) {
    c.holidays.insert(absl::CivilDay(2026, 10, day));
  }
  c.make_up_days = {absl::CivilDay(2026, 9, 20), absl::CivilDay(2026, 10, 10)};
  return c;
}

ClockTerms Terms(v1::Measure measure, absl::Duration limit,
                 absl::Duration supervise_after = absl::Minutes(30)) {
  return ClockTerms{measure, limit, {0.5, 0.8}, supervise_after};
}

Milestone M(int index, MilestoneKind kind, absl::Time at, double fraction = 1) {
  return Milestone{index, kind, at, fraction};
}

TEST(ClockTimeline, TermsOfAPolicy) {
  v1::Policy p;
  p.set_stage(v1::STAGE_ARRIVAL);
  p.set_measure(v1::MEASURE_ELAPSED);
  *p.mutable_limit() = ToProtoDuration(absl::Minutes(45));
  ClockTerms terms = TermsOf(p, absl::Minutes(30));
  EXPECT_EQ(terms.measure, v1::MEASURE_ELAPSED);
  EXPECT_EQ(terms.limit, absl::Minutes(45));
  EXPECT_THAT(terms.warn_at, ElementsAre(0.5, 0.8));
  EXPECT_EQ(terms.supervise_after, absl::Minutes(30));  // the setting
  p.add_warn_at(0.9);
  *p.mutable_supervise_after() = ToProtoDuration(absl::ZeroDuration());
  terms = TermsOf(p, absl::Minutes(30));
  EXPECT_THAT(terms.warn_at, ElementsAre(0.9));
  EXPECT_EQ(terms.supervise_after, absl::ZeroDuration());  // the policy's, even zero
}

TEST(ClockTimeline, MilestonesOfAnElapsedClock) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // A repair order to be sent within 5 minutes, the call taken 23:58 on New
  // Year's Eve.
  ClockRun run{At(2026, 12, 31, 23, 58), absl::ZeroDuration()};
  ClockTerms terms = Terms(v1::MEASURE_ELAPSED, absl::Minutes(5));
  EXPECT_THAT(Milestones(c, terms, run),
              ElementsAre(M(0, MilestoneKind::kWarning, At(2027, 1, 1, 0, 0, 30), 0.5),
                          M(1, MilestoneKind::kWarning, At(2027, 1, 1, 0, 2), 0.8),
                          M(2, MilestoneKind::kBreach, At(2027, 1, 1, 0, 3)),
                          M(3, MilestoneKind::kUrging, At(2027, 1, 1, 0, 3)),
                          M(4, MilestoneKind::kSupervision, At(2027, 1, 1, 0, 33))));
  EXPECT_EQ(DueAt(c, terms, run), At(2027, 1, 1, 0, 3));
}

TEST(ClockTimeline, MilestonesOfAWorkingDayClockAcrossNationalDay) {
  WorkCalendar c = NationalDay2026();
  // A consultation order asked of a department Wednesday 30 September 10:00,
  // two working days: half is used at Thursday 8 October 10:00, 80% (38h24m)
  // at Friday 9 October 00:24, due Friday 10:00.
  ClockRun run{At(2026, 9, 30, 10, 0), absl::ZeroDuration()};
  ClockTerms terms = Terms(v1::MEASURE_WORKING_DAYS, absl::Hours(48));
  EXPECT_THAT(Milestones(c, terms, run),
              ElementsAre(M(0, MilestoneKind::kWarning, At(2026, 10, 8, 10, 0), 0.5),
                          M(1, MilestoneKind::kWarning, At(2026, 10, 9, 0, 24), 0.8),
                          M(2, MilestoneKind::kBreach, At(2026, 10, 9, 10, 0)),
                          M(3, MilestoneKind::kUrging, At(2026, 10, 9, 10, 0)),
                          M(4, MilestoneKind::kSupervision, At(2026, 10, 9, 10, 30))));
}

TEST(ClockTimeline, APauseOverAWeekend) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // A department answer (2 working days) from Thursday 5 March 10:00, paused
  // Friday 12:00 waiting on the customer (14h + 12h used), resumed Tuesday
  // 08:00: the weekend would not have counted anyway, Monday does not count
  // because the clock was paused. 22h are left: 16h of Tuesday, 6h of
  // Wednesday.
  ClockTerms terms = Terms(v1::MEASURE_WORKING_DAYS, absl::Hours(48));
  ClockRun first{At(2026, 3, 5, 10, 0), absl::ZeroDuration()};
  EXPECT_EQ(DueAt(c, terms, first), At(2026, 3, 9, 10, 0));
  absl::Duration consumed = ConsumedAt(c, terms, first, At(2026, 3, 6, 12, 0));
  EXPECT_EQ(consumed, absl::Hours(26));
  ClockRun resumed{At(2026, 3, 10, 8, 0), consumed};
  EXPECT_EQ(DueAt(c, terms, resumed), At(2026, 3, 11, 6, 0));
  // The milestones keep their indexes; the half-way warning, already passed,
  // falls at the resume.
  EXPECT_THAT(Milestones(c, terms, resumed),
              ElementsAre(M(0, MilestoneKind::kWarning, At(2026, 3, 10, 8, 0), 0.5),
                          M(1, MilestoneKind::kWarning, At(2026, 3, 10, 20, 24), 0.8),
                          M(2, MilestoneKind::kBreach, At(2026, 3, 11, 6, 0)),
                          M(3, MilestoneKind::kUrging, At(2026, 3, 11, 6, 0)),
                          M(4, MilestoneKind::kSupervision, At(2026, 3, 11, 6, 30))));
  // Paused over the weekend alone, the answer is due as if never paused.
  ClockRun weekend{At(2026, 3, 9, 0, 0), ConsumedAt(c, terms, first, At(2026, 3, 7, 0, 0))};
  EXPECT_EQ(weekend.consumed, absl::Hours(38));
  EXPECT_EQ(DueAt(c, terms, weekend), At(2026, 3, 9, 10, 0));
}

TEST(ClockTimeline, AnElapsedClockPausedOverAWeekend) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // A complaint result (48h elapsed) from Thursday 09:00, paused Friday
  // 17:00 (32h used), resumed Monday 09:00: 16h left, due Tuesday 01:00.
  ClockTerms terms = Terms(v1::MEASURE_ELAPSED, absl::Hours(48));
  ClockRun first{At(2026, 3, 5, 9, 0), absl::ZeroDuration()};
  absl::Duration consumed = ConsumedAt(c, terms, first, At(2026, 3, 6, 17, 0));
  EXPECT_EQ(consumed, absl::Hours(32));
  EXPECT_EQ(DueAt(c, terms, ClockRun{At(2026, 3, 9, 9, 0), consumed}), At(2026, 3, 10, 1, 0));
}

TEST(ClockTimeline, ABreachedClockPausedAndResumedStaysAsOverdue) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // Due 10:05, paused 10:07 (2m over), resumed 11:00: due 10:58, the old due
  // time moved later by the 53 minutes paused.
  ClockTerms terms = Terms(v1::MEASURE_ELAPSED, absl::Minutes(5));
  ClockRun first{At(2026, 3, 5, 10, 0), absl::ZeroDuration()};
  ClockRun resumed{At(2026, 3, 5, 11, 0), ConsumedAt(c, terms, first, At(2026, 3, 5, 10, 7))};
  EXPECT_EQ(DueAt(c, terms, resumed), At(2026, 3, 5, 10, 58));
  // Working days: 1 working day, used Friday 00:00 to Monday 06:00 (30h),
  // resumed Tuesday 00:00: 6 counted hours over, due Monday 18:00.
  ClockTerms days = Terms(v1::MEASURE_WORKING_DAYS, absl::Hours(24));
  ClockRun late{At(2026, 3, 6, 0, 0), absl::ZeroDuration()};
  ClockRun back{At(2026, 3, 10, 0, 0), ConsumedAt(c, days, late, At(2026, 3, 9, 6, 0))};
  EXPECT_EQ(back.consumed, absl::Hours(30));
  EXPECT_EQ(DueAt(c, days, back), At(2026, 3, 9, 18, 0));
}

TEST(ClockTimeline, SameShift) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  ClockTerms voicemail{v1::MEASURE_SAME_SHIFT, absl::ZeroDuration(), {0.5, 0.8}, absl::Minutes(30)};
  // Left at 14:00 in the day shift (08:00-16:00): due 16:00.
  ClockTerms terms = TermsAtStart(c, voicemail, At(2026, 3, 5, 14, 0));
  EXPECT_EQ(terms.measure, v1::MEASURE_ELAPSED);
  EXPECT_EQ(terms.limit, absl::Hours(2));
  ClockRun run{At(2026, 3, 5, 14, 0), absl::ZeroDuration()};
  EXPECT_THAT(Milestones(c, terms, run),
              ElementsAre(M(0, MilestoneKind::kWarning, At(2026, 3, 5, 15, 0), 0.5),
                          M(1, MilestoneKind::kWarning, At(2026, 3, 5, 15, 36), 0.8),
                          M(2, MilestoneKind::kBreach, At(2026, 3, 5, 16, 0)),
                          M(3, MilestoneKind::kUrging, At(2026, 3, 5, 16, 0)),
                          M(4, MilestoneKind::kSupervision, At(2026, 3, 5, 16, 30))));
  // Left at 23:59 on 31 December in the evening shift: due at midnight.
  ClockTerms late = TermsAtStart(c, voicemail, At(2026, 12, 31, 23, 59));
  EXPECT_EQ(DueAt(c, late, ClockRun{At(2026, 12, 31, 23, 59), absl::ZeroDuration()}),
            At(2027, 1, 1, 0, 0));
  // A night shift 22:00-06:00: left at 03:00, due 06:00 the same morning.
  c.shifts = {{"day", 6 * 60, 14 * 60}, {"evening", 14 * 60, 22 * 60}, {"night", 22 * 60, 6 * 60}};
  ClockTerms night = TermsAtStart(c, voicemail, At(2026, 3, 6, 3, 0));
  EXPECT_EQ(night.limit, absl::Hours(3));
  EXPECT_EQ(DueAt(c, night, ClockRun{At(2026, 3, 6, 3, 0), absl::ZeroDuration()}),
            At(2026, 3, 6, 6, 0));
  // Other terms are left alone.
  ClockTerms elapsed = Terms(v1::MEASURE_ELAPSED, absl::Minutes(5));
  EXPECT_EQ(TermsAtStart(c, elapsed, At(2026, 3, 6, 3, 0)).limit, absl::Minutes(5));
}

TEST(ClockTimeline, APolicyChangedWhileAClockRunsDoesNotChangeIt) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  std::vector<v1::Policy> policies = DefaultPolicies();
  auto match = [&] {
    return MatchPolicy(policies, v1::STAGE_DEPARTMENT_ANSWER, common::v1::TICKET_TYPE_CONSULTATION,
                       common::v1::AREA_CLASS_URBAN, "")
        .value();
  };
  // A clock starts Thursday 5 March 10:00 under version 1 (2 working days)
  // and keeps its terms.
  v1::Policy started_with = match();
  ASSERT_EQ(started_with.version(), 1);
  const ClockTerms kept = TermsOf(started_with, absl::Minutes(30));
  const ClockRun run{At(2026, 3, 5, 10, 0), absl::ZeroDuration()};
  EXPECT_EQ(DueAt(c, kept, run), At(2026, 3, 9, 10, 0));

  // The rule changes to 1 working day (version 2), as SetPolicy replaces it.
  for (v1::Policy& p : policies) {
    if (p.stage() == v1::STAGE_DEPARTMENT_ANSWER &&
        p.ticket_type() == common::v1::TICKET_TYPE_CONSULTATION) {
      *p.mutable_limit() = ToProtoDuration(absl::Hours(24));
      p.set_version(2);
    }
  }
  v1::Policy now = match();
  EXPECT_EQ(now.version(), 2);
  // A clock started now at the same instant would be due Friday 10:00 ...
  EXPECT_EQ(DueAt(c, TermsOf(now, absl::Minutes(30)), run), At(2026, 3, 6, 10, 0));
  // ... the running one is still due Monday 10:00.
  EXPECT_EQ(kept.limit, absl::Hours(48));
  EXPECT_EQ(DueAt(c, kept, run), At(2026, 3, 9, 10, 0));
}

TEST(ClockTimeline, DescribeMilestones) {
  WorkCalendar c = NationalDay2026();
  ClockTerms days = Terms(v1::MEASURE_WORKING_DAYS, absl::Hours(48));
  std::vector<Milestone> m = Milestones(c, days, ClockRun{At(2026, 9, 30, 10, 0), {}});
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(DescribeMilestone(m[0], days, Shanghai()), "50% of 2 working days used");
  EXPECT_EQ(DescribeMilestone(m[1], days, Shanghai()), "80% of 2 working days used");
  EXPECT_EQ(DescribeMilestone(m[2], days, Shanghai()),
            "breach: 2 working days passed, due 2026-10-09 10:00");
  EXPECT_EQ(DescribeMilestone(m[3], days, Shanghai()), "urging: due 2026-10-09 10:00 passed");
  EXPECT_EQ(DescribeMilestone(m[4], days, Shanghai()),
            "supervision: 30m after the breach (due 2026-10-09 10:00)");
  EXPECT_EQ(DescribeMilestone(m[2], days),
            "breach: 2 working days passed, due 2026-10-09 02:00 UTC");

  ClockTerms five = Terms(v1::MEASURE_ELAPSED, absl::Minutes(5), absl::ZeroDuration());
  std::vector<Milestone> f = Milestones(c, five, ClockRun{At(2026, 3, 5, 10, 0), {}});
  EXPECT_EQ(DescribeMilestone(f[1], five, Shanghai()), "80% of 5m used");
  EXPECT_EQ(DescribeMilestone(f[2], five, Shanghai()), "breach: 5m passed, due 2026-03-05 10:05");
  EXPECT_EQ(DescribeMilestone(f[4], five, Shanghai()),
            "supervision: at the breach (due 2026-03-05 10:05)");

  EXPECT_EQ(DescribeLimit(v1::MEASURE_WORKING_DAYS, absl::Hours(24)), "1 working day");
  EXPECT_EQ(DescribeLimit(v1::MEASURE_WORKING_DAYS, absl::Hours(36)), "36h of working days");
  EXPECT_EQ(DescribeLimit(v1::MEASURE_WORKING_HOURS, absl::Hours(2)), "2 working hours");
  EXPECT_EQ(DescribeLimit(v1::MEASURE_ELAPSED, absl::Minutes(90)), "1h30m");
}

}  // namespace
}  // namespace hotline::sla
