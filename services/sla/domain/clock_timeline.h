#pragma once

// When a deadline clock warns, breaches, is urged and is supervised (督办),
// from the terms it took from its policy at its start and where it stands.
// Pure: the time comes in as arguments.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"
#include "services/sla/domain/calendar.h"

namespace hotline::sla {

// What a clock keeps from its policy, to its end: a policy changed while the
// clock runs does not change it.
struct ClockTerms {
  v1::Measure measure = v1::MEASURE_ELAPSED;
  absl::Duration limit;
  std::vector<double> warn_at;  // ascending fractions of the limit
  absl::Duration supervise_after;
};

// The policy's terms; its supervise_after, or `default_supervise_after` when
// it leaves it unset.
ClockTerms TermsOf(const v1::Policy& policy, absl::Duration default_supervise_after);

// A same-shift policy becomes an elapsed limit up to the end of the
// calendar's shift that holds `start`; other terms are returned unchanged.
ClockTerms TermsAtStart(const WorkCalendar& calendar, const ClockTerms& terms, absl::Time start);

// Where a running clock stands: it counts since `segment_start` (its start,
// or its last resume) and had counted `consumed` before that.
struct ClockRun {
  absl::Time segment_start;
  absl::Duration consumed;
};

enum class MilestoneKind { kWarning, kBreach, kUrging, kSupervision };

struct Milestone {
  int index = 0;
  MilestoneKind kind = MilestoneKind::kWarning;
  absl::Time at;
  double fraction = 1;  // the warning's fraction; 1 for the others

  bool operator==(const Milestone& other) const = default;
};

// Every milestone of the clock, in index order 0..n-1: one warning per
// fraction f (at AddCounted(segment_start, f * limit - consumed), or at
// segment_start when the clock had used that much already), the breach at
// the due time, the urging at the same instant, the supervision at
// supervise_after (elapsed) after the due time. The count and order depend
// only on the terms, so an index names the same milestone after a pause.
std::vector<Milestone> Milestones(const WorkCalendar& calendar, const ClockTerms& terms,
                                  const ClockRun& run);

// AddCounted(segment_start, limit - consumed). A clock that had used more
// than its limit is due before segment_start, by the counted time it is
// over.
absl::Time DueAt(const WorkCalendar& calendar, const ClockTerms& terms, const ClockRun& run);

// The time the clock has counted at `at`: consumed + CountedBetween(
// segment_start, at). What a pause at `at` keeps; paused time never counts.
absl::Duration ConsumedAt(const WorkCalendar& calendar, const ClockTerms& terms,
                          const ClockRun& run, absl::Time at);

// Readable, for SlaAction.detail: "80% of 5m used", "50% of 2 working days
// used", "breach: 2 working days passed, due 2026-10-09 10:00", "urging:
// due 2026-10-09 10:00 passed", "supervision: 30m after the breach (due
// 2026-10-09 10:00)". Times are local times of `zone`; in UTC they say so.
std::string DescribeMilestone(const Milestone& milestone, const ClockTerms& terms,
                              absl::TimeZone zone = absl::UTCTimeZone());

// A limit as people say it: "5m", "1h30m", "2 working days", "1.5 working
// days", "2 working hours".
std::string DescribeLimit(v1::Measure measure, absl::Duration limit);

}  // namespace hotline::sla
