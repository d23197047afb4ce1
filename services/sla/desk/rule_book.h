#pragma once

// sla's deadline rules (policies) and working calendars as last read from
// PostgreSQL, kept in memory. Every ticket quotes its deadlines and starts its
// clocks, and each of those read the rules and the calendar afresh: some nine
// reads a ticket of rows that change a few times a year.
//
// What is kept is forgotten when a rule or a calendar changes: at once on the
// replica that changed it (ClockDesk calls Forget() after the commit), and on
// the others when they hear the change's NOTIFY on kRulesChannel (their
// listener also forgets when it reconnects, for what it may have missed).
// Whatever happens, nothing is kept longer than `max_age`: that bounds a stale
// rule on a replica whose listener is still reconnecting (a clock records the
// policy version it started with).
//
// A read that began before a Forget() is not kept, so rules read before a
// change never stand in for it. That holds for READ COMMITTED transactions (the
// project's, pg::WithTransaction), where each statement sees what was committed
// before it began; under REPEATABLE READ a statement could read rows older
// than a Forget() that came before it.
//
// What is kept is bounded by the stored rules: the policies, and the calendars
// of the regions that have one plus the national calendar.
//
// Thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/transaction>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"
#include "libs/clock/clock.h"
#include "services/sla/domain/calendar.h"

namespace hotline::sla {

// NOTIFYed by the transaction that changes a rule or a calendar.
inline constexpr char kRulesChannel[] = "hotline_sla_rules";

class RuleBook {
 public:
  // `zone`: the service's, for the calendars; `max_age` by `clock` (the
  // service's: a test clock moved back or forward makes the rules read again).
  RuleBook(const clock::Clock& clock, absl::TimeZone zone, absl::Duration max_age)
      : clock_(clock), zone_(zone), max_age_(max_age) {}

  // Every policy, most general first (store::LoadPolicies), read in `tx` when
  // not kept.
  absl::StatusOr<std::vector<v1::Policy>> Policies(pqxx::work& tx);
  // The calendar of `region`: its own, else the national one (""), else the
  // default; read in `tx` when not kept. Which regions have a calendar of
  // their own is kept too, so a region without one costs no read.
  absl::StatusOr<WorkCalendar> Calendar(pqxx::work& tx, const std::string& region);

  // Drops everything kept.
  void Forget();

 private:
  template <typename T>
  struct Kept {
    T value;
    absl::Time read_at;
  };
  // The regions with a calendar of their own, read in `tx` when not kept.
  absl::StatusOr<std::set<std::string>> Regions(pqxx::work& tx);
  // `kept`'s value while it is fresh, else read()'s, kept unless a Forget()
  // came meanwhile (`kept` is one of the members guarded by mu_).
  template <typename T, typename Read>
  absl::StatusOr<T> KeptOrRead(std::optional<Kept<T>>& kept, const Read& read);
  // Whether what was read at `read_at` may still be used at `now`.
  bool Fresh(absl::Time read_at, absl::Time now) const;
  // Keeps `calendar` for `region` unless a Forget() came after `generation`.
  void Keep(const std::string& region, const WorkCalendar& calendar, absl::Time read_at,
            uint64_t generation);

  const clock::Clock& clock_;
  const absl::TimeZone zone_;
  const absl::Duration max_age_;
  absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // +1 at each Forget()
  std::optional<Kept<std::vector<v1::Policy>>> policies_ ABSL_GUARDED_BY(mu_);
  std::optional<Kept<std::set<std::string>>> regions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Kept<WorkCalendar>> calendars_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::sla
