#include "services/sla/desk/clock_timer.h"

#include <map>
#include <vector>

#include "hotline/sla/v1/events.pb.h"
#include "libs/events/publisher.h"
#include "libs/pg/errors.h"
#include "libs/pg/notifications.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"
#include "services/sla/store/clock_store.h"

namespace hotline::sla {
namespace {

constexpr char kActionTopic[] = "sla.action";
constexpr absl::Duration kHousekeepingEvery = absl::Seconds(15);
constexpr absl::Duration kEarlyStopsKept = absl::Hours(24 * 7);

}  // namespace

ClockTimer::ClockTimer(pg::Pool& pool, ClockDesk& desk, SlaMetrics& metrics, rpc::WakeFeed& feed,
                       const clock::Clock& clock, absl::Duration interval, int batch,
                       std::function<absl::Status()> prepare)
    : pool_(pool),
      desk_(desk),
      metrics_(metrics),
      feed_(feed),
      clock_(clock),
      interval_(interval),
      batch_(batch),
      prepare_(std::move(prepare)),
      worker_({"sla.timer", interval, absl::Seconds(5)}, [this] { return Round(); }),
      housekeeping_({"sla.housekeeping", kHousekeepingEvery, absl::Minutes(1)},
                    [this] { return Housekeeping(); }) {}

absl::StatusOr<absl::Duration> ClockTimer::Round() {
  if (!prepared_ && prepare_) {
    HOTLINE_RETURN_IF_ERROR(prepare_());
  }
  if (!prepared_) {
    prepared_ = true;
    housekeeping_.Wake();  // the gauges at once, not a round later
  }
  HOTLINE_RETURN_IF_ERROR(FireAllDue().status());
  return interval_;
}

absl::StatusOr<int> ClockTimer::FireAllDue() {
  int total = 0;
  while (!worker_.stopping()) {
    HOTLINE_ASSIGN_OR_RETURN(auto fired, FireBatch(clock_.Now()));
    total += fired.first;
    if (!fired.second) {
      break;
    }
  }
  return total;
}

absl::StatusOr<std::pair<int, bool>> ClockTimer::FireBatch(absl::Time now) {
  std::vector<v1::SlaAction> fired;
  bool full = false;
  absl::Status status = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    fired.clear();
    HOTLINE_RETURN_IF_ERROR(store::LockActions(tx));
    HOTLINE_ASSIGN_OR_RETURN(std::vector<ClockRecord> clocks,
                             store::ClaimDueClocks(tx, now, batch_));
    full = static_cast<int>(clocks.size()) == batch_;
    std::map<std::string, WorkCalendar> calendars;
    for (ClockRecord& clock : clocks) {
      auto it = calendars.find(clock.region);
      if (it == calendars.end()) {
        HOTLINE_ASSIGN_OR_RETURN(WorkCalendar calendar, desk_.CalendarFor(tx, clock.region));
        it = calendars.emplace(clock.region, std::move(calendar)).first;
      }
      for (const Milestone& milestone : FireDue(clock, it->second, now)) {
        v1::SlaAction action = ActionOf(clock, milestone, it->second.zone);
        HOTLINE_ASSIGN_OR_RETURN(std::optional<int64_t> sequence,
                                 store::InsertAction(tx, clock, milestone.index, action, now));
        if (!sequence.has_value()) {
          continue;  // recorded already
        }
        action.set_sequence(*sequence);
        v1::ActionFired event;
        *event.mutable_action() = action;
        HOTLINE_RETURN_IF_ERROR(
            events::Publish(tx, "sla", {"intake"}, kActionTopic, clock.ticket_id, event));
        fired.push_back(std::move(action));
      }
      HOTLINE_RETURN_IF_ERROR(store::UpdateClock(tx, clock));
    }
    if (!fired.empty()) {
      HOTLINE_RETURN_IF_ERROR(pg::Guarded("notifying watchers", [&]() -> absl::Status {
        pg::Notify(tx, kActionsChannel);
        return absl::OkStatus();
      }));
    }
    return absl::OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(status);
  for (const v1::SlaAction& action : fired) {
    metrics_.Fired(action);
  }
  if (!fired.empty()) {
    feed_.Wake();
  }
  return std::make_pair(static_cast<int>(fired.size()), full);
}

absl::StatusOr<absl::Duration> ClockTimer::Housekeeping() {
  if (!prepared_) {
    return kHousekeepingEvery;  // the timer wakes this worker once it has prepared
  }
  std::vector<std::pair<v1::Stage, int64_t>> open;
  std::vector<std::pair<std::string, int64_t>> overdue;
  absl::Status status = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(open, store::CountOpenClocks(tx));
    HOTLINE_ASSIGN_OR_RETURN(overdue, store::CountOverdueClocks(tx));
    return store::PurgeEarlyStops(tx, kEarlyStopsKept).status();
  });
  HOTLINE_RETURN_IF_ERROR(status);
  metrics_.SetOpen(open);
  metrics_.SetOverdue(overdue);
  return kHousekeepingEvery;
}

}  // namespace hotline::sla
