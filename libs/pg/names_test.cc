#include "libs/pg/names.h"

#include <gtest/gtest.h>

namespace hotline::pg {
namespace {

TEST(NamesTest, AcceptsPlainLowerCaseIdentifiers) {
  EXPECT_TRUE(ValidateSchemaName("intake").ok());
  EXPECT_TRUE(ValidateSchemaName("_x9").ok());
  EXPECT_TRUE(ValidateSchemaName(std::string(63, 'a')).ok());
}

TEST(NamesTest, RefusesNamesThatWouldNeedQuotingOrAreReserved) {
  for (const char* bad : {"", "Intake", "9lives", "a-b", "a b", "x;drop", "pg_temp", "a\"b"}) {
    absl::Status s = ValidateSchemaName(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("schema"), absl::string_view::npos) << bad;
  }
  EXPECT_FALSE(ValidateSchemaName(std::string(64, 'a')).ok());
}

TEST(NamesTest, QualifiesTables) {
  EXPECT_EQ(Qualified("sla", "outbox"), "sla.outbox");
  EXPECT_EQ(WithTable("DELETE FROM {t} WHERE id IN (SELECT id FROM {t})", "sla", "outbox"),
            "DELETE FROM sla.outbox WHERE id IN (SELECT id FROM sla.outbox)");
}

}  // namespace
}  // namespace hotline::pg
