#include "libs/pg/errors.h"

#include <gtest/gtest.h>

#include <pqxx/except>
#include <stdexcept>

#include "libs/status/status.h"

namespace hotline::pg {
namespace {

absl::Status Thrown(const std::function<void()>& thrower) {
  try {
    thrower();
  } catch (...) {
    return StatusFromCurrentException("saving ticket");
  }
  return absl::OkStatus();
}

TEST(ErrorsTest, LostConnectionsAreUnavailable) {
  EXPECT_EQ(Thrown([] { throw pqxx::broken_connection("gone"); }).code(),
            absl::StatusCode::kUnavailable);
  absl::Status doubt = Thrown([] { throw pqxx::in_doubt_error("lost"); });
  EXPECT_EQ(doubt.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(doubt.message().find("outcome is unknown"), absl::string_view::npos);
  EXPECT_EQ(Thrown([] { throw pqxx::sql_error("terminating", "SELECT 1", "57P01"); }).code(),
            absl::StatusCode::kUnavailable);
}

TEST(ErrorsTest, ConflictsAreAbortedSoTheyCanBeRetried) {
  EXPECT_EQ(Thrown([] { throw pqxx::serialization_failure("x"); }).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Thrown([] { throw pqxx::deadlock_detected("x"); }).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Thrown([] { throw pqxx::sql_error("x", "q", "40001"); }).code(),
            absl::StatusCode::kAborted);
}

TEST(ErrorsTest, UniqueViolationIsAlreadyExists) {
  absl::Status s = Thrown([] {
    throw pqxx::unique_violation("duplicate key value violates \"tickets_pkey\"\n", "INSERT",
                                 "23505");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(s.message(),
            "saving ticket: duplicate key value violates \"tickets_pkey\" [SQLSTATE 23505]");
}

TEST(ErrorsTest, EveryStatusIsMarkedSoClientsDoNotReadTheDatabasesText) {
  EXPECT_TRUE(HasServerDetail(Thrown([] { throw pqxx::broken_connection("gone"); })));
  EXPECT_TRUE(HasServerDetail(Thrown([] { throw pqxx::unique_violation("dup", "q", "23505"); })));
  EXPECT_TRUE(HasServerDetail(
      Thrown([] { throw pqxx::data_exception("invalid byte sequence", "q", "22021"); })));
  EXPECT_TRUE(HasServerDetail(Thrown([] { throw std::runtime_error("x"); })));
  EXPECT_TRUE(HasServerDetail(Thrown([] { throw 7; })));
  EXPECT_TRUE(HasServerDetail(Guarded("x", []() -> absl::Status { throw pqxx::failure("y"); })));
}

TEST(ErrorsTest, EverythingElseIsInternalWithTheMessage) {
  absl::Status s = Thrown([] { throw pqxx::sql_error("syntax error at \"SELEC\"", "q", "42601"); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("syntax error"), absl::string_view::npos);
  EXPECT_EQ(Thrown([] { throw std::runtime_error("boom"); }).message(), "saving ticket: boom");
  EXPECT_EQ(Thrown([] { throw 42; }).code(), absl::StatusCode::kInternal);
}

TEST(ErrorsTest, MultiLineServerMessagesBecomeOneLine) {
  absl::Status s = Thrown([] {
    throw pqxx::broken_connection("connection refused\n\tIs the server running on that host?\n");
  });
  EXPECT_EQ(s.message(), "saving ticket: connection refused Is the server running on that host?");
}

TEST(ErrorsTest, StatementTimeoutIsDeadlineExceeded) {
  EXPECT_EQ(CodeForSqlState("57014"), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(CodeForSqlState("55P03"), absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace hotline::pg
