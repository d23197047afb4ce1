#include "services/sla/desk/rule_book.h"

#include "libs/status/status.h"
#include "services/sla/store/calendar_store.h"
#include "services/sla/store/policy_store.h"

namespace hotline::sla {

bool RuleBook::Fresh(absl::Time read_at, absl::Time now) const {
  return now >= read_at && now - read_at < max_age_;
}

template <typename T, typename Read>
absl::StatusOr<T> RuleBook::KeptOrRead(std::optional<Kept<T>>& kept, const Read& read) {
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    if (kept.has_value() && Fresh(kept->read_at, clock_.Now())) {
      return kept->value;
    }
    generation = generation_;
  }
  const absl::Time read_at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(T value, read());
  absl::MutexLock lock(&mu_);
  if (generation == generation_) {
    kept = Kept<T>{value, read_at};
  }
  return value;
}

absl::StatusOr<std::vector<v1::Policy>> RuleBook::Policies(pqxx::work& tx) {
  return KeptOrRead(policies_, [&] { return store::LoadPolicies(tx); });
}

absl::StatusOr<std::set<std::string>> RuleBook::Regions(pqxx::work& tx) {
  return KeptOrRead(regions_, [&] { return store::CalendarRegions(tx); });
}

absl::StatusOr<WorkCalendar> RuleBook::Calendar(pqxx::work& tx, const std::string& region) {
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = calendars_.find(region);
    if (it != calendars_.end() && Fresh(it->second.read_at, clock_.Now())) {
      return it->second.value;
    }
    generation = generation_;
  }
  if (!region.empty()) {
    // Only the regions with a calendar of their own are kept; the others fall
    // back to the national calendar (kept under ""), so callers naming
    // made-up regions cannot grow what is kept, and cost no read either.
    HOTLINE_ASSIGN_OR_RETURN(std::set<std::string> regions, Regions(tx));
    if (!regions.contains(region)) {
      return Calendar(tx, "");
    }
    const absl::Time read_at = clock_.Now();
    HOTLINE_ASSIGN_OR_RETURN(std::optional<v1::Calendar> own, store::LoadCalendar(tx, region));
    if (own.has_value()) {
      HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, CalendarFromProto(*own, zone_));
      Keep(region, calendar, read_at, generation);
      return calendar;
    }
    return Calendar(tx, "");
  }
  const absl::Time read_at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(std::optional<v1::Calendar> national, store::LoadCalendar(tx, ""));
  WorkCalendar calendar = DefaultCalendar(zone_);
  if (national.has_value()) {
    HOTLINE_ASSIGN_OR_RETURN(calendar, CalendarFromProto(*national, zone_));
  }
  Keep("", calendar, read_at, generation);
  return calendar;
}

void RuleBook::Keep(const std::string& region, const WorkCalendar& calendar, absl::Time read_at,
                    uint64_t generation) {
  absl::MutexLock lock(&mu_);
  if (generation == generation_) {
    calendars_[region] = Kept<WorkCalendar>{calendar, read_at};
  }
}

void RuleBook::Forget() {
  absl::MutexLock lock(&mu_);
  ++generation_;
  policies_.reset();
  regions_.reset();
  calendars_.clear();
}

}  // namespace hotline::sla
