#include "tools/bench/options.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace hotline::bench {

std::string ScenarioRun::label() const { return rate > 0 ? absl::StrCat(name, "@", rate) : name; }

const std::vector<std::string>& ScenarioNames() {
  static const std::vector<std::string> names = {"noop",     "check-address", "create", "calls",
                                                 "branches", "steady",        "storm",  "sla"};
  return names;
}

const std::string& Usage() {
  static const std::string text = R"(usage: hotline-bench [--flag=value ...]

Load generator for a running hotline backend (tools/dev up, or tools/dev bench,
which starts its own). Drives many calls in flight from a few threads (gRPC's
callback API), open loop at a rate (SCENARIO@RATE) or closed loop (--in-flight
calls always running), and prints per RPC: calls, errors by status code, rate,
p50/p95/p99/max latency.

Scenarios (--scenarios=a,b@rate,...; default noop,check-address,create,calls):
  noop           grpc.health.v1.Health/Check on intake: a unary call the server
                 answers without auth, database or handler pool; the ceiling of
                 a unary call with this client on this machine
  check-address  outage CheckAddress of demo-province places (agent token)
  create         CreateTicket of repair tickets, each with its own idempotency key
  calls          StreamCallEvents: streams of --batches-per-stream batches of
                 --batch events (made-up answered calls); rows per stream and
                 per event
  branches       --branches branch systems holding PullOrders streams and
                 acknowledging every delivery (AckOrder), while repair tickets
                 are created in their areas; measures CreateTicket to the order
                 on the branch's stream. Sets up bench branches BENCH-BR-NNN
                 (UpsertBranch, admin token) for the branch ids of
                 --branch-tokens
  steady         the 2004 county-year mix of shared domain.md at
                 --calls-per-second calls: every call's events through
                 StreamCallEvents, tickets by the share of each kind (queries,
                 consultations, repairs, ...), CheckAddress for repairs and the
                 voice line's outage queries
  storm          the mix at --storm-factor times the call rate, with repair
                 tickets a burst (half the agent calls), most from five
                 transformer areas
  sla            deadline clocks: first tops the sla database (--sla-pg) up to
                 --sla-open-clocks open clocks due in the coming weeks, then
                 starts probe clocks (StartClock, service token) at RATE a
                 second (sla@RATE; default 100) that fall due 2 s later, and
                 measures on WatchEvents (admin token) when each one's breach
                 arrives after it was due; reports sla's resident memory (from
                 --watch=sla=PID). It writes for good: the background and
                 probe clocks stay in sla's database, fire their warnings and
                 breaches over the following weeks, and intake logs each as
                 for an unknown ticket. Run it on a throwaway backend (tools/dev
                 bench makes one), not on one you keep

Flags:
  --intake=HOST:PORT       intake (default 127.0.0.1:50051)
  --dispatch=HOST:PORT     dispatch (default 127.0.0.1:50052)
  --outage=HOST:PORT       outage (default 127.0.0.1:50054)
  --sla=HOST:PORT          sla (default 127.0.0.1:50053)
  --sla-pg=URI             the PostgreSQL database of sla, where the sla
                           scenario counts the open clocks and adds those it
                           wants; required unless --sla-open-clocks=0
  --sla-open-clocks=N      open clocks the sla scenario runs with (default
                           1000000; 0: none added, and without --sla-pg none
                           counted either, so the sla goal shows "no")
  --outbox-pg=URI          the services' PostgreSQL database: after each
                           scenario, wait until every service's outbox has
                           delivered the events it holds, and report how many
                           were waiting, how long they took, and the rate of
                           tickets over the scenario and that wait
  --settle-timeout=SECONDS the longest wait for the outboxes (default 180)
  --tokens=FILE            "role token" lines (default .dev/dev-tokens); the
                           agent, service and admin tokens are used
  --branch-tokens=FILE     "branch_id token" lines: the branch systems of the
                           branches scenario
  --scenarios=LIST         scenarios to run in order, NAME or NAME@RATE
  --duration=SECONDS       how long each scenario runs (default 10)
  --timeout=SECONDS        deadline of each call (default 10)
  --in-flight=N            calls running at once, closed loop; the cap in open
                           loop (default 128)
  --channels=N             connections to intake, dispatch and outage each
                           (default 4; sla gets one)
  --batch=N                events per StreamCallEvents batch (default 500)
  --batches-per-stream=N   batches per StreamCallEvents stream (default 1)
  --branches=N             branch systems in `branches` (default: every line
                           of --branch-tokens)
  --calls-per-second=R     steady's call rate (default 100)
  --storm-factor=F         storm's call rate over steady's (default 20)
  --pgbench-ceiling=N      PostgreSQL's single-row insert rate measured by
                           tools/bench/pgbench_ceiling.sh, for CreateTicket's
                           ratios
  --call-events-ceiling=N  PostgreSQL's rate of storing call events alone,
                           measured by tools/bench/pgbench_ceiling.sh
                           --rows=call-events, for the call events' ratios
  --watch=NAME=PID         show the CPU time of process PID (and its child
                           processes: a postmaster's backends) during each
                           scenario; repeatable. The sla scenario reads the
                           memory of the one named sla
  --json=FILE              also write every figure as JSON
  --run-id=TEXT            prefix of idempotency keys and ids (default: unique)
  --help                   this text

Exit status: 0 when every scenario ran, 1 when one failed to run (a setup
error, or no call completed), 2 for a bad command line. Errors of single calls
are counted in the table, not fatal.
)";
  return text;
}

namespace {

absl::Status Bad(absl::string_view name, absl::string_view value, absl::string_view want) {
  return absl::InvalidArgumentError(absl::StrCat("--", name, ": '", value, "' is not ", want));
}

absl::Status ParseInt(absl::string_view name, absl::string_view value, int low, int high,
                      int& out) {
  if (!absl::SimpleAtoi(value, &out) || out < low || out > high) {
    return Bad(name, value, absl::StrCat("a whole number ", low, "..", high));
  }
  return absl::OkStatus();
}

absl::Status ParseNumber(absl::string_view name, absl::string_view value, double low, double& out) {
  if (!absl::SimpleAtod(value, &out) || out < low) {
    return Bad(name, value, absl::StrCat("a number of at least ", low));
  }
  return absl::OkStatus();
}

absl::Status ParseSeconds(absl::string_view name, absl::string_view value, absl::Duration& out) {
  double seconds = 0;
  if (!absl::SimpleAtod(value, &seconds) || seconds <= 0 || seconds > 86400) {
    return Bad(name, value, "a number of seconds above 0");
  }
  out = absl::Seconds(seconds);
  return absl::OkStatus();
}

absl::Status ParseScenarios(absl::string_view value, std::vector<ScenarioRun>& out) {
  out.clear();
  for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    ScenarioRun run;
    std::pair<absl::string_view, absl::string_view> at = absl::StrSplit(part, '@');
    run.name = std::string(absl::StripAsciiWhitespace(at.first));
    const auto& names = ScenarioNames();
    if (std::find(names.begin(), names.end(), run.name) == names.end()) {
      return absl::InvalidArgumentError(absl::StrCat("--scenarios: unknown scenario '", run.name,
                                                     "' (", absl::StrJoin(names, ", "), ")"));
    }
    if (!at.second.empty() && (!absl::SimpleAtod(at.second, &run.rate) || run.rate <= 0)) {
      return Bad("scenarios", part, "NAME or NAME@RATE with a rate above 0");
    }
    out.push_back(run);
  }
  if (out.empty()) {
    return absl::InvalidArgumentError("--scenarios: no scenario named");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Options> ParseOptions(const std::vector<std::string>& args) {
  Options o;
  absl::Status parsed = ParseScenarios("noop,check-address,create,calls", o.scenarios);
  if (!parsed.ok()) {
    return parsed;
  }
  for (const std::string& arg : args) {
    absl::string_view rest = arg;
    if (!absl::ConsumePrefix(&rest, "--") || !absl::StrContains(rest, '=')) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
    }
    const size_t eq = rest.find('=');
    const std::string name(rest.substr(0, eq));
    const std::string value(rest.substr(eq + 1));
    absl::Status s;
    if (name == "intake") {
      o.intake = value;
    } else if (name == "dispatch") {
      o.dispatch = value;
    } else if (name == "outage") {
      o.outage = value;
    } else if (name == "sla") {
      o.sla = value;
    } else if (name == "sla-pg") {
      o.sla_pg = value;
    } else if (name == "sla-open-clocks") {
      if (!absl::SimpleAtoi(value, &o.sla_open_clocks) || o.sla_open_clocks < 0 ||
          o.sla_open_clocks > 100000000) {
        s = Bad(name, value, "a whole number 0..100000000");
      }
    } else if (name == "outbox-pg") {
      o.outbox_pg = value;
    } else if (name == "settle-timeout") {
      s = ParseSeconds(name, value, o.settle_timeout);
    } else if (name == "tokens") {
      o.tokens_file = value;
    } else if (name == "branch-tokens") {
      o.branch_tokens_file = value;
    } else if (name == "scenarios") {
      s = ParseScenarios(value, o.scenarios);
    } else if (name == "duration") {
      s = ParseSeconds(name, value, o.duration);
    } else if (name == "timeout") {
      s = ParseSeconds(name, value, o.timeout);
    } else if (name == "in-flight") {
      s = ParseInt(name, value, 1, 100000, o.in_flight);
    } else if (name == "channels") {
      s = ParseInt(name, value, 1, 256, o.channels);
    } else if (name == "batch") {
      s = ParseInt(name, value, 1, 100000, o.batch);
    } else if (name == "batches-per-stream") {
      s = ParseInt(name, value, 1, 100000, o.batches_per_stream);
    } else if (name == "branches") {
      s = ParseInt(name, value, 1, 10000, o.branches);
    } else if (name == "calls-per-second") {
      s = ParseNumber(name, value, 0.001, o.calls_per_second);
    } else if (name == "storm-factor") {
      s = ParseNumber(name, value, 1, o.storm_factor);
    } else if (name == "pgbench-ceiling") {
      s = ParseNumber(name, value, 0, o.pgbench_ceiling);
    } else if (name == "call-events-ceiling") {
      s = ParseNumber(name, value, 0, o.call_events_ceiling);
    } else if (name == "watch") {
      std::pair<std::string, std::string> nv = absl::StrSplit(value, absl::MaxSplits('=', 1));
      int pid = 0;
      if (nv.first.empty() || !absl::SimpleAtoi(nv.second, &pid) || pid <= 0) {
        s = Bad(name, value, "NAME=PID");
      } else {
        o.watch.emplace_back(nv.first, pid);
      }
    } else if (name == "json") {
      o.json_file = value;
    } else if (name == "run-id") {
      o.run_id = value;
    } else {
      s = absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (!s.ok()) {
      return s;
    }
  }
  return o;
}

}  // namespace hotline::bench
