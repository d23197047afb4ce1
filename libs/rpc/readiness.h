#pragma once

// Keeps a server's health status in step with its dependencies.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/rpc/server.h"
#include "libs/worker/periodic_worker.h"

namespace hotline::rpc {

// A named readiness check, e.g. {"postgres", [&] { return pool.Ping(); }}.
using ReadinessProbe = std::pair<std::string, std::function<absl::Status()>>;

// A background worker (worker::PeriodicWorker) that runs every probe at once and then every
// `every`, and calls server.SetServing(true) only while all of them return OK (SetServing(false)
// otherwise). It logs one line each time readiness changes, naming the first failing probe and its
// error. With no probes the server is marked SERVING on the first round.
//
// Probes run one after another on that thread and should bound their own
// time (a probe that hangs holds up the next round and destruction). The
// server must outlive the watcher. Destruction stops the thread promptly,
// without waiting for the next round.
class ReadinessWatcher {
 public:
  ReadinessWatcher(RpcServer& server, std::vector<ReadinessProbe> probes,
                   absl::Duration every = absl::Seconds(1));
  ~ReadinessWatcher();
  ReadinessWatcher(const ReadinessWatcher&) = delete;
  ReadinessWatcher& operator=(const ReadinessWatcher&) = delete;

 private:
  void Round();
  // Runs the probes; returns "" when all pass, else the failing probe's name
  // and error.
  std::string FirstFailure() const;

  RpcServer& server_;
  const std::vector<ReadinessProbe> probes_;
  std::optional<std::string> last_;  // the worker's thread only; unset until the first round
  worker::PeriodicWorker worker_;    // last: starts once the fields above are set
};

}  // namespace hotline::rpc
