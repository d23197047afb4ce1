// Tokens and personal data never reach the services' logs. The five services
// run at log level debug (the most they write) through a repair that travels
// intake -> dispatch -> the branch, a tip-off report with its reporter's
// identity, a refused request carrying a phone number, and calls with a wrong
// token; then every line of every log is searched for each bearer token and
// each piece of personal data the calls carried.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers

// Personal data the calls below carry, each unlike anything else in a log.
constexpr char kCustomerName[] = "Qiao Privacyprobe";
constexpr char kCustomerPhone[] = "13877001122";
constexpr char kStreet[] = "77 Hidden Lantern Lane";
constexpr char kReporterName[] = "举报人甄隐名";
constexpr char kReporterPhone[] = "13566778899";
constexpr char kRefusedPhone[] = "1390011223X";
constexpr char kWrongToken[] = "not-a-token-7f3a9c21e5b84d06";

TEST(LogPrivacyTest, NoTokenAndNoPersonalDataInAnyServiceLog) {
  BackendOptions options;
  for (const std::string& name : Backend::ServiceNames()) {
    options.extra_env[name] = {"HOTLINE_LOG_LEVEL=debug"};
  }
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);
  dv1::Branch crew;
  ASSERT_TRUE(RegisterRepairCrew(*backend, &crew).ok());
  auto intake = intake::v1::TicketIntake::NewStub(backend->Channel("intake"));

  // A repair that goes all the way to the branch's order.
  intake::v1::CreateTicketRequest repair = RepairInTheCrewsTerritory("privacy-repair");
  repair.mutable_customer()->set_name(kCustomerName);
  repair.mutable_customer()->set_phone(kCustomerPhone);
  repair.mutable_address()->set_street(kStreet);
  intake::v1::CreateTicketResponse created;
  grpc::Status status = intake->CreateTicket(Call(backend->Token("agent")).get(), repair, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(WaitOrderOfTicket(*backend, created.ticket().ticket_id()).has_value());

  // A tip-off report, read back by discipline (who sees the reporter).
  intake::v1::CreateTicketRequest report = RepairInTheCrewsTerritory("privacy-report", 9);
  report.set_type(common::v1::TICKET_TYPE_REPORT);
  report.clear_customer();
  report.mutable_details()->Clear();
  report.mutable_details()->mutable_report()->set_subject(intake::v1::REPORT_SUBJECT_MISCONDUCT);
  report.mutable_details()->mutable_report()->mutable_reporter()->set_name(kReporterName);
  report.mutable_details()->mutable_report()->mutable_reporter()->set_phone(kReporterPhone);
  intake::v1::CreateTicketResponse reported;
  status = intake->CreateTicket(Call(backend->Token("agent")).get(), report, &reported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  intake::v1::GetTicketRequest get;
  get.set_ticket_id(reported.ticket().ticket_id());
  intake::v1::Ticket seen;
  status = intake->GetTicket(Call(backend->Token("discipline")).get(), get, &seen);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(seen.details().report().reporter().name(), kReporterName);

  // A request refused for its phone number, and calls with a wrong token.
  intake::v1::CreateTicketRequest bad = RepairInTheCrewsTerritory("privacy-bad", 10);
  bad.mutable_customer()->set_phone(kRefusedPhone);
  status = intake->CreateTicket(Call(backend->Token("agent")).get(), bad, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  status = intake->GetTicket(Call(kWrongToken).get(), get, &seen);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto orders = dv1::Dispatch::NewStub(backend->Channel("dispatch"));
  dv1::ListOrdersResponse listed;
  status = orders->ListOrders(Call(kWrongToken).get(), dv1::ListOrdersRequest(), &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // What must never be written down.
  std::map<std::string, std::string> secrets = {
      {"the wrong token", kWrongToken},       {"a customer's name", kCustomerName},
      {"a customer's phone", kCustomerPhone}, {"a street address", kStreet},
      {"a reporter's name", kReporterName},   {"a reporter's phone", kReporterPhone},
      {"a refused phone", kRefusedPhone}};
  for (const char* role : {"agent", "shift_leader", "dispatcher", "branch", "supervisor",
                           "discipline", "service", "admin"}) {
    secrets[absl::StrCat("the ", role, " token")] = backend->Token(role);
  }
  int lines = 0;
  int found = 0;
  for (const std::string& name : Backend::ServiceNames()) {
    for (absl::string_view line : absl::StrSplit(backend->Log(name), '\n', absl::SkipEmpty())) {
      ++lines;
      for (const auto& [what, text] : secrets) {
        if (absl::StrContains(line, text)) {
          ++found;
          ADD_FAILURE() << name << "'s log holds " << what << ": " << line;
        }
      }
    }
  }
  std::printf("searched %d log lines of %zu services for %zu secrets: %d found\n", lines,
              Backend::ServiceNames().size(), secrets.size(), found);
  EXPECT_GT(lines, 20) << "the services logged almost nothing: is the log level debug?";
}

}  // namespace
}  // namespace hotline::testing
