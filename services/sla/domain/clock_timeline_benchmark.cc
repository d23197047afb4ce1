// How long a clock's start takes in the pure domain: the most specific
// policy is chosen, its terms taken, and every milestone (warnings, breach,
// urging, supervision) computed, and again on each resume after a pause.

#include <benchmark/benchmark.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/bench/require.h"
#include "libs/proto_time/proto_time.h"
#include "services/sla/domain/clock_timeline.h"
#include "services/sla/domain/policy.h"

namespace hotline::sla {
namespace {

const absl::TimeZone kShanghai = absl::FixedTimeZone(8 * 3600);

absl::Time At(int month, int day, int hour) {
  return absl::FromCivil(absl::CivilHour(2026, month, day, hour), kShanghai);
}

WorkCalendar NationalDay2026() {
  WorkCalendar c = DefaultCalendar(kShanghai);
  for (int day = 1; day <= 7; ++day) {
    c.holidays.insert(absl::CivilDay(2026, 10, day));
  }
  c.make_up_days = {absl::CivilDay(2026, 9, 20), absl::CivilDay(2026, 10, 10)};
  return c;
}

// domain.md's defaults and an arrival limit for each of `branches` branches
// (a city's branches tuned one by one).
std::vector<v1::Policy> CityPolicies(int branches) {
  std::vector<v1::Policy> policies = DefaultPolicies();
  for (int i = 0; i < branches; ++i) {
    v1::Policy p;
    p.set_stage(v1::STAGE_ARRIVAL);
    p.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
    p.set_branch_id(absl::StrCat("SS-", i));
    p.set_measure(v1::MEASURE_ELAPSED);
    *p.mutable_limit() = ToProtoDuration(absl::Minutes(60 + i % 60));
    policies.push_back(p);
  }
  return policies;
}

// range(0): branch-specific arrival policies besides the defaults.
void BM_MatchArrivalPolicy(benchmark::State& state) {
  const std::vector<v1::Policy> policies = CityPolicies(static_cast<int>(state.range(0)));
  const std::string branch = absl::StrCat("SS-", state.range(0) - 1);
  bench::Require(MatchPolicy(policies, v1::STAGE_ARRIVAL, common::v1::TICKET_TYPE_REPAIR,
                             common::v1::AREA_CLASS_RURAL, branch)
                         .value_or(v1::Policy())
                         .branch_id() == branch,
                 "the branch's own arrival policy wins");
  for (auto _ : state) {
    benchmark::DoNotOptimize(MatchPolicy(policies, v1::STAGE_ARRIVAL,
                                         common::v1::TICKET_TYPE_REPAIR,
                                         common::v1::AREA_CLASS_RURAL, branch));
  }
}
BENCHMARK(BM_MatchArrivalPolicy)->Arg(1)->Arg(200);

// A department's answer (2 working days) asked before the holiday week:
// two warnings, the breach, the urging and the supervision.
void BM_MilestonesOfDepartmentAnswer(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const ClockTerms terms{v1::MEASURE_WORKING_DAYS, absl::Hours(48), {0.5, 0.8}, absl::Minutes(30)};
  const ClockRun run{At(9, 30, 10), absl::ZeroDuration()};
  bench::Require(Milestones(calendar, terms, run).size() == 5, "five milestones");
  for (auto _ : state) {
    benchmark::DoNotOptimize(Milestones(calendar, terms, run));
  }
}
BENCHMARK(BM_MilestonesOfDepartmentAnswer);

// A repair's arrival clock resumed after a pause, having used 40 of 90 minutes.
void BM_MilestonesOfResumedArrival(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const ClockTerms terms{v1::MEASURE_ELAPSED, absl::Minutes(90), {0.5, 0.8}, absl::Minutes(30)};
  const ClockRun run{At(10, 2, 22), absl::Minutes(40)};
  bench::Require(DueAt(calendar, terms, run) == At(10, 2, 22) + absl::Minutes(50),
                 "due 50 minutes after the resume");
  for (auto _ : state) {
    benchmark::DoNotOptimize(Milestones(calendar, terms, run));
  }
}
BENCHMARK(BM_MilestonesOfResumedArrival);

// The message of a warning, as SlaAction.detail carries it.
void BM_DescribeWarning(benchmark::State& state) {
  const ClockTerms terms{v1::MEASURE_WORKING_DAYS, absl::Hours(48), {0.5, 0.8}, absl::Minutes(30)};
  const Milestone warning{1, MilestoneKind::kWarning, At(10, 9, 0), 0.8};
  for (auto _ : state) {
    benchmark::DoNotOptimize(DescribeMilestone(warning, terms, kShanghai));
  }
}
BENCHMARK(BM_DescribeWarning);

}  // namespace
}  // namespace hotline::sla
