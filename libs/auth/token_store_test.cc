#include "libs/auth/token_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace hotline::auth {
namespace {

using ::testing::HasSubstr;

const std::string kAgentLine = HashToken("agent-secret") + " agent alice";
const std::string kBranchLine = HashToken("branch-secret") + " branch north-branch b-017";

TEST(HashTokenTest, IsSha256InLowerCaseHex) {
  // SHA-256("abc") from FIPS 180-2.
  EXPECT_EQ(HashToken("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenStoreTest, ParsesCommentsBlankLinesAndEntries) {
  absl::StatusOr<TokenStore> store = TokenStore::Parse(absl::StrCat(
      "# hotline tokens\n\n", kAgentLine, "\n  # indented comment\n", kBranchLine, "\r\n\t\n"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->size(), 2u);

  absl::StatusOr<Principal> agent = store->AuthenticateToken("agent-secret");
  ASSERT_TRUE(agent.ok()) << agent.status();
  EXPECT_EQ(agent->name, "alice");
  EXPECT_EQ(agent->role, Role::kAgent);
  EXPECT_EQ(agent->branch_id, "");

  absl::StatusOr<Principal> branch = store->AuthenticateToken("branch-secret");
  ASSERT_TRUE(branch.ok()) << branch.status();
  EXPECT_EQ(branch->name, "north-branch");
  EXPECT_EQ(branch->role, Role::kBranch);
  EXPECT_EQ(branch->branch_id, "b-017");
}

TEST(TokenStoreTest, AcceptsUpperCaseHex) {
  std::string hash = HashToken("t");
  for (size_t i = 7; i < hash.size(); ++i) {
    hash[i] = static_cast<char>(std::toupper(hash[i]));
  }
  absl::StatusOr<TokenStore> store = TokenStore::Parse(hash + " service intake");
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(store->AuthenticateToken("t").ok());
}

TEST(TokenStoreTest, RejectsBadLinesNamingTheLine) {
  const std::string hash = HashToken("x");
  struct Case {
    std::string line;
    std::string problem;
  };
  for (const Case& c : std::vector<Case>{
           {hash + " agent", "expected"},
           {hash + " agent alice extra more", "expected"},
           {"sha256:abc agent alice", "64 hex digits"},
           {"md5:" + hash.substr(7) + " agent alice", "64 hex digits"},
           {"sha256:" + std::string(64, 'g') + " agent alice", "64 hex digits"},
           {hash + " root alice", "unknown role \"root\""},
           {hash + " branch north", "branch_id"},
           {hash + " agent alice b-017", "takes no branch_id"},
       }) {
    absl::StatusOr<TokenStore> store =
        TokenStore::Parse(absl::StrCat("# header\n", kAgentLine, "\n", c.line, "\n"));
    ASSERT_FALSE(store.ok()) << c.line;
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument) << c.line;
    EXPECT_THAT(std::string(store.status().message()), HasSubstr("line 3: ")) << c.line;
    EXPECT_THAT(std::string(store.status().message()), HasSubstr(c.problem)) << c.line;
  }
}

TEST(TokenStoreTest, RejectsTheSameTokenTwice) {
  absl::StatusOr<TokenStore> store =
      TokenStore::Parse(absl::StrCat(kAgentLine, "\n", HashToken("agent-secret"), " admin bob\n"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().message(), "line 2: same token hash as line 1");
}

TEST(TokenStoreTest, UnknownAndEmptyTokensAreUnauthenticatedWithoutEchoingThem) {
  absl::StatusOr<TokenStore> store = TokenStore::Parse(kAgentLine);
  ASSERT_TRUE(store.ok());
  absl::StatusOr<Principal> unknown = store->AuthenticateToken("guessed-secret");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().message(), "unknown token");
  absl::StatusOr<Principal> empty = store->AuthenticateToken("");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(empty.status().message(), "missing bearer token");
}

TEST(TokenStoreTest, LoadFileReadsTheFileAndNamesItInErrors) {
  char dir_template[] = "/tmp/hotline-tokens-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string good = dir + "/tokens";
  std::ofstream(good) << "# ops\n" << kBranchLine << "\n";
  absl::StatusOr<TokenStore> store = TokenStore::LoadFile(good);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->AuthenticateToken("branch-secret")->branch_id, "b-017");

  const std::string bad = dir + "/bad";
  std::ofstream(bad) << kAgentLine << "\nnonsense\n";
  absl::StatusOr<TokenStore> broken = TokenStore::LoadFile(bad);
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(broken.status().message()), HasSubstr(bad));
  EXPECT_THAT(std::string(broken.status().message()), HasSubstr("line 2"));

  absl::StatusOr<TokenStore> missing = TokenStore::LoadFile(dir + "/missing");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr(dir + "/missing"));

  std::remove(good.c_str());
  std::remove(bad.c_str());
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace hotline::auth
