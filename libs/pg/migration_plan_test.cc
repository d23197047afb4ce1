#include "libs/pg/migration_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/pg/library_migrations.h"

namespace hotline::pg {
namespace {

using ::testing::HasSubstr;

const std::vector<Migration> kMigrations = {
    {1, "init", "CREATE TABLE tickets (id bigint);"},
    {2, "phone", "ALTER TABLE tickets ADD phone text;"},
    {5, "index", "CREATE INDEX ON tickets (phone);"},
};

AppliedMigration Applied(const Migration& m, std::string component = "service") {
  return {std::move(component), m.version, m.name, MigrationChecksum(m.sql)};
}

std::vector<int> Versions(const std::vector<const Migration*>& pending) {
  std::vector<int> out;
  for (const Migration* m : pending) {
    out.push_back(m->version);
  }
  return out;
}

TEST(MigrationPlanTest, ChecksumIsSha256Hex) {
  EXPECT_EQ(MigrationChecksum(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(MigrationChecksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(MigrationPlanTest, AcceptsStrictlyIncreasingVersions) {
  EXPECT_TRUE(ValidateMigrations(kMigrations).ok());
  EXPECT_TRUE(ValidateMigrations({}).ok());
  EXPECT_TRUE(ValidateMigrations(LibraryMigrations()).ok());
}

TEST(MigrationPlanTest, RefusesVersionsOutOfOrderRepeatedOrBelowOne) {
  for (const auto& bad : std::vector<std::vector<Migration>>{
           {{2, "b", ""}, {1, "a", ""}}, {{1, "a", ""}, {1, "b", ""}}, {{0, "zero", ""}}}) {
    absl::Status s = ValidateMigrations(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("strictly increasing"));
  }
  EXPECT_EQ(ValidateMigrations({{1, "", "SELECT 1"}}).code(), absl::StatusCode::kInvalidArgument);
}

TEST(MigrationPlanTest, EverythingIsPendingOnAnEmptySchema) {
  auto pending = PendingMigrations("service", kMigrations, {});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(Versions(*pending), (std::vector<int>{1, 2, 5}));
}

TEST(MigrationPlanTest, OnlyTheNewOnesArePending) {
  auto pending = PendingMigrations("service", kMigrations,
                                   {Applied(kMigrations[0]), Applied(kMigrations[1]),
                                    // Another component's rows do not count.
                                    Applied(kMigrations[2], "hotline.pg")});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(Versions(*pending), (std::vector<int>{5}));
}

TEST(MigrationPlanTest, AChangedAppliedMigrationIsRefusedByVersionAndName) {
  AppliedMigration changed = Applied(kMigrations[1]);
  changed.checksum = MigrationChecksum("ALTER TABLE tickets ADD mobile text;");
  auto pending = PendingMigrations("service", kMigrations, {Applied(kMigrations[0]), changed});
  EXPECT_EQ(pending.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(pending.status().message(), HasSubstr("migration 2 \"phone\" was changed"));
}

TEST(MigrationPlanTest, AMigrationAddedBelowTheNewestAppliedIsRefused) {
  auto pending =
      PendingMigrations("service", kMigrations, {Applied(kMigrations[0]), Applied(kMigrations[2])});
  EXPECT_EQ(pending.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(pending.status().message(), HasSubstr("migration 2 \"phone\" is not applied"));
}

TEST(MigrationPlanTest, AppliedVersionsUnknownToTheBinaryAreAccepted) {
  Migration newer{9, "newer", "SELECT 9"};
  auto pending = PendingMigrations(
      "service", kMigrations,
      {Applied(kMigrations[0]), Applied(kMigrations[1]), Applied(kMigrations[2]), Applied(newer)});
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

}  // namespace
}  // namespace hotline::pg
