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

TEST(RoleTest, RoleSetsHoldTheirRolesOnly) {
  RoleSet people = Roles({Role::kAgent, Role::kAdmin});
  EXPECT_TRUE(Contains(people, Role::kAgent));
  EXPECT_TRUE(Contains(people, Role::kAdmin));
  EXPECT_FALSE(Contains(people, Role::kService));
  for (absl::string_view name : {"agent", "shift_leader", "dispatcher", "branch", "supervisor",
                                 "discipline", "service", "admin"}) {
    EXPECT_TRUE(Contains(kEveryRole, *ParseRole(name))) << name;
  }
}

}  // namespace
}  // namespace hotline::auth
