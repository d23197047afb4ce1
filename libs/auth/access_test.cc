// The access table against the API as compiled: every RPC of every service in
// proto/hotline/ (from the generated descriptor pool) for every role.

#include "libs/auth/access.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hotline::auth {
namespace {

constexpr Role kRoleColumns[] = {Role::kAgent,   Role::kShiftLeader, Role::kDispatcher,
                                 Role::kBranch,  Role::kSupervisor,  Role::kDiscipline,
                                 Role::kService, Role::kAdmin};

// What each role may call, written out apart from the table: x allowed,
// - refused. A new RPC needs a line here as well as its row in access.cc.
// clang-format off
//
//                                                          agent shift disp  brnch super disc  svc   admin
const std::map<std::string, std::string>& Expected() {
  static const auto* expected = new std::map<std::string, std::string>{
      {"/hotline.common.v1.EventSink/DeliverEvents",       "-     -     -     -     -     -     x     -"},
      {"/hotline.common.v1.TestClock/GetTime",             "-     -     -     -     -     -     -     x"},
      {"/hotline.common.v1.TestClock/SetTime",             "-     -     -     -     -     -     -     x"},
      {"/hotline.common.v1.TestClock/AdvanceTime",         "-     -     -     -     -     -     -     x"},

      {"/hotline.intake.v1.TicketIntake/CreateTicket",     "x     x     -     -     -     -     -     x"},
      {"/hotline.intake.v1.TicketIntake/GetTicket",        "x     x     x     -     x     x     -     x"},
      {"/hotline.intake.v1.TicketIntake/ListTickets",      "x     x     x     -     x     x     -     x"},
      {"/hotline.intake.v1.TicketIntake/AddNote",          "x     x     -     -     -     -     -     x"},
      {"/hotline.intake.v1.TicketIntake/UrgeTicket",       "x     x     -     -     -     -     -     x"},
      {"/hotline.intake.v1.TicketIntake/CancelTicket",     "-     x     -     -     -     -     -     x"},
      {"/hotline.intake.v1.TicketIntake/GetHistory",       "x     x     x     -     x     x     -     x"},

      {"/hotline.intake.v1.CallCenter/RecordCallEvent",    "-     -     -     -     -     -     x     x"},
      {"/hotline.intake.v1.CallCenter/StreamCallEvents",   "-     -     -     -     -     -     x     x"},
      {"/hotline.intake.v1.CallCenter/SetAgentState",      "x     -     -     -     -     -     x     x"},
      {"/hotline.intake.v1.CallCenter/GetCall",            "-     x     -     -     x     -     x     x"},
      {"/hotline.intake.v1.CallCenter/GetLiveQueue",       "-     x     -     -     x     -     -     x"},
      {"/hotline.intake.v1.CallCenter/WatchLiveQueue",     "-     x     -     -     x     -     -     x"},
      {"/hotline.intake.v1.CallCenter/GetCallStats",       "-     x     -     -     x     -     -     x"},

      {"/hotline.dispatch.v1.Dispatch/UpsertBranch",       "-     -     -     -     -     -     -     x"},
      {"/hotline.dispatch.v1.Dispatch/GetBranch",          "x     x     x     x     x     x     x     x"},
      {"/hotline.dispatch.v1.Dispatch/ListBranches",       "x     x     x     x     x     x     x     x"},
      {"/hotline.dispatch.v1.Dispatch/GetOrder",           "x     x     x     x     x     x     x     x"},
      {"/hotline.dispatch.v1.Dispatch/ListOrders",         "x     x     x     x     x     x     x     x"},
      {"/hotline.dispatch.v1.Dispatch/ReassignOrder",      "-     -     x     -     -     -     -     x"},

      {"/hotline.dispatch.v1.BranchOrders/PullOrders",     "-     -     -     x     -     -     -     -"},
      {"/hotline.dispatch.v1.BranchOrders/PollOrders",     "-     -     -     x     -     -     -     -"},
      {"/hotline.dispatch.v1.BranchOrders/AckOrder",       "-     -     -     x     -     -     -     -"},
      {"/hotline.dispatch.v1.BranchOrders/ReportProgress", "-     -     -     x     -     -     -     -"},
      {"/hotline.dispatch.v1.BranchOrders/ReturnOrder",    "-     -     -     x     -     -     -     -"},

      {"/hotline.sla.v1.SlaTracker/GetPolicies",           "-     x     x     -     x     -     -     x"},
      {"/hotline.sla.v1.SlaTracker/SetPolicy",             "-     -     -     -     -     -     -     x"},
      {"/hotline.sla.v1.SlaTracker/GetCalendar",           "x     x     x     x     x     x     x     x"},
      {"/hotline.sla.v1.SlaTracker/SetCalendar",           "-     -     -     -     -     -     -     x"},
      {"/hotline.sla.v1.SlaTracker/StartClock",            "x     x     x     -     -     -     x     x"},
      {"/hotline.sla.v1.SlaTracker/StopClock",             "x     x     x     -     -     -     x     x"},
      {"/hotline.sla.v1.SlaTracker/PauseClock",            "x     x     x     -     -     -     x     x"},
      {"/hotline.sla.v1.SlaTracker/ResumeClock",           "x     x     x     -     -     -     x     x"},
      {"/hotline.sla.v1.SlaTracker/GetClocks",             "x     x     x     -     x     -     x     x"},
      {"/hotline.sla.v1.SlaTracker/ListOverdue",           "-     x     -     -     x     -     -     x"},
      {"/hotline.sla.v1.SlaTracker/ComputeDeadlines",      "-     -     -     -     -     -     x     x"},
      {"/hotline.sla.v1.SlaTracker/WatchEvents",           "-     x     -     -     x     -     -     x"},
      {"/hotline.sla.v1.SlaTracker/GetShiftReport",        "-     x     -     -     x     -     -     x"},

      {"/hotline.outage.v1.OutageNotices/PublishNotice",    "-     -     x     -     -     -     -     x"},
      {"/hotline.outage.v1.OutageNotices/AmendNotice",      "-     -     x     -     -     -     -     x"},
      {"/hotline.outage.v1.OutageNotices/CancelNotice",     "-     -     x     -     -     -     -     x"},
      {"/hotline.outage.v1.OutageNotices/StartNotice",      "-     -     x     -     -     -     -     x"},
      {"/hotline.outage.v1.OutageNotices/RestoreNotice",    "-     -     x     -     -     -     -     x"},
      {"/hotline.outage.v1.OutageNotices/ConfirmNotice",    "-     -     x     -     -     -     -     x"},
      {"/hotline.outage.v1.OutageNotices/GetNotice",        "x     x     x     x     x     x     x     x"},
      {"/hotline.outage.v1.OutageNotices/CheckAddress",     "x     x     x     -     x     -     x     x"},
      {"/hotline.outage.v1.OutageNotices/ListNotices",      "x     x     x     x     x     x     x     x"},
      {"/hotline.outage.v1.OutageNotices/WatchNotices",     "-     x     x     -     x     -     x     x"},
      {"/hotline.outage.v1.OutageNotices/GetReliability",   "-     x     x     -     x     -     -     x"},

      {"/hotline.survey.v1.CallbackSurveys/ScheduleCallback", "x     x     -     -     x     x     -     x"},
      {"/hotline.survey.v1.CallbackSurveys/NextCallback",     "x     -     -     -     -     x     -     x"},
      {"/hotline.survey.v1.CallbackSurveys/RecordAttempt",    "x     -     -     -     -     x     -     x"},
      {"/hotline.survey.v1.CallbackSurveys/RecordAnswer",     "x     -     -     -     -     x     -     x"},
      {"/hotline.survey.v1.CallbackSurveys/GetCallback",      "x     x     -     -     x     x     -     x"},
      {"/hotline.survey.v1.CallbackSurveys/GetSurveyStats",   "-     x     -     -     x     x     -     x"},
  };
  return *expected;
}
// clang-format on

// The grid line of `method` as one bool per role of kRoleColumns.
std::vector<bool> ExpectedRow(const std::string& method) {
  std::vector<bool> allowed;
  for (char c : Expected().at(method)) {
    if (c == 'x' || c == '-') {
      allowed.push_back(c == 'x');
    }
  }
  return allowed;
}

// "/pkg.Service/Method" of every RPC in the generated descriptors of the API's
// .proto files (HOTLINE_PROTO_FILES: the build's list of them).
std::vector<std::string> RpcsInTheProtos() {
  std::vector<std::string> rpcs;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (absl::string_view name : absl::StrSplit(HOTLINE_PROTO_FILES, ',', absl::SkipEmpty())) {
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(std::string(name));
    EXPECT_NE(file, nullptr) << name << " is not in the generated pool (is it linked?)";
    if (file == nullptr) {
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        rpcs.push_back(absl::StrCat("/", service->full_name(), "/", service->method(m)->name()));
      }
    }
  }
  return rpcs;
}

TEST(AccessTest, TheProtosAreFound) {
  std::vector<std::string> rpcs = RpcsInTheProtos();
  // Guards the walks below against an empty list.
  EXPECT_NE(std::find(rpcs.begin(), rpcs.end(), "/hotline.common.v1.EventSink/DeliverEvents"),
            rpcs.end());
  EXPECT_NE(std::find(rpcs.begin(), rpcs.end(), "/hotline.intake.v1.TicketIntake/CreateTicket"),
            rpcs.end());
  EXPECT_GE(rpcs.size(), Expected().size());
}

TEST(AccessTest, EveryRpcInTheProtosHasARow) {
  for (const std::string& rpc : RpcsInTheProtos()) {
    EXPECT_NE(FindMethodAccess(rpc), nullptr) << rpc << ": no row in libs/auth/access.cc";
    EXPECT_TRUE(Expected().contains(rpc)) << rpc << ": no line in this test's grid";
  }
}

TEST(AccessTest, EveryRowIsAnRpcInTheProtos) {
  std::vector<std::string> rpcs = RpcsInTheProtos();
  std::set<std::string> known(rpcs.begin(), rpcs.end());
  std::set<absl::string_view> seen;
  for (const MethodAccess& row : AccessTable()) {
    EXPECT_TRUE(known.contains(std::string(row.method))) << row.method << " is not an RPC";
    EXPECT_TRUE(seen.insert(row.method).second) << row.method << " has two rows";
    EXPECT_FALSE(row.action.empty()) << row.method;
  }
}

TEST(AccessTest, EveryRpcAndRoleGetsTheExpectedDecision) {
  for (const std::string& rpc : RpcsInTheProtos()) {
    if (!Expected().contains(rpc)) {
      continue;  // reported by EveryRpcInTheProtosHasARow
    }
    std::vector<bool> expected = ExpectedRow(rpc);
    ASSERT_EQ(expected.size(), std::size(kRoleColumns)) << rpc << ": grid line of wrong width";
    for (size_t i = 0; i < expected.size(); ++i) {
      Principal principal{"someone", kRoleColumns[i], ""};
      absl::Status status = Authorize(principal, rpc);
      EXPECT_EQ(status.ok(), expected[i]) << RoleName(kRoleColumns[i]) << " on " << rpc;
      if (!status.ok()) {
        EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
        EXPECT_EQ(status.message(), absl::StrCat("role ", RoleName(kRoleColumns[i]), " may not ",
                                                 FindMethodAccess(rpc)->action));
      }
    }
  }
}

TEST(AccessTest, OnlyTheServicePrincipalDeliversEvents) {
  constexpr absl::string_view kDeliver = "/hotline.common.v1.EventSink/DeliverEvents";
  absl::Status admin = Authorize(Principal{"ops", Role::kAdmin, ""}, kDeliver);
  EXPECT_EQ(admin.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(admin.message(), "role admin may not deliver events");
  EXPECT_TRUE(Authorize(Principal{"intake", Role::kService, ""}, kDeliver).ok());
}

TEST(AccessTest, AMethodWithoutARowIsRefusedToEveryone) {
  for (Role role : kRoleColumns) {
    absl::Status status = Authorize(Principal{"someone", role, ""}, "/hotline.x.v1.X/Unlisted");
    EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << RoleName(role);
    EXPECT_EQ(status.message(), "no access rule for /hotline.x.v1.X/Unlisted");
  }
}

}  // namespace
}  // namespace hotline::auth
