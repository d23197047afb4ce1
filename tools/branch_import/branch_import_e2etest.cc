// hotline-branch-import against the running dispatch service: good rows are
// upserted, bad rows are reported with their line numbers, a progress line
// is printed, and importing the same file again changes nothing.

#include <grpcpp/client_context.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "tests/fixtures/backend.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

std::vector<dispatch::v1::Branch> AllBranches(const Backend& backend) {
  auto stub = dispatch::v1::Dispatch::NewStub(backend.Channel("dispatch"));
  dispatch::v1::ListBranchesRequest request;
  request.mutable_page()->set_page_size(500);
  dispatch::v1::ListBranchesResponse response;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + backend.Token("agent"));
  EXPECT_TRUE(stub->ListBranches(&context, request, &response).ok());
  return {response.branches().begin(), response.branches().end()};
}

TEST(BranchImportTest, ImportsGoodRowsReportsBadOnesAndIsIdempotent) {
  auto started = Backend::Start();
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);

  std::string dir = ::testing::TempDir();
  std::string csv = dir + "/branches.csv";
  std::ofstream(csv)
      << "branch_id,name,kind,parent_id,duty_phone,area_class,arrival_limit_minutes,"
         "ticket_types,fault_scopes,territory\n"
         "# the crew comes before its station: the tool sends the station first\n"
         "RC-SX,Shixi repair crew,repair_crew,SS-SX,0578-6210110,rural,,repair,public_network,"
         "feeder:F10-SX-201;transformer_area:TA-SX-0007\n"
         "SS-SX,Shixi township supply station,supply_station,,0578-6210100,rural,90,"
         "repair;application;query,public_network;meter_box,"
         "\"township:Demo Province/Qingyuan/Liandu District/Shixi Town\"\n"
         "BAD-1,Bad kind,bakery,,,urban,,repair,,\n"
         "BAD-2,Bad territory,supply_station,,,urban,,repair,,township:Demo Province\n"
         "BAD-3,Bad area,supply_station,,,downtown,,repair,,\n"
         "MKT,Marketing,marketing,,0571-95598010,urban,,complaint;suggestion;praise,,"
         "province:Demo Province\n";
  std::string token_file = dir + "/admin.token";
  std::ofstream(token_file) << backend->Token("admin") << "\n";
  std::string tool = BinaryDir() + "/tools/branch_import/hotline-branch-import";
  std::string command = absl::StrCat(tool, " --file=", csv, " --token-file=", token_file,
                                     " --target=127.0.0.1:", backend->service("dispatch").port);

  CommandResult first = RunCommand(command);
  EXPECT_EQ(first.exit_code, 1) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, csv + ":5: BAD-1: kind")) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, csv + ":6: BAD-2: territory[0]")) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, csv + ":7: area_class")) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, "progress: 6/6 rows, 3 imported, 3 bad"))
      << first.output;

  std::vector<dispatch::v1::Branch> branches = AllBranches(*backend);
  ASSERT_EQ(branches.size(), 3u);
  EXPECT_EQ(branches[1].branch_id(), "RC-SX");
  EXPECT_EQ(branches[1].parent_id(), "SS-SX");
  EXPECT_EQ(branches[1].territory_size(), 2);
  EXPECT_EQ(branches[1].arrival_limit_minutes(), 90);  // the rural default

  CommandResult again = RunCommand(command);
  EXPECT_EQ(again.exit_code, 1) << again.output;
  std::vector<dispatch::v1::Branch> after = AllBranches(*backend);
  ASSERT_EQ(after.size(), branches.size());
  for (size_t i = 0; i < after.size(); ++i) {
    after[i].clear_updated_at();
    branches[i].clear_updated_at();
    EXPECT_EQ(after[i].SerializeAsString(), branches[i].SerializeAsString()) << i;
  }

  // Wrong token: refused, exit 3; no file: exit 2; --help.
  std::ofstream(token_file) << backend->Token("agent") << "\n";
  EXPECT_EQ(RunCommand(command).exit_code, 3);
  EXPECT_EQ(RunCommand(tool + " --token-file=" + token_file).exit_code, 2);
  CommandResult help = RunCommand(tool + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(help.output, "--file")) << help.output;
}

}  // namespace
}  // namespace hotline::testing
