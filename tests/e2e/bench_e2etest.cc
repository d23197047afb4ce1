// hotline-bench, the load generator, run as a program for about two seconds
// per scenario against the five real services, so that it keeps working as
// the services change. What a user of the tool would notice: every scenario
// completes calls, none fails, the table is printed and the JSON holds the
// rows of each scenario. Speed is not tested here (docs/benchmarks.md).

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/run_program.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

namespace pb = google::protobuf;

const std::vector<std::string> kBranches = {"BENCH-BR-001", "BENCH-BR-002", "BENCH-BR-003"};

class BenchE2eTest : public SharedBackendTest {
 protected:
  static void SetUpTestSuite() {
    BackendOptions options;
    options.extra_branch_ids = kBranches;
    // The load generator is one agent at full speed: no per-caller limit, as tools/dev bench.
    for (const char* service : {"intake", "dispatch", "sla", "outage", "survey"}) {
      options.extra_env[service] = {"HOTLINE_CALLER_CALL_RATE=0"};
    }
    StartBackend(options);
  }
};

TEST_F(BenchE2eTest, EveryScenarioCompletesCallsWithoutErrors) {
  const std::string base = absl::StrCat(::testing::TempDir(), "/bench-", ::getpid());
  {
    std::ofstream tokens(base + ".tokens");
    for (const char* role : {"agent", "service", "admin"}) {
      tokens << role << " " << backend().Token(role) << "\n";
    }
    std::ofstream branch_tokens(base + ".branch-tokens");
    for (const std::string& id : kBranches) {
      branch_tokens << id << " " << backend().Token("branch:" + id) << "\n";
    }
  }
  const ProgramRun ran =
      RunProgram(BinaryDir() + "/tools/bench/hotline-bench",
                 {absl::StrCat("--intake=127.0.0.1:", backend().service("intake").port),
                  absl::StrCat("--dispatch=127.0.0.1:", backend().service("dispatch").port),
                  absl::StrCat("--outage=127.0.0.1:", backend().service("outage").port),
                  absl::StrCat("--sla=127.0.0.1:", backend().service("sla").port),
                  "--sla-pg=" + backend().pg_uri(), "--sla-open-clocks=2000",
                  "--outbox-pg=" + backend().pg_uri(), "--settle-timeout=60",
                  absl::StrCat("--watch=sla=", backend().service("sla").pid),
                  "--tokens=" + base + ".tokens", "--branch-tokens=" + base + ".branch-tokens",
                  // branches open loop at 20 tickets/s; the rest closed loop, few in flight.
                  "--scenarios=noop,check-address,create,calls,branches@20,steady,storm,sla@20",
                  "--duration=2", "--in-flight=8", "--batch=50", "--calls-per-second=50",
                  "--storm-factor=2", "--json=" + base + ".json"});
  const std::string shown =
      absl::StrCat("exit ", ran.exit_code, "\n--- stdout:\n", ran.out, "--- stderr:\n", ran.err);
  ASSERT_EQ(ran.exit_code, 0) << shown;
  std::cout << ran.out;  // the table, for the test's log
  EXPECT_NE(ran.out.find("p99 ms"), std::string::npos) << shown;
  EXPECT_NE(ran.out.find("ceilings: noop unary call"), std::string::npos) << shown;

  pb::Struct report;
  ASSERT_TRUE(pb::util::JsonStringToMessage(ReadWholeFile(base + ".json"), &report).ok())
      << ReadWholeFile(base + ".json");
  std::map<std::string, std::set<std::string>> rows_of;
  for (const pb::Value& scenario : report.fields().at("scenarios").list_value().values()) {
    const auto& fields = scenario.struct_value().fields();
    const std::string name = fields.at("scenario").string_value();
    for (const pb::Value& row : fields.at("rows").list_value().values()) {
      const auto& r = row.struct_value().fields();
      const std::string rpc = r.at("rpc").string_value();
      rows_of[name].insert(rpc);
      EXPECT_GT(r.at("ok").number_value(), 0) << name << " " << rpc << "\n" << shown;
      EXPECT_EQ(r.at("failed").number_value(), 0) << name << " " << rpc << "\n" << shown;
    }
  }
  const std::map<std::string, std::set<std::string>> expected = {
      {"noop", {"Health/Check (noop)"}},
      {"check-address", {"CheckAddress"}},
      {"create", {"CreateTicket"}},
      {"calls", {"StreamCallEvents (1x50 events)", "call events stored"}},
      {"branches", {"CreateTicket", "ticket→branch stream", "AckOrder"}},
      {"steady",
       {"calls (the mix)", "CreateTicket", "CheckAddress", "StreamCallEvents",
        "call events stored"}},
      {"storm",
       {"calls (the mix)", "CreateTicket", "CheckAddress", "StreamCallEvents",
        "call events stored"}},
      {"sla", {"StartClock", "breach noticed"}},
  };
  EXPECT_EQ(rows_of, expected) << shown;
  EXPECT_TRUE(report.fields().at("failures").list_value().values().empty()) << shown;
  // After each scenario the services delivered every event they owed each other
  // (counted in their outboxes: hotline-bench fails when it finds none).
  for (const pb::Value& scenario : report.fields().at("scenarios").list_value().values()) {
    const auto& fields = scenario.struct_value().fields();
    const std::string name = fields.at("scenario").string_value();
    ASSERT_TRUE(fields.contains("outbox_settle")) << name << "\n" << shown;
    const auto& settle = fields.at("outbox_settle").struct_value().fields();
    EXPECT_EQ(settle.at("left").number_value(), 0) << name << "\n" << shown;
  }
  EXPECT_NE(ran.out.find("Events the services still owed each other"), std::string::npos) << shown;
  // sla ran with the open clocks it asked for and read sla's memory.
  for (const pb::Value& scenario : report.fields().at("scenarios").list_value().values()) {
    const auto& fields = scenario.struct_value().fields();
    if (fields.at("scenario").string_value() != "sla") {
      continue;
    }
    const auto& figures = fields.at("figures").struct_value().fields();
    ASSERT_TRUE(figures.contains("sla_open_clocks")) << shown;
    EXPECT_GE(figures.at("sla_open_clocks").number_value(), 2000) << shown;
    ASSERT_TRUE(figures.contains("sla_rss_mb")) << shown;
    EXPECT_GT(figures.at("sla_rss_mb").number_value(), 0) << shown;
  }
  for (const char* ext : {".tokens", ".branch-tokens", ".json", ".out", ".err"}) {
    std::filesystem::remove(base + ext);
  }
}

}  // namespace
}  // namespace hotline::testing
