#pragma once

// hotline-bench's command line: flags, their defaults and the scenario list.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hotline::bench {

// One scenario to run: its name and, for `name@rate`, a target rate (calls
// per second, open loop); rate 0 runs it closed loop.
struct ScenarioRun {
  std::string name;
  double rate = 0;
  std::string label() const;  // "create" or "create@5000"
};

struct Options {
  std::string intake = "127.0.0.1:50051";
  std::string dispatch = "127.0.0.1:50052";
  std::string outage = "127.0.0.1:50054";
  std::string sla = "127.0.0.1:50053";
  std::string sla_pg;                 // the sla database, to top up its open clocks
  int64_t sla_open_clocks = 1000000;  // open clocks wanted before the sla scenario
  std::string outbox_pg;  // the services' database, to wait for their outboxes after a scenario
  absl::Duration settle_timeout = absl::Seconds(180);  // the longest such wait
  std::string tokens_file = ".dev/dev-tokens";         // "role token" lines
  std::string branch_tokens_file;                      // "branch_id token" lines
  std::vector<ScenarioRun> scenarios;
  absl::Duration duration = absl::Seconds(10);
  absl::Duration timeout = absl::Seconds(10);
  int in_flight = 128;
  int channels = 4;
  int batch = 500;
  int batches_per_stream = 1;
  int branches = 0;  // 0: every branch of the branch tokens file
  double calls_per_second = 100;
  double storm_factor = 20;
  double pgbench_ceiling = 0;                      // inserts per second; 0: not measured
  double call_events_ceiling = 0;                  // events per second; 0: not measured
  std::vector<std::pair<std::string, int>> watch;  // processes whose CPU is shown
  std::string json_file;
  std::string run_id;  // made unique per run when empty
};

// The usage text listing every flag.
const std::string& Usage();

// Parses --name=value flags. An unknown flag or a bad value is
// INVALID_ARGUMENT naming it.
absl::StatusOr<Options> ParseOptions(const std::vector<std::string>& args);

// The scenario names hotline-bench knows.
const std::vector<std::string>& ScenarioNames();

}  // namespace hotline::bench
