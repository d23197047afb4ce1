#include "libs/text/idempotency_key.h"

#include <gtest/gtest.h>

#include <string>

namespace hotline::text {
namespace {

TEST(CheckIdempotencyKeyTest, OneTo128PrintableCharacters) {
  EXPECT_TRUE(CheckIdempotencyKey("idempotency_key", "k").ok());
  EXPECT_TRUE(CheckIdempotencyKey("idempotency_key", "!~pub-2026:12/01#001").ok());
  EXPECT_TRUE(CheckIdempotencyKey("idempotency_key", std::string(128, 'k')).ok());
}

TEST(CheckIdempotencyKeyTest, RefusalsNameTheField) {
  EXPECT_EQ(CheckIdempotencyKey("request.key", "").message(), "request.key: required");
  EXPECT_EQ(CheckIdempotencyKey("request.key", std::string(129, 'k')).message(),
            "request.key: at most 128 characters");
  EXPECT_EQ(CheckIdempotencyKey("request.key", "abc", 2).message(),
            "request.key: at most 2 characters");
  for (const std::string& bad :
       std::initializer_list<std::string>{"a b", "a\tb", std::string("a\0b", 3), "a\x7f", "键"}) {
    const absl::Status s = CheckIdempotencyKey("request.key", bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.message(), "request.key: printable ASCII without spaces only") << bad;
  }
}

}  // namespace
}  // namespace hotline::text
