#include "libs/auth/role.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hotline::auth {
namespace {

TEST(RoleTest, ParsesEveryNameAndBack) {
  for (absl::string_view name : {"agent", "shift_leader", "dispatcher", "branch", "supervisor",
                                 "discipline", "service", "admin"}) {
    absl::StatusOr<Role> role = ParseRole(name);
    ASSERT_TRUE(role.ok()) << name;
    EXPECT_EQ(RoleName(*role), name);
  }
  EXPECT_EQ(*ParseRole("shift_leader"), Role::kShiftLeader);
}

TEST(RoleTest, RejectsUnknownNames) {
  for (absl::string_view name : {"", "Agent", "root", "agent "}) {
    absl::StatusOr<Role> role = ParseRole(name);
    ASSERT_FALSE(role.ok()) << name;
    EXPECT_EQ(role.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_THAT(std::string(ParseRole("root").status().message()), ::testing::HasSubstr("root"));
}

TEST(RoleTest, RequireRoleAllowsListedRolesAndAdmin) {
  Principal agent{"alice", Role::kAgent, ""};
  Principal admin{"ops", Role::kAdmin, ""};
  Principal branch{"north", Role::kBranch, "b-017"};
  EXPECT_TRUE(RequireRole(agent, {Role::kAgent, Role::kShiftLeader}, "create tickets").ok());
  EXPECT_TRUE(RequireRole(admin, {Role::kAgent}, "create tickets").ok());
  EXPECT_TRUE(RequireRole(admin, {}, "rotate keys").ok());

  absl::Status denied = RequireRole(branch, {Role::kDispatcher}, "publish outage notices");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "role branch may not publish outage notices");
  EXPECT_EQ(RequireRole(agent, {}, "rotate keys").code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace hotline::auth
