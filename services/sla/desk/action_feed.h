#pragma once

// Where fired actions meet the WatchEvents streams of this replica: the timer
// (this replica's, after its commit) and the NOTIFY of other replicas' timers
// call Wake(); each registered watcher is then told to read the actions after
// its cursor from PostgreSQL, which is the truth for every replica.
//
// Thread-safe.

#include <functional>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace hotline::sla {

// The channel the timer NOTIFYs after it committed actions.
inline constexpr char kActionsChannel[] = "hotline_sla_actions";

class ActionFeed {
 public:
  // `wake` is called (without the feed's lock held, from the waking thread)
  // at every Wake() until Remove(id).
  int Add(std::function<void()> wake);
  void Remove(int id);
  void Wake();

 private:
  absl::Mutex mu_;
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int, std::function<void()>> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::sla
