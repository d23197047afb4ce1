#include "services/sla/domain/clock_timeline.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "libs/proto_time/proto_time.h"
#include "services/sla/domain/policy.h"

namespace hotline::sla {
namespace {

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string FormatAt(absl::Time at, absl::TimeZone zone) {
  if (at == absl::InfiniteFuture()) {
    return "never (no working day ahead)";
  }
  std::string text = absl::FormatTime("%Y-%m-%d %H:%M", at, zone);
  if (zone == absl::UTCTimeZone()) {
    absl::StrAppend(&text, " UTC");
  }
  return text;
}

}  // namespace

ClockTerms TermsOf(const v1::Policy& policy, absl::Duration default_supervise_after) {
  ClockTerms terms;
  terms.measure = policy.measure();
  terms.limit = FromProtoDuration(policy.limit());
  terms.warn_at = WarnFractions(policy);
  terms.supervise_after = policy.has_supervise_after() ? FromProtoDuration(policy.supervise_after())
                                                       : default_supervise_after;
  return terms;
}

ClockTerms TermsAtStart(const WorkCalendar& calendar, const ClockTerms& terms, absl::Time start) {
  if (terms.measure != v1::MEASURE_SAME_SHIFT) {
    return terms;
  }
  ClockTerms elapsed = terms;
  elapsed.measure = v1::MEASURE_ELAPSED;
  elapsed.limit = ShiftHolding(calendar, start).ends_at - start;
  return elapsed;
}

std::vector<Milestone> Milestones(const WorkCalendar& calendar, const ClockTerms& terms,
                                  const ClockRun& run) {
  std::vector<Milestone> milestones;
  int index = 0;
  for (double fraction : terms.warn_at) {
    absl::Duration left = terms.limit * fraction - run.consumed;
    absl::Time at = left <= absl::ZeroDuration()
                        ? run.segment_start
                        : AddCounted(calendar, terms.measure, run.segment_start, left);
    milestones.push_back({index++, MilestoneKind::kWarning, at, fraction});
  }
  absl::Time due = DueAt(calendar, terms, run);
  milestones.push_back({index++, MilestoneKind::kBreach, due, 1});
  milestones.push_back({index++, MilestoneKind::kUrging, due, 1});
  milestones.push_back({index++, MilestoneKind::kSupervision, due + terms.supervise_after, 1});
  return milestones;
}

absl::Time DueAt(const WorkCalendar& calendar, const ClockTerms& terms, const ClockRun& run) {
  return AddCounted(calendar, terms.measure, run.segment_start, terms.limit - run.consumed);
}

absl::Duration ConsumedAt(const WorkCalendar& calendar, const ClockTerms& terms,
                          const ClockRun& run, absl::Time at) {
  return run.consumed + CountedBetween(calendar, terms.measure, run.segment_start, at);
}

std::string DescribeLimit(v1::Measure measure, absl::Duration limit) {
  absl::Duration rest;
  if (measure == v1::MEASURE_WORKING_DAYS) {
    int64_t days = absl::IDivDuration(limit, absl::Hours(24), &rest);
    if (rest == absl::ZeroDuration()) {
      return Plural(days, "working day", "working days");
    }
    return absl::StrCat(absl::FormatDuration(limit), " of working days");
  }
  if (measure == v1::MEASURE_WORKING_HOURS) {
    int64_t hours = absl::IDivDuration(limit, absl::Hours(1), &rest);
    if (rest == absl::ZeroDuration()) {
      return Plural(hours, "working hour", "working hours");
    }
    return absl::StrCat(absl::FormatDuration(limit), " of working hours");
  }
  return absl::FormatDuration(limit);
}

std::string DescribeMilestone(const Milestone& milestone, const ClockTerms& terms,
                              absl::TimeZone zone) {
  std::string limit = DescribeLimit(terms.measure, terms.limit);
  switch (milestone.kind) {
    case MilestoneKind::kWarning:
      return absl::StrCat(std::lround(milestone.fraction * 100), "% of ", limit, " used");
    case MilestoneKind::kBreach:
      return absl::StrCat("breach: ", limit, " passed, due ", FormatAt(milestone.at, zone));
    case MilestoneKind::kUrging:
      return absl::StrCat("urging: due ", FormatAt(milestone.at, zone), " passed");
    case MilestoneKind::kSupervision: {
      absl::Time due = milestone.at - terms.supervise_after;
      if (terms.supervise_after == absl::ZeroDuration()) {
        return absl::StrCat("supervision: at the breach (due ", FormatAt(due, zone), ")");
      }
      return absl::StrCat("supervision: ", absl::FormatDuration(terms.supervise_after),
                          " after the breach (due ", FormatAt(due, zone), ")");
    }
  }
  return "";
}

}  // namespace hotline::sla
