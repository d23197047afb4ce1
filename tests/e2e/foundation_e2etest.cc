// The five real service binaries over gRPC against real PostgreSQL and Redis:
// health, reflection, metrics, rejected settings and a graceful stop.

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "libs/probe/probe.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

class FoundationTest : public SharedBackendTest {
 protected:
};

const std::map<std::string, std::vector<std::string>>& ExpectedServices() {
  static const std::map<std::string, std::vector<std::string>> kServices = {
      {"intake", {"hotline.intake.v1.TicketIntake", "hotline.intake.v1.CallCenter"}},
      {"dispatch", {"hotline.dispatch.v1.Dispatch", "hotline.dispatch.v1.BranchOrders"}},
      {"sla", {"hotline.sla.v1.SlaTracker"}},
      {"outage", {"hotline.outage.v1.OutageNotices"}},
      {"survey", {"hotline.survey.v1.CallbackSurveys"}},
  };
  return kServices;
}

TEST_F(FoundationTest, EveryServiceIsServingAndListsItsServicesThroughReflection) {
  for (const auto& [name, expected] : ExpectedServices()) {
    auto channel = backend_->Channel(name);
    auto health = probe::CheckHealth(channel);
    ASSERT_TRUE(health.ok()) << name << ": " << health.status();
    EXPECT_EQ(*health, "SERVING") << name;
    for (const std::string& service : expected) {
      auto one = probe::CheckHealth(channel, service);
      ASSERT_TRUE(one.ok()) << service << ": " << one.status();
      EXPECT_EQ(*one, "SERVING") << service;
    }
    auto listed = probe::ListServices(channel);
    ASSERT_TRUE(listed.ok()) << name << ": " << listed.status();
    for (const std::string& service : expected) {
      EXPECT_NE(std::find(listed->begin(), listed->end(), service), listed->end())
          << name << " does not list " << service;
    }
    EXPECT_NE(std::find(listed->begin(), listed->end(), "grpc.health.v1.Health"), listed->end());
  }
}

TEST_F(FoundationTest, MetricsPassPromtoolAndCountRpcsByCode) {
  // One call that the intake service answers (UNAUTHENTICATED: no token)
  // must show up in the RPC counter with its code.
  auto stub = intake::v1::TicketIntake::NewStub(backend_->Channel("intake"));
  grpc::ClientContext context;
  intake::v1::GetTicketRequest request;
  intake::v1::Ticket ticket;
  grpc::Status status = stub->GetTicket(&context, request, &ticket);
  EXPECT_FALSE(status.ok());

  for (const std::string& name : Backend::ServiceNames()) {
    auto text = backend_->ScrapeMetrics(name);
    ASSERT_TRUE(text.ok()) << name << ": " << text.status();
    // Outage customer-hours (停电时户数) are customers x hours, the industry's
    // own unit and the name the dashboards use, not a time to give in seconds.
    absl::Status check = PromtoolCheckMetrics(
        *text, {"hotline_outage_customer_hours_total use base unit \"seconds\" instead of "
                "\"hours\""});
    EXPECT_TRUE(check.ok()) << name << ": " << check;
  }
  auto intake_metrics = backend_->ScrapeMetrics("intake");
  ASSERT_TRUE(intake_metrics.ok());
  EXPECT_NE(intake_metrics->find(absl::StrCat(
                "hotline_rpc_requests_total{code=\"", "UNAUTHENTICATED",
                "\",method=\"GetTicket\",service=\"hotline.intake.v1.TicketIntake\"}")),
            std::string::npos)
      << *intake_metrics;
  EXPECT_NE(intake_metrics->find("hotline_rpc_duration_seconds_bucket"), std::string::npos);
}

TEST(ServiceSettingsTest, BadSettingsStopTheStartNamingTheSetting) {
  std::string binary = BinaryDir() + "/services/dispatch/hotline-dispatch";
  // Without the test run's own HOTLINE_TEST_* variables, which a service
  // would refuse as unknown settings.
  const std::string kCleanEnv = "env -i PATH=/usr/bin:/bin ";
  struct Case {
    std::string args;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"--pg-pool-size=lots --tokens-file=/dev/null", "setting --pg-pool-size: 'lots'"},
      {"--no-such-thing=1", "unknown setting --no-such-thing"},
      {"", "setting --tokens-file (HOTLINE_TOKENS_FILE): required"},
      {"--tokens-file=/dev/null --drain-timeout=forever", "setting --drain-timeout"},
  };
  for (const Case& c : cases) {
    CommandResult run = RunCommand(kCleanEnv + binary + " " + c.args);
    EXPECT_EQ(run.exit_code, 2) << c.args << ": " << run.output;
    EXPECT_NE(run.output.find(c.expected), std::string::npos) << run.output;
  }
  CommandResult env =
      RunCommand(kCleanEnv + "HOTLINE_REDIS_DB=-1 HOTLINE_TOKENS_FILE=/dev/null " + binary);
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.output.find("setting HOTLINE_REDIS_DB: -1 is outside"), std::string::npos)
      << env.output;
  CommandResult help = RunCommand(binary + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("HOTLINE_PG_URI"), std::string::npos) << help.output;
}

// Runs last in this binary: it stops a service.
TEST_F(FoundationTest, ZzSigtermStopsAServiceCleanlyAndItComesBack) {
  auto status = backend_->Stop("survey", SIGTERM);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status)) << "survey did not exit by itself";
  EXPECT_EQ(WEXITSTATUS(*status), 0) << backend_->Log("survey");
  EXPECT_NE(backend_->Log("survey").find("stopped"), std::string::npos);
  ASSERT_TRUE(backend_->Restart("survey").ok()) << backend_->Log("survey");
}

}  // namespace
}  // namespace hotline::testing
