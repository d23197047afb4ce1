// hotlinectl, the operator's tool, run as a program against the five real
// services: a repair taken with `ticket create` shows up in the branch's
// `orders list` (as a table and as JSON); a notice published with `notice
// publish` makes `check-address` answer affected until `notice restore`; the
// dev token of a role is found in .dev/dev-tokens; a bad command line is a
// usage error (exit 2, nothing sent) and a refused call prints the gRPC code
// (exit 1).

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "hotline/intake/v1/intake.pb.h"
#include "hotline/outage/v1/outage.pb.h"
#include "tests/e2e/repair_helpers.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/run_program.h"

namespace hotline::testing {
namespace {

using namespace repair_e2e;  // NOLINT: test helpers
namespace dv1 = hotline::dispatch::v1;
namespace ov1 = hotline::outage::v1;

// Runs the hotlinectl binary with `args` in folder `cwd` (default: this
// process's).
ProgramRun RunCtl(const std::vector<std::string>& args, const std::string& cwd = "") {
  return RunProgram(BinaryDir() + "/tools/hotlinectl/hotlinectl", args, cwd);
}

std::string Show(const ProgramRun& ran) {
  return absl::StrCat("exit ", ran.exit_code, "\n--- stdout:\n", ran.out, "--- stderr:\n", ran.err);
}

// The value of a "name:  value" line of hotlinectl's output.
std::string FieldOf(const std::string& out, const std::string& name) {
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (absl::ConsumePrefix(&line, name + ":")) {
      return std::string(absl::StripLeadingAsciiWhitespace(line));
    }
  }
  return "";
}

class HotlinectlE2eTest : public SharedBackendTest {
 protected:
  static void SetUpTestSuite() {
    StartBackend({});
    if (backend_ == nullptr) {
      return;
    }
    dv1::Branch saved;
    grpc::Status crew = RegisterRepairCrew(backend(), &saved);
    ASSERT_TRUE(crew.ok()) << crew.error_message();
  }

  // The services' addresses, as an operator would pass them.
  static std::vector<std::string> Addresses() {
    std::vector<std::string> flags;
    for (const std::string& name : Backend::ServiceNames()) {
      flags.push_back(absl::StrCat("--", name, "=127.0.0.1:", backend().service(name).port));
    }
    return flags;
  }

  // hotlinectl ARGS with the backend's addresses and the token of `role`.
  static ProgramRun Ctl(const std::string& role, std::vector<std::string> args) {
    std::vector<std::string> all = Addresses();
    all.push_back("--token=" + backend().Token(role));
    all.insert(all.end(), args.begin(), args.end());
    return RunCtl(all);
  }
};

TEST_F(HotlinectlE2eTest, ARepairTakenWithTicketCreateIsListedInTheBranchsOrders) {
  const std::string fault_time =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() - absl::Minutes(5), absl::UTCTimeZone());
  const std::vector<std::string> repair = {
      "ticket",
      "create",
      "--type",
      "repair",
      "--customer",
      "Han Meimei",
      "--phone",
      "13912345678",
      "--address",
      absl::StrCat(kProvince, "/", kCity, "/", kCounty, "/Flow Town/Flow Village/12 River Road"),
      "--transformer-area",
      "TA-CTL-12",
      "--area-class",
      "rural",
      "--owner",
      "utility",
      "--fault-time",
      fault_time,
      "--description",
      "no power since the storm"};
  ProgramRun created = Ctl("agent", repair);
  ASSERT_EQ(created.exit_code, 0) << Show(created);
  EXPECT_EQ(FieldOf(created.out, "outcome"), "routed") << created.out;
  EXPECT_EQ(FieldOf(created.out, "type"), "repair") << created.out;
  EXPECT_TRUE(absl::StartsWith(FieldOf(created.out, "idempotency key"), "ctl-")) << created.out;
  const std::string ticket_id = FieldOf(created.out, "id");
  const std::string ticket_number = FieldOf(created.out, "ticket");
  ASSERT_FALSE(ticket_id.empty()) << created.out;
  ASSERT_FALSE(ticket_number.empty()) << created.out;

  // The same key again is the same ticket, not a second one.
  std::vector<std::string> same = repair;
  same.insert(same.end(), {"--idempotency-key", FieldOf(created.out, "idempotency key")});
  ProgramRun again = Ctl("agent", same);
  ASSERT_EQ(again.exit_code, 0) << Show(again);
  EXPECT_EQ(FieldOf(again.out, "replayed"), "yes (the key was used before)") << again.out;
  EXPECT_EQ(FieldOf(again.out, "id"), ticket_id) << again.out;
  EXPECT_EQ(FieldOf(created.out, "replayed"), "") << created.out;

  // The order reaches BR-1 through intake's outbox and dispatch's routing:
  // the branch system's token lists it.
  ProgramRun listed;
  bool arrived = WaitUntil(
      [&] {
        listed = Ctl("branch", {"orders", "list", "--branch", kBranchId});
        return listed.exit_code == 0 && absl::StrContains(listed.out, ticket_number);
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200));
  ASSERT_TRUE(arrived) << Show(listed) << "\n--- dispatch log:\n" << backend().Log("dispatch");
  std::vector<std::string> lines = absl::StrSplit(listed.out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 2u) << listed.out;
  const std::string& header = lines[0];
  EXPECT_TRUE(absl::StartsWith(header, "ORDER ")) << header;
  auto row = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return absl::StrContains(line, ticket_number);
  });
  ASSERT_NE(row, lines.end());
  // Each value sits under its column's header.
  for (const auto& [column, value] :
       std::vector<std::pair<std::string, std::string>>{{"TICKET", ticket_number},
                                                        {"TYPE", "repair"},
                                                        {"STATUS", "dispatched"},
                                                        {"BRANCH", kBranchId}}) {
    size_t at = header.find(column);
    ASSERT_NE(at, std::string::npos) << column;
    EXPECT_EQ(row->substr(at, value.size()), value) << column << "\n" << listed.out;
  }

  ProgramRun json = Ctl("branch", {"orders", "list", "--branch", kBranchId, "--json"});
  ASSERT_EQ(json.exit_code, 0) << Show(json);
  dv1::ListOrdersResponse orders;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &orders).ok()) << json.out;
  auto order = std::find_if(orders.orders().begin(), orders.orders().end(),
                            [&](const dv1::Order& o) { return o.ticket_id() == ticket_id; });
  ASSERT_NE(order, orders.orders().end()) << json.out;
  EXPECT_EQ(order->branch_id(), kBranchId);
  EXPECT_EQ(order->ticket_number(), ticket_number);
  EXPECT_EQ(order->type(), common::v1::TICKET_TYPE_REPAIR);
  EXPECT_EQ(order->address().transformer_area(), "TA-CTL-12");

  // Another branch's orders are not the branch token's to read.
  ProgramRun other = Ctl("branch", {"orders", "list", "--branch", "BR-ELSEWHERE"});
  EXPECT_EQ(other.exit_code, 1) << Show(other);
  EXPECT_TRUE(absl::StartsWith(other.err, "hotlinectl: PERMISSION_DENIED: ")) << other.err;

  // The ticket follows: `ticket show` by number, with its history, using the
  // agent's dev token found in .dev/dev-tokens of the current folder.
  const std::string dir = absl::StrCat(::testing::TempDir(), "/hotlinectl-dev-", ::getpid());
  std::filesystem::create_directories(dir + "/.dev");
  std::ofstream(dir + "/.dev/dev-tokens") << "agent " << backend().Token("agent") << "\n"
                                          << "branch " << backend().Token("branch") << "\n";
  std::vector<std::string> show = Addresses();
  show.insert(show.end(), {"ticket", "show", ticket_number});
  ProgramRun shown;
  bool dispatched = WaitUntil(
      [&] {
        shown = RunCtl(show, dir);
        return shown.exit_code == 0 && FieldOf(shown.out, "status") == "dispatched";
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200));
  EXPECT_TRUE(dispatched) << Show(shown);
  EXPECT_EQ(FieldOf(shown.out, "id"), ticket_id);
  EXPECT_EQ(FieldOf(shown.out, "branch"), kBranchId);
  EXPECT_TRUE(absl::StrContains(shown.out, "history:\nAT ")) << shown.out;
  EXPECT_TRUE(absl::StrContains(shown.out, "created")) << shown.out;

  // --role picks another role's line of the same file; a role it lacks is a
  // usage error naming the file.
  show.push_back("--role=admin");
  ProgramRun no_admin = RunCtl(show, dir);
  EXPECT_EQ(no_admin.exit_code, 2) << Show(no_admin);
  EXPECT_TRUE(absl::StrContains(no_admin.err, "no dev token for role 'admin'")) << no_admin.err;
  std::filesystem::remove_all(dir);
}

TEST_F(HotlinectlE2eTest, APublishedNoticeMakesCheckAddressAnswerAffectedUntilRestored) {
  const std::string address =
      absl::StrCat(kProvince, "/", kCity, "/", kCounty, "/Flow Town/Flow Village/30 River Road");
  ProgramRun before = Ctl("agent", {"check-address", address, "--transformer-area", "TA-CTL-OUT"});
  ASSERT_EQ(before.exit_code, 0) << Show(before);
  EXPECT_EQ(FieldOf(before.out, "affected"), "no") << before.out;

  ProgramRun published =
      Ctl("dispatcher",
          {"notice", "publish", "--kind", "fault", "--transformer-area", "TA-CTL-OUT", "--start",
           "now-10m", "--restore", "now+3h", "--working-unit", "Flow County repair crew", "--work",
           "transformer burnt out", "--person", "Li Lei", "--phone", "13811112222", "--json"});
  ASSERT_EQ(published.exit_code, 0) << Show(published);
  ov1::PublishNoticeResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(published.out, &response).ok())
      << published.out;
  const std::string notice_id = response.notice().notice_id();
  ASSERT_FALSE(notice_id.empty());
  EXPECT_EQ(response.notice().kind(), ov1::OUTAGE_KIND_FAULT);

  ProgramRun affected;
  bool seen = WaitUntil(
      [&] {
        affected = Ctl("agent", {"check-address", address, "--transformer-area", "TA-CTL-OUT"});
        return affected.exit_code == 0 && FieldOf(affected.out, "affected") == "yes";
      },
      std::chrono::seconds(20), std::chrono::milliseconds(200));
  ASSERT_TRUE(seen) << Show(affected);
  EXPECT_EQ(FieldOf(affected.out, "notice"), notice_id) << affected.out;
  EXPECT_EQ(FieldOf(affected.out, "kind"), "fault") << affected.out;
  EXPECT_EQ(FieldOf(affected.out, "work"), "transformer burnt out") << affected.out;

  ProgramRun as_json =
      Ctl("agent", {"check-address", address, "--transformer-area", "TA-CTL-OUT", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << Show(as_json);
  ov1::CheckAddressResponse answer;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(as_json.out, &answer).ok())
      << as_json.out;
  EXPECT_TRUE(answer.affected());
  EXPECT_EQ(answer.notice().notice_id(), notice_id);

  // A later restore, announced hours ahead: not late, and the notice moves on a version.
  ProgramRun amended = Ctl("dispatcher", {"notice", "amend", notice_id, "--restore", "now+4h",
                                          "--reason", "a second transformer to replace"});
  ASSERT_EQ(amended.exit_code, 0) << Show(amended);
  EXPECT_EQ(FieldOf(amended.out, "version"), "2") << amended.out;
  EXPECT_EQ(FieldOf(amended.out, "amendment late"), "") << amended.out;
  ProgramRun stale = Ctl("dispatcher", {"notice", "amend", notice_id, "--restore", "now+5h",
                                        "--reason", "again", "--expected-version", "1"});
  EXPECT_EQ(stale.exit_code, 1) << Show(stale);
  EXPECT_TRUE(absl::StartsWith(stale.err, "hotlinectl: ABORTED: ")) << stale.err;

  ProgramRun elsewhere = Ctl("agent", {"check-address", "--transformer-area", "TA-CTL-ELSEWHERE"});
  ASSERT_EQ(elsewhere.exit_code, 0) << Show(elsewhere);
  EXPECT_EQ(FieldOf(elsewhere.out, "affected"), "no");

  ProgramRun restored = Ctl("dispatcher", {"notice", "restore", notice_id});
  ASSERT_EQ(restored.exit_code, 0) << Show(restored);
  EXPECT_EQ(FieldOf(restored.out, "state"), "restored") << restored.out;
  ProgramRun after;
  bool cleared = WaitUntil(
      [&] {
        after = Ctl("agent", {"check-address", address, "--transformer-area", "TA-CTL-OUT"});
        return after.exit_code == 0 && FieldOf(after.out, "affected") == "no";
      },
      std::chrono::seconds(20), std::chrono::milliseconds(200));
  EXPECT_TRUE(cleared) << Show(after);
}

TEST_F(HotlinectlE2eTest, TheShiftLeadersViewsAnswer) {
  ProgramRun overdue = Ctl("shift_leader", {"overdue"});
  EXPECT_EQ(overdue.exit_code, 0) << Show(overdue);
  ProgramRun stats = Ctl("shift_leader", {"call-stats", "--from", "now-1h"});
  EXPECT_EQ(stats.exit_code, 0) << Show(stats);
  EXPECT_EQ(FieldOf(stats.out, "offered"), "0") << stats.out;
  EXPECT_EQ(FieldOf(stats.out, "queue"), "all") << stats.out;
  ProgramRun queue = Ctl("shift_leader", {"queue", "--json"});
  EXPECT_EQ(queue.exit_code, 0) << Show(queue);
  EXPECT_TRUE(absl::StrContains(queue.out, "\"asOf\"")) << queue.out;
}

TEST_F(HotlinectlE2eTest, BadCommandLinesAreUsageErrorsAndRefusedCallsNameTheirCode) {
  ProgramRun bad_type = Ctl("agent", {"ticket", "create", "--type", "teleport"});
  EXPECT_EQ(bad_type.exit_code, 2) << Show(bad_type);
  EXPECT_TRUE(
      absl::StartsWith(bad_type.err, "hotlinectl: --type: 'teleport' is not one of repair, "))
      << bad_type.err;
  EXPECT_EQ(bad_type.out, "");

  ProgramRun unknown_flag = Ctl("branch", {"orders", "list", "--brnach", "BR-1"});
  EXPECT_EQ(unknown_flag.exit_code, 2) << Show(unknown_flag);
  EXPECT_TRUE(absl::StrContains(unknown_flag.err, "unknown flag --brnach")) << unknown_flag.err;

  ProgramRun no_id = Ctl("agent", {"ticket", "show"});
  EXPECT_EQ(no_id.exit_code, 2) << Show(no_id);

  ProgramRun help = RunCtl({"--help"});
  EXPECT_EQ(help.exit_code, 0) << Show(help);
  for (const char* command :
       {"ticket create", "ticket show", "orders list", "notice publish", "notice amend",
        "notice restore", "check-address", "overdue", "call-stats", "queue"}) {
    EXPECT_TRUE(absl::StrContains(help.out, command)) << command;
  }

  ProgramRun missing = Ctl("agent", {"ticket", "show", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(missing.exit_code, 1) << Show(missing);
  EXPECT_TRUE(absl::StartsWith(missing.err, "hotlinectl: NOT_FOUND: ")) << missing.err;
  EXPECT_TRUE(absl::StrContains(missing.err, "not found")) << missing.err;

  ProgramRun not_allowed = Ctl("agent", {"overdue"});
  EXPECT_EQ(not_allowed.exit_code, 1) << Show(not_allowed);
  EXPECT_TRUE(absl::StartsWith(not_allowed.err, "hotlinectl: PERMISSION_DENIED: "))
      << not_allowed.err;

  std::vector<std::string> bad_token = Addresses();
  bad_token.insert(bad_token.end(), {"--token", "not-a-token", "queue"});
  ProgramRun refused = RunCtl(bad_token);
  EXPECT_EQ(refused.exit_code, 1) << Show(refused);
  EXPECT_TRUE(absl::StartsWith(refused.err, "hotlinectl: UNAUTHENTICATED: ")) << refused.err;
}

}  // namespace
}  // namespace hotline::testing
