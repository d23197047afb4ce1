// How long deadline arithmetic on the working-day calendar takes: every
// clock start, pause and resume computes due times with AddCounted, and every
// pause measures what was used with CountedBetween. Dates in Asia/Shanghai
// (UTC+8) around 2026's National Day week, the longest run of days off.

#include <benchmark/benchmark.h>

#include "libs/bench/require.h"
#include "services/sla/domain/calendar.h"

namespace hotline::sla {
namespace {

const absl::TimeZone kShanghai = absl::FixedTimeZone(8 * 3600);

absl::Time At(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), kShanghai);
}

// 1-7 October off, Sunday 20 September and Saturday 10 October worked.
WorkCalendar NationalDay2026() {
  WorkCalendar c = DefaultCalendar(kShanghai);
  for (int day = 1; day <= 7; ++day) {
    c.holidays.insert(absl::CivilDay(2026, 10, day));
  }
  c.make_up_days = {absl::CivilDay(2026, 9, 20), absl::CivilDay(2026, 10, 10)};
  return c;
}

// The arrival clock of a repair: 90 minutes, elapsed.
void BM_AddElapsedArrivalLimit(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const absl::Time from = At(9, 30, 10);
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddCounted(calendar, v1::MEASURE_ELAPSED, from, absl::Minutes(90)));
  }
}
BENCHMARK(BM_AddElapsedArrivalLimit);

// A department's answer, 2 working days, asked the day before the holiday:
// due after the week off and the worked Saturday.
void BM_AddWorkingDaysOverHoliday(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const absl::Time from = At(9, 30, 10);
  bench::Require(
      AddCounted(calendar, v1::MEASURE_WORKING_DAYS, from, absl::Hours(48)) == At(10, 9, 10),
      "two working days from 30 September 10:00 end on 9 October 10:00");
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddCounted(calendar, v1::MEASURE_WORKING_DAYS, from, absl::Hours(48)));
  }
}
BENCHMARK(BM_AddWorkingDaysOverHoliday);

// 16 working hours (08:30-17:30) from the last afternoon before the holiday.
void BM_AddWorkingHoursOverHoliday(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const absl::Time from = At(9, 30, 16);
  bench::Require(
      AddCounted(calendar, v1::MEASURE_WORKING_HOURS, from, absl::Hours(16)) == At(10, 9, 14),
      "16 working hours from 30 September 16:00 end on 9 October 14:00");
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        AddCounted(calendar, v1::MEASURE_WORKING_HOURS, from, absl::Hours(16)));
  }
}
BENCHMARK(BM_AddWorkingHoursOverHoliday);

// What a clock paused after the holiday had used since before it.
void BM_CountedWorkingDaysOverHoliday(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const absl::Time from = At(9, 29, 9);
  const absl::Time to = At(10, 12, 11);
  bench::Require(
      CountedBetween(calendar, v1::MEASURE_WORKING_DAYS, from, to) == absl::Hours(5 * 24 + 2),
      "29 September 09:00 to 12 October 11:00 counts 5 working days and 2 hours");
  for (auto _ : state) {
    benchmark::DoNotOptimize(CountedBetween(calendar, v1::MEASURE_WORKING_DAYS, from, to));
  }
}
BENCHMARK(BM_CountedWorkingDaysOverHoliday);

// The shift a voicemail clock starts in.
void BM_ShiftHoldingNight(benchmark::State& state) {
  const WorkCalendar calendar = NationalDay2026();
  const absl::Time at = At(10, 2, 3, 15);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ShiftHolding(calendar, at));
  }
}
BENCHMARK(BM_ShiftHoldingNight);

}  // namespace
}  // namespace hotline::sla
