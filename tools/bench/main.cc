// hotline-bench: the load generator (tools/bench; `--help` for the flags).

#include <cstdio>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/bench/cpu_watch.h"
#include "tools/bench/options.h"
#include "tools/bench/outbox_settle.h"
#include "tools/bench/report.h"
#include "tools/bench/scenario.h"
#include "tools/bench/token_file.h"

namespace {

using namespace hotline::bench;  // NOLINT: the program's own namespace

absl::StatusOr<ScenarioResult> RunScenario(BenchContext& bench, const ScenarioRun& run) {
  static const std::map<std::string,
                        absl::StatusOr<ScenarioResult> (*)(BenchContext&, const ScenarioRun&)>
      scenarios = {{"noop", RunNoop},         {"check-address", RunCheckAddress},
                   {"create", RunCreate},     {"calls", RunCalls},
                   {"branches", RunBranches}, {"steady", RunSteady},
                   {"storm", RunStorm},       {"sla", RunSla}};
  return scenarios.at(run.name)(bench, run);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(Usage().c_str(), stdout);
      return 0;
    }
  }
  absl::StatusOr<Options> options = ParseOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "hotline-bench: %s\n(see hotline-bench --help)\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }
  if (options->run_id.empty()) {
    options->run_id = absl::StrCat("bench-", absl::ToUnixMicros(absl::Now()));
  }
  std::map<std::string, std::string> roles;
  if (auto tokens = ReadTokenFile(options->tokens_file); tokens.ok()) {
    for (auto& [role, token] : *tokens) {
      roles[role] = token;
    }
  } else {
    std::fprintf(stderr, "hotline-bench: --tokens: %s\n",
                 std::string(tokens.status().message()).c_str());
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> branches;
  if (!options->branch_tokens_file.empty()) {
    auto read = ReadTokenFile(options->branch_tokens_file);
    if (!read.ok()) {
      std::fprintf(stderr, "hotline-bench: --branch-tokens: %s\n",
                   std::string(read.status().message()).c_str());
      return 2;
    }
    branches = std::move(*read);
  }

  BenchContext bench(*options, std::move(roles), std::move(branches));
  CpuWatch cpu(options->watch);
  Report report;
  report.pgbench_ceiling = options->pgbench_ceiling;
  report.call_events_ceiling = options->call_events_ceiling;
  for (const ScenarioRun& run : options->scenarios) {
    std::fprintf(stderr, "hotline-bench: %s for %s ...\n", run.label().c_str(),
                 absl::FormatDuration(options->duration).c_str());
    auto before = cpu.Sample();
    // A scenario with setup (branches made, clocks added) starts the CPU count after it.
    bench.measure_from_here = [&] { before = cpu.Sample(); };
    absl::StatusOr<ScenarioResult> result = RunScenario(bench, run);
    bench.measure_from_here = [] {};
    const auto after = cpu.Sample();
    if (!result.ok()) {
      report.failures.push_back(absl::StrCat(run.label(), ": ", result.status().message()));
      continue;
    }
    bool any = false;
    for (const RpcSummary& row : result->rows) {
      any = any || row.completed > 0;
    }
    if (!any) {
      report.failures.push_back(absl::StrCat(run.label(), ": no call completed"));
    }
    ScenarioReport done;
    done.run = run;
    done.result = std::move(*result);
    done.cpu_seconds = CpuWatch::Spent(before, after);
    if (!options->outbox_pg.empty()) {
      absl::StatusOr<OutboxSettle> settle = AwaitOutboxesDelivered(
          options->outbox_pg, options->settle_timeout, absl::Milliseconds(500),
          [shown = absl::Now()](int64_t left) mutable {
            if (absl::Now() - shown >= absl::Seconds(5)) {  // a line every 5 s
              shown = absl::Now();
              std::fprintf(stderr, "hotline-bench:   %lld events still in the outboxes\n",
                           static_cast<long long>(left));
            }
          });
      if (settle.ok()) {
        done.settle = *settle;
        done.settle_cpu_seconds = CpuWatch::Spent(after, cpu.Sample());
      } else {
        report.failures.push_back(absl::StrCat(run.label(), ": ", settle.status().message()));
      }
    }
    report.scenarios.push_back(std::move(done));
  }
  std::fputs(ReportTable(report).c_str(), stdout);
  if (!options->json_file.empty()) {
    std::ofstream out(options->json_file);
    out << ReportJson(report);
    if (!out) {
      std::fprintf(stderr, "hotline-bench: cannot write %s\n", options->json_file.c_str());
      return 1;
    }
  }
  return report.failures.empty() ? 0 : 1;
}
