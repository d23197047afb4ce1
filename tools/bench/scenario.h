#pragma once

// What every scenario shares (the channels, the tokens, unique numbers) and
// what it returns (the rows of the report).

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/bench/client.h"
#include "tools/bench/options.h"
#include "tools/bench/rpc_stats.h"

namespace hotline::bench {

struct BenchContext {
  BenchContext(const Options& o, std::map<std::string, std::string> role_tokens,
               std::vector<std::pair<std::string, std::string>> branch_tokens);

  const Options& options;
  std::map<std::string, std::string> tokens;                       // role → token
  std::vector<std::pair<std::string, std::string>> branch_tokens;  // branch id, token
  Channels intake;
  Channels dispatch;
  Channels outage;
  Channels sla;
  // Called by a scenario when its setup is done: the CPU split counts from
  // here, so that it shows the measured calls only.
  std::function<void()> measure_from_here = [] {};

  // The token of `role`; FAILED_PRECONDITION naming the role and the file.
  absl::StatusOr<std::string> Token(const std::string& role) const;
  // "<run id>-<prefix>-<n>": unique over runs, for keys and call ids.
  std::string NextKey(const std::string& prefix);
  int64_t NextNumber() { return numbers_.fetch_add(1) + 1; }

 private:
  std::atomic<int64_t> numbers_{0};
};

struct ScenarioResult {
  std::string label;  // "create@5000"
  absl::Duration elapsed;
  std::vector<RpcSummary> rows;
  std::string note;  // what the reader should know, e.g. deliveries missing
  // Figures of the scenario besides its rows, by name ("sla_open_clocks",
  // "sla_rss_mb"): what some goals are also held to.
  std::map<std::string, double> figures;
};

// Each scenario (options.h lists them); an error when it could not run.
absl::StatusOr<ScenarioResult> RunNoop(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunCheckAddress(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunCreate(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunCalls(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunBranches(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunSteady(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunStorm(BenchContext& bench, const ScenarioRun& run);
absl::StatusOr<ScenarioResult> RunSla(BenchContext& bench, const ScenarioRun& run);

}  // namespace hotline::bench
