// sla's calendar arithmetic (services/sla/domain/calendar.h) and the clock
// timelines built on it (clock_timeline.h), checked against their contracts:
// counting forward then measuring gives the amount back, later amounts give
// later instants, counting backwards undoes counting forwards, a shift holds
// the instant it is asked about, and a clock's milestones come in order. The
// input chooses a zone, a calendar (holidays, make-up days, working hours,
// shifts, through CalendarFromProto as the API does), a start and amounts.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/clock_timeline.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::sla {
namespace {

using fuzz::Expect;

absl::TimeZone ZoneOf(uint8_t choice) {
  // Zones with and without summer time, one with a 30-minute change.
  static const char* const kZones[] = {"Asia/Shanghai", "UTC", "America/New_York",
                                       "Australia/Lord_Howe", "Europe/London"};
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(kZones[choice % 5], &zone)) {
    zone = absl::FixedTimeZone(8 * 3600);
  }
  return zone;
}

std::string Date(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string Minutes(int minute) { return absl::StrFormat("%02d:%02d", minute / 60, minute % 60); }

// A calendar the API would take, or the default one when the input makes one
// it refuses.
WorkCalendar CalendarOf(FuzzedDataProvider& input, absl::CivilDay base, absl::TimeZone zone) {
  v1::Calendar proto;
  proto.set_region("Region");
  const int days_off = input.ConsumeIntegralInRange(0, 40);
  for (int i = 0; i < days_off; ++i) {
    const absl::CivilDay day = base + input.ConsumeIntegralInRange(-30, 400);
    const bool weekend = absl::GetWeekday(day) == absl::Weekday::saturday ||
                         absl::GetWeekday(day) == absl::Weekday::sunday;
    (weekend ? proto.add_make_up_days() : proto.add_holidays())->assign(Date(day));
  }
  if (input.ConsumeBool()) {
    const int start = input.ConsumeIntegralInRange(0, 1439);
    proto.set_working_hours_start(Minutes(start));
    proto.set_working_hours_end(Minutes(input.ConsumeIntegralInRange(start + 1, 1440)));
  }
  if (input.ConsumeBool()) {
    std::set<int> cuts;
    const int count = input.ConsumeIntegralInRange(1, 5);
    for (int i = 0; i < count; ++i) {
      cuts.insert(input.ConsumeIntegralInRange(0, 1439));
    }
    const std::vector<int> points(cuts.begin(), cuts.end());
    for (size_t i = 0; i < points.size(); ++i) {
      v1::Shift* shift = proto.add_shifts();
      shift->set_name(absl::StrCat("shift", i));
      shift->set_start(Minutes(points[i]));
      shift->set_end(Minutes(points[(i + 1) % points.size()]));
    }
  }
  absl::StatusOr<WorkCalendar> calendar = CalendarFromProto(proto, zone);
  return calendar.ok() ? *std::move(calendar) : DefaultCalendar(zone);
}

void CheckCounting(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                   absl::Duration a, absl::Duration b) {
  const absl::Duration shorter = std::min(a, b);
  const absl::Duration longer = std::max(a, b);
  const absl::Time early = AddCounted(calendar, measure, from, shorter);
  const absl::Time late = AddCounted(calendar, measure, from, longer);
  Expect(early >= from, "counting forward never ends before the start");
  Expect(early <= late, "a longer amount never ends earlier");
  if (late != absl::InfiniteFuture()) {
    Expect(CountedBetween(calendar, measure, from, late) == longer,
           "the time counted up to the end is the amount");
    Expect(CountedBetween(calendar, measure, from, early) +
                   CountedBetween(calendar, measure, early, late) ==
               longer,
           "counted time adds up over two spans");
  }
  const absl::Time back = AddCounted(calendar, measure, from, -longer);
  Expect(back <= from, "counting backwards never ends after the start");
  if (back != absl::InfinitePast()) {
    Expect(CountedBetween(calendar, measure, back, from) == longer,
           "counting backwards counts the amount");
  }
}

void CheckShift(const WorkCalendar& calendar, absl::Time at) {
  const ShiftWindow shift = ShiftHolding(calendar, at);
  Expect(shift.starts_at <= at && at < shift.ends_at, "the shift holds the instant");
  Expect(shift.ends_at - shift.starts_at <= absl::Hours(25), "a shift is at most a day");
}

void CheckMilestones(const WorkCalendar& calendar, v1::Measure measure, absl::Time start,
                     absl::Duration limit, absl::Duration consumed, FuzzedDataProvider& input) {
  ClockTerms terms;
  terms.measure = measure;
  terms.limit = limit;
  terms.supervise_after = absl::Minutes(input.ConsumeIntegralInRange(0, 7 * 24 * 60));
  std::set<int> percents;
  const int warnings = input.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < warnings; ++i) {
    percents.insert(input.ConsumeIntegralInRange(1, 99));
  }
  for (int p : percents) {
    terms.warn_at.push_back(p / 100.0);
  }
  terms = TermsAtStart(calendar, terms, start);
  const ClockRun run{start, consumed};
  const std::vector<Milestone> milestones = Milestones(calendar, terms, run);
  Expect(milestones.size() == terms.warn_at.size() + 3, "one milestone a warning, then three");
  // A clock that had used more than its limit breaches before its warnings
  // (which are due at once): the order holds for the others.
  const bool within_limit = consumed <= terms.limit;
  for (size_t i = 0; i < milestones.size(); ++i) {
    Expect(milestones[i].index == static_cast<int>(i), "milestones in index order");
    Expect(!within_limit || i == 0 || milestones[i - 1].at <= milestones[i].at,
           "milestones come in time order");
  }
  const absl::Time due = DueAt(calendar, terms, run);
  Expect(milestones[terms.warn_at.size()].kind == MilestoneKind::kBreach &&
             milestones[terms.warn_at.size()].at == due,
         "the breach is at the due time");
  if (due != absl::InfiniteFuture() && due >= start) {
    Expect(ConsumedAt(calendar, terms, run, due) == terms.limit,
           "at the due time the limit is used");
  }
  for (const Milestone& milestone : milestones) {
    Expect(!DescribeMilestone(milestone, terms, calendar.zone).empty(), "a milestone is described");
  }
}

}  // namespace
}  // namespace hotline::sla

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline::sla;  // NOLINT: the target's own namespace
  FuzzedDataProvider input(data, size);
  const absl::TimeZone zone = ZoneOf(input.ConsumeIntegral<uint8_t>());
  const absl::CivilDay base = absl::CivilDay(2026, 1, 1) + input.ConsumeIntegralInRange(0, 3650);
  const WorkCalendar calendar = CalendarOf(input, base, zone);
  const v1::Measure measure = static_cast<v1::Measure>(input.ConsumeIntegralInRange(0, 4));
  const absl::Time from = absl::FromCivil(absl::CivilSecond(base), zone) +
                          absl::Seconds(input.ConsumeIntegralInRange<int64_t>(0, 30LL * 24 * 3600));
  const absl::Duration a =
      absl::Seconds(input.ConsumeIntegralInRange<int64_t>(0, 60LL * 24 * 3600));
  const absl::Duration b =
      absl::Seconds(input.ConsumeIntegralInRange<int64_t>(0, 60LL * 24 * 3600));
  CheckCounting(calendar, measure, from, a, b);
  CheckShift(calendar, from + a);
  const absl::Duration consumed =
      absl::Seconds(input.ConsumeIntegralInRange<int64_t>(0, 30LL * 24 * 3600));
  CheckMilestones(calendar, measure, from, std::max(a, absl::Seconds(1)), consumed, input);
  return 0;
}
