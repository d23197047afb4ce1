#include "tools/hotlinectl/dev_tokens.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hotline::ctl {
namespace {

TEST(DevTokenOfRoleTest, FindsTheRolesToken) {
  const std::string file =
      "# made by tools/dev up\n"
      "agent dev-agent-0a1b\n"
      "\n"
      "dispatcher\tdev-dispatcher-2c3d\n"
      "branch dev-branch-4e5f  \n";
  EXPECT_EQ(*DevTokenOfRole(file, "agent"), "dev-agent-0a1b");
  EXPECT_EQ(*DevTokenOfRole(file, "dispatcher"), "dev-dispatcher-2c3d");
  EXPECT_EQ(*DevTokenOfRole(file, "branch"), "dev-branch-4e5f");
  absl::StatusOr<std::string> missing = DevTokenOfRole(file, "admin");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "no dev token for role 'admin' (the file has: agent, dispatcher, branch)");
  EXPECT_EQ(DevTokenOfRole("", "agent").status().message(),
            "no dev token for role 'agent' (the file has: none)");
}

TEST(DevTokenSearchDirsTest, CurrentDirectoryAndParentsThenTheExecutablesFolders) {
  EXPECT_EQ(DevTokenSearchDirs("/src/hotline/tools",
                               "/src/hotline/build/debug/tools/hotlinectl/hotlinectl"),
            (std::vector<std::string>{"/src/hotline/tools", "/src/hotline", "/src", "/",
                                      "/src/hotline/build/debug/tools/hotlinectl",
                                      "/src/hotline/build/debug/tools", "/src/hotline/build/debug",
                                      "/src/hotline/build"}));
  EXPECT_EQ(DevTokenSearchDirs("/", ""), (std::vector<std::string>{"/"}));
}

TEST(FindDevTokensFileTest, TakesTheFirstFolderThatHasTheFile) {
  std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / ("dev-tokens-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "checkout" / ".dev");
  std::filesystem::create_directories(root / "checkout" / "sub" / "dir");
  std::ofstream(root / "checkout" / ".dev" / "dev-tokens") << "agent a\n";
  std::string checkout = (root / "checkout").string();
  std::string inner = (root / "checkout" / "sub" / "dir").string();

  EXPECT_EQ(FindDevTokensFile(DevTokenSearchDirs(inner, "")), checkout + "/.dev/dev-tokens");
  EXPECT_EQ(FindDevTokensFile({(root / "nowhere").string()}), std::nullopt);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace hotline::ctl
