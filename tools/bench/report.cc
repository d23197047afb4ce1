#include "tools/bench/report.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace hotline::bench {
namespace {

std::string Fixed(double v, int digits) { return absl::StrFormat("%.*f", digits, v); }

// The rate of the noop ceiling in this run, 0 when it was not run.
double NoopRate(const Report& report) {
  for (const ScenarioReport& s : report.scenarios) {
    if (s.run.name == "noop" && !s.result.rows.empty()) {
      return s.result.rows[0].per_second;
    }
  }
  return 0;
}

std::string Ratio(double value, double ceiling) {
  return ceiling > 0 && value > 0 ? Fixed(value / ceiling, 2) : "";
}

// Rows whose rate is of unary calls, comparable to the noop ceiling.
bool Unary(const RpcSummary& row) {
  return row.name == "CreateTicket" || row.name == "CheckAddress" || row.name == "AckOrder";
}

std::string JsonText(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string JsonNumber(double v) { return std::isfinite(v) ? absl::StrFormat("%.3f", v) : "null"; }

double Total(const std::map<std::string, double>& seconds) {
  double total = 0;
  for (const auto& [name, value] : seconds) {
    total += value;
  }
  return total;
}

std::string SettleJson(const ScenarioReport& s) {
  if (!s.settle.has_value()) {
    return "";
  }
  return absl::StrCat(",\n   \"outbox_settle\": {\"waiting\": ", s.settle->waiting,
                      ", \"left\": ", s.settle->left,
                      ", \"seconds\": ", JsonNumber(absl::ToDoubleSeconds(s.settle->took)),
                      ", \"cpu_seconds\": ", JsonNumber(Total(s.settle_cpu_seconds)), "}");
}

// The events each scenario left in the outboxes, how long they took to go,
// and the rate of tickets over the scenario and that wait: the rate the
// backend keeps up with.
std::string SettleLines(const Report& report) {
  std::string out;
  for (const ScenarioReport& s : report.scenarios) {
    if (!s.settle.has_value()) {
      continue;
    }
    if (out.empty()) {
      out = "\nEvents the services still owed each other when each scenario ended:\n";
    }
    const OutboxSettle& settle = *s.settle;
    const double took = absl::ToDoubleSeconds(settle.took);
    std::string line = absl::StrFormat("  %-18s %d waiting", s.run.label(), settle.waiting);
    if (settle.waiting > 0) {
      absl::StrAppend(&line,
                      settle.left == 0 ? absl::StrFormat(", all delivered %.1f s later", took)
                                       : absl::StrFormat(", %d still undelivered after %.1f s",
                                                         settle.left, took),
                      absl::StrFormat(" (CPU meanwhile %.1f s)", Total(s.settle_cpu_seconds)));
    }
    for (const RpcSummary& row : s.result.rows) {
      const double elapsed = absl::ToDoubleSeconds(s.result.elapsed);
      if (row.name == "CreateTicket" && row.completed > 0 && settle.left == 0 && elapsed > 0) {
        absl::StrAppend(
            &line, absl::StrFormat("; tickets kept up with: %d in %.1f s = %.0f/s", row.completed,
                                   elapsed + took, row.completed / (elapsed + took)));
      }
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

// The "/pgbench" column: CreateTicket against the single-row inserts, the call
// events stored against PostgreSQL storing call events alone.
std::string PgbenchRatio(const Report& report, const RpcSummary& row) {
  if (row.name == "CreateTicket") {
    return Ratio(row.per_second, report.pgbench_ceiling);
  }
  if (row.name == "call events stored") {
    return Ratio(row.per_second, report.call_events_ceiling);
  }
  return "";
}

}  // namespace

std::optional<Goal> GoalOf(const ScenarioRun& run, const std::string& rpc) {
  if (run.name == "create" && rpc == "CreateTicket") {
    if (run.rate >= 5000) {
      return Goal{"p99 <= 10 ms at 5000/s", 0, 0, 10};
    }
    if (run.rate > 0) {
      return std::nullopt;  // the goals are at 5000/s and at the most
    }
    return Goal{">= 10000/s and >= 0.5 x pgbench", 10000, 0.5, 0};
  }
  if (run.name == "calls" && rpc == "call events stored") {
    return Goal{">= 100000 events/s", 100000, 0, 0};
  }
  if (run.name == "branches" && run.rate >= 2000 && rpc == "ticket→branch stream") {
    return Goal{"p99 <= 50 ms at 2000 tickets/s", 0, 0, 50};
  }
  if (run.name == "check-address" && rpc == "CheckAddress") {
    return Goal{">= 50000/s, p99 <= 2 ms", 50000, 0, 2};
  }
  if (run.name == "sla" && rpc == "breach noticed") {
    return Goal{"p99 <= 1 s with 1000000 open clocks, sla RSS <= 300 MB", 0, 0, 1000, 1000000, 300};
  }
  return std::nullopt;
}

std::string GoalMet(const Goal& goal, const RpcSummary& row, double pgbench_ceiling,
                    const std::map<std::string, double>& figures) {
  bool met = row.completed > 0 && row.failed == 0;
  auto figure = [&](const char* name) {
    auto it = figures.find(name);
    return it == figures.end() ? std::optional<double>() : it->second;
  };
  if (goal.min_open_clocks > 0 && figure("sla_open_clocks").value_or(0) < goal.min_open_clocks) {
    met = false;
  }
  if (goal.max_rss_mb > 0 &&
      !(figure("sla_rss_mb").value_or(goal.max_rss_mb + 1) <= goal.max_rss_mb)) {
    met = false;
  }
  if (goal.min_rate > 0 && row.per_second < goal.min_rate) {
    met = false;
  }
  if (goal.max_p99_ms > 0 && row.p99_ms > goal.max_p99_ms) {
    met = false;
  }
  if (goal.min_pgbench_ratio > 0) {
    if (pgbench_ceiling <= 0) {
      return met ? "n/a (no pgbench)" : "no";
    }
    if (row.per_second < goal.min_pgbench_ratio * pgbench_ceiling) {
      met = false;
    }
  }
  return met ? "yes" : "no";
}

std::string ReportTable(const Report& report) {
  const double noop = NoopRate(report);
  std::vector<std::vector<std::string>> table = {{"scenario", "rpc", "ok", "errors", "rate/s",
                                                  "p50 ms", "p95 ms", "p99 ms", "max ms", "/noop",
                                                  "/pgbench", "goal", "met"}};
  for (const ScenarioReport& s : report.scenarios) {
    for (const RpcSummary& row : s.result.rows) {
      std::vector<std::string> errors;
      for (const auto& [code, n] : row.errors) {
        errors.push_back(absl::StrCat(code, ":", n));
      }
      std::optional<Goal> goal = GoalOf(s.run, row.name);
      const bool lat = row.has_latency && row.completed > 0;
      table.push_back({s.run.label(), row.name, absl::StrCat(row.completed),
                       errors.empty() ? "0" : absl::StrJoin(errors, " "), Fixed(row.per_second, 0),
                       lat ? Fixed(row.p50_ms, 2) : "", lat ? Fixed(row.p95_ms, 2) : "",
                       lat ? Fixed(row.p99_ms, 2) : "", lat ? Fixed(row.max_ms, 2) : "",
                       Unary(row) ? Ratio(row.per_second, noop) : "", PgbenchRatio(report, row),
                       goal ? goal->text : "",
                       goal ? GoalMet(*goal, row, report.pgbench_ceiling, s.result.figures) : ""});
    }
  }
  std::vector<size_t> width(table[0].size(), 0);
  for (const auto& line : table) {
    for (size_t i = 0; i < line.size(); ++i) {
      // Width in characters: the arrow of "ticket→branch" is 3 bytes, 1 column.
      size_t chars = 0;
      for (unsigned char c : line[i]) {
        chars += (c & 0xC0) != 0x80 ? 1 : 0;
      }
      width[i] = std::max(width[i], chars);
    }
  }
  std::string out;
  for (const auto& line : table) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      size_t chars = 0;
      for (unsigned char c : line[i]) {
        chars += (c & 0xC0) != 0x80 ? 1 : 0;
      }
      const std::string pad(width[i] - chars, ' ');
      const bool right = i >= 2 && i <= 10;
      absl::StrAppend(&text, i > 0 ? "  " : "", right ? pad : "", line[i], right ? "" : pad);
    }
    while (!text.empty() && text.back() == ' ') {
      text.pop_back();
    }
    absl::StrAppend(&out, text, "\n");
  }
  absl::StrAppend(&out, "\nceilings: noop unary call ",
                  noop > 0 ? absl::StrCat(Fixed(noop, 0), "/s") : "n/a (noop not run)",
                  "; PostgreSQL single-row durable insert (pgbench) ",
                  report.pgbench_ceiling > 0 ? absl::StrCat(Fixed(report.pgbench_ceiling, 0), "/s")
                                             : "n/a (tools/bench/pgbench_ceiling.sh not run)",
                  "; PostgreSQL storing call events alone, 500 a transaction (pgbench) ",
                  report.call_events_ceiling > 0
                      ? absl::StrCat(Fixed(report.call_events_ceiling, 0), "/s")
                      : "n/a (tools/bench/pgbench_ceiling.sh --rows=call-events not run)",
                  "\n");
  bool sla_run = false;
  for (const ScenarioReport& s : report.scenarios) {
    sla_run = sla_run || s.run.name == "sla";
  }
  if (!sla_run) {
    absl::StrAppend(&out,
                    "sla: 1,000,000 open clocks, breach noticed within 1 s (p99), RSS <= 300 MB: "
                    "n/a (the sla scenario was not run, or failed: see below)\n");
  }
  // The CPU split: seconds and share of each process per scenario.
  std::set<std::string> names;
  for (const ScenarioReport& s : report.scenarios) {
    for (const auto& [name, seconds] : s.cpu_seconds) {
      names.insert(name);
    }
  }
  if (!names.empty()) {
    absl::StrAppend(&out, "\nCPU seconds (share) during each scenario:\n");
    for (const ScenarioReport& s : report.scenarios) {
      const double total = Total(s.cpu_seconds);
      std::vector<std::string> parts;
      for (const auto& [name, seconds] : s.cpu_seconds) {
        parts.push_back(absl::StrFormat("%s %.1f (%.0f%%)", name, seconds,
                                        total > 0 ? 100 * seconds / total : 0));
      }
      absl::StrAppend(&out,
                      absl::StrFormat("  %-18s %5.1f s in %4.1f s: ", s.run.label(), total,
                                      absl::ToDoubleSeconds(s.result.elapsed)),
                      absl::StrJoin(parts, ", "), "\n");
    }
  }
  absl::StrAppend(&out, SettleLines(report));
  for (const ScenarioReport& s : report.scenarios) {
    if (!s.result.note.empty()) {
      absl::StrAppend(&out, "note ", s.run.label(), ": ", s.result.note, "\n");
    }
  }
  for (const ScenarioReport& s : report.scenarios) {
    for (const RpcSummary& row : s.result.rows) {
      for (const auto& [code, message] : row.first_error) {
        absl::StrAppend(&out, "first ", code, " of ", s.run.label(), " ", row.name, ": ",
                        message.empty() ? "(no message)" : message, "\n");
      }
    }
  }
  for (const std::string& f : report.failures) {
    absl::StrAppend(&out, "FAILED ", f, "\n");
  }
  return out;
}

std::string ReportJson(const Report& report) {
  std::vector<std::string> scenarios;
  for (const ScenarioReport& s : report.scenarios) {
    std::vector<std::string> rows;
    for (const RpcSummary& row : s.result.rows) {
      std::vector<std::string> errors;
      for (const auto& [code, n] : row.errors) {
        errors.push_back(absl::StrCat(JsonText(code), ": ", n));
      }
      std::optional<Goal> goal = GoalOf(s.run, row.name);
      std::string text =
          absl::StrCat("{\"rpc\": ", JsonText(row.name), ", \"ok\": ", row.completed,
                       ", \"failed\": ", row.failed, ", \"errors\": {", absl::StrJoin(errors, ", "),
                       "}, \"per_second\": ", JsonNumber(row.per_second));
      if (row.has_latency) {
        absl::StrAppend(&text, ", \"p50_ms\": ", JsonNumber(row.p50_ms),
                        ", \"p95_ms\": ", JsonNumber(row.p95_ms),
                        ", \"p99_ms\": ", JsonNumber(row.p99_ms),
                        ", \"max_ms\": ", JsonNumber(row.max_ms));
      }
      if (goal) {
        absl::StrAppend(&text, ", \"goal\": ", JsonText(goal->text), ", \"met\": ",
                        JsonText(GoalMet(*goal, row, report.pgbench_ceiling, s.result.figures)));
      }
      rows.push_back(text + "}");
    }
    std::vector<std::string> cpu;
    for (const auto& [name, seconds] : s.cpu_seconds) {
      cpu.push_back(absl::StrCat(JsonText(name), ": ", JsonNumber(seconds)));
    }
    std::vector<std::string> figures;
    for (const auto& [name, value] : s.result.figures) {
      figures.push_back(absl::StrCat(JsonText(name), ": ", JsonNumber(value)));
    }
    scenarios.push_back(absl::StrCat(
        "{\"scenario\": ", JsonText(s.run.name), ", \"label\": ", JsonText(s.run.label()),
        ", \"rate\": ", JsonNumber(s.run.rate),
        ", \"elapsed_seconds\": ", JsonNumber(absl::ToDoubleSeconds(s.result.elapsed)),
        ", \"note\": ", JsonText(s.result.note), ",\n   \"rows\": [\n    ",
        absl::StrJoin(rows, ",\n    "), "],\n   \"figures\": {", absl::StrJoin(figures, ", "),
        "},\n   \"cpu_seconds\": {", absl::StrJoin(cpu, ", "), "}", SettleJson(s), "}"));
  }
  std::vector<std::string> failures;
  for (const std::string& f : report.failures) {
    failures.push_back(JsonText(f));
  }
  return absl::StrCat(
      "{\"noop_per_second\": ", JsonNumber(NoopRate(report)),
      ", \"pgbench_inserts_per_second\": ", JsonNumber(report.pgbench_ceiling),
      ", \"pgbench_call_events_per_second\": ", JsonNumber(report.call_events_ceiling),
      ",\n \"scenarios\": [\n  ", absl::StrJoin(scenarios, ",\n  "), "],\n \"failures\": [",
      absl::StrJoin(failures, ", "), "]}\n");
}

}  // namespace hotline::bench
