#pragma once

// The report of a run: one aligned table of every row with its goal, its
// ratio to the ceilings (the do-nothing unary call, PostgreSQL's insert rate)
// and whether the goal is met; the CPU split per scenario; and the same as
// JSON.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tools/bench/outbox_settle.h"
#include "tools/bench/scenario.h"

namespace hotline::bench {

// A goal of issue 13 that a row is held to.
struct Goal {
  std::string text;              // "≥ 10000/s, ≥ 0.5 × pgbench"
  double min_rate = 0;           // per second; 0: none
  double min_pgbench_ratio = 0;  // of the pgbench ceiling; 0: none
  double max_p99_ms = 0;         // 0: none
  // Held to the scenario's figures (ScenarioResult::figures); 0: none.
  double min_open_clocks = 0;  // "sla_open_clocks"
  double max_rss_mb = 0;       // "sla_rss_mb"
};

// The goal of row `rpc` of scenario `run`, if it has one.
std::optional<Goal> GoalOf(const ScenarioRun& run, const std::string& rpc);

struct ScenarioReport {
  ScenarioRun run;
  ScenarioResult result;
  std::map<std::string, double> cpu_seconds;  // by process name
  // The wait for the outboxes after the scenario (--outbox-pg), and the CPU
  // spent meanwhile.
  std::optional<OutboxSettle> settle;
  std::map<std::string, double> settle_cpu_seconds;
};

struct Report {
  std::vector<ScenarioReport> scenarios;
  double pgbench_ceiling = 0;         // inserts per second; 0: not measured
  double call_events_ceiling = 0;     // call events per second; 0: not measured
  std::vector<std::string> failures;  // scenarios that could not run
};

// Goal met: "yes" or "no". "no" when pgbench is not measured only if another
// part of the goal fails; a figure the goal needs and the scenario lacks is
// "no". `figures` are the scenario's (ScenarioResult::figures).
std::string GoalMet(const Goal& goal, const RpcSummary& row, double pgbench_ceiling,
                    const std::map<std::string, double>& figures = {});

std::string ReportTable(const Report& report);
std::string ReportJson(const Report& report);

}  // namespace hotline::bench
