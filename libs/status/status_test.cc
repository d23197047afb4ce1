#include "libs/status/status.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "absl/strings/match.h"

namespace hotline {
namespace {

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) {
    return absl::InvalidArgumentError("n: must be even");
  }
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  HOTLINE_ASSIGN_OR_RETURN(int half, Half(n));
  HOTLINE_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n) {
  HOTLINE_RETURN_IF_ERROR(Half(n).status());
  return absl::OkStatus();
}

bool HidesItsMessage(int code) {
  return code == static_cast<int>(absl::StatusCode::kUnknown) ||
         code == static_cast<int>(absl::StatusCode::kInternal) ||
         code == static_cast<int>(absl::StatusCode::kDataLoss);
}

TEST(StatusTest, MapsEveryCanonicalCodeAndKeepsTheMessage) {
  for (int code = 1; code <= 16; ++code) {
    if (HidesItsMessage(code)) {
      continue;
    }
    absl::Status in(static_cast<absl::StatusCode>(code), "phone: not a mobile number");
    grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_EQ(out.error_message(), "phone: not a mobile number");
    EXPECT_EQ(FromGrpcStatus(out), in);
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcStatus(absl::FailedPreconditionError("x")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// The id in "internal error (id ...)", or "" when the message is not that.
std::string IdOf(const std::string& message) {
  static const std::regex kShape(R"(^[^()]+ \(id ([0-9a-f]{16})\)$)");
  std::smatch match;
  return std::regex_match(message, match, kShape) ? match[1].str() : "";
}

TEST(StatusTest, InternalErrorsReachTheClientAsAnIdThatTheLogExplains) {
  const std::string raw =
      "insert ticket: ERROR:  invalid byte sequence for encoding \"UTF8\": 0x00 [SQLSTATE 22021]";
  for (absl::StatusCode code :
       {absl::StatusCode::kInternal, absl::StatusCode::kUnknown, absl::StatusCode::kDataLoss}) {
    ::testing::internal::CaptureStderr();
    grpc::Status out = ToGrpcStatus(absl::Status(code, raw));
    std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(static_cast<int>(out.error_code()), static_cast<int>(code));
    EXPECT_TRUE(absl::StartsWith(out.error_message(), "internal error (id "))
        << out.error_message();
    std::string id = IdOf(out.error_message());
    ASSERT_FALSE(id.empty()) << out.error_message();
    EXPECT_FALSE(absl::StrContains(out.error_message(), "SQLSTATE"));
    // One log line holds the id and the whole text.
    EXPECT_TRUE(absl::StrContains(log, absl::StrCat("id ", id))) << log;
    EXPECT_TRUE(absl::StrContains(log, raw)) << log;
  }
  // Two errors get two ids.
  ::testing::internal::CaptureStderr();
  std::string a = ToGrpcStatus(absl::InternalError("x")).error_message();
  std::string b = ToGrpcStatus(absl::InternalError("x")).error_message();
  ::testing::internal::GetCapturedStderr();
  EXPECT_NE(IdOf(a), IdOf(b));
}

TEST(StatusTest, ServerDetailKeepsItsCodeButNotItsText) {
  const std::string raw =
      "load order: could not connect to server: Connection refused Is the server running on "
      "host \"10.0.0.7\"";
  absl::Status marked = MarkServerDetail(absl::UnavailableError(raw));
  EXPECT_TRUE(HasServerDetail(marked));
  EXPECT_FALSE(HasServerDetail(absl::UnavailableError(raw)));
  EXPECT_EQ(marked.message(), raw);  // the text stays for logs and callers inside

  ::testing::internal::CaptureStderr();
  grpc::Status out = ToGrpcStatus(marked);
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.error_code(), grpc::StatusCode::UNAVAILABLE);
  std::string id = IdOf(out.error_message());
  ASSERT_FALSE(id.empty()) << out.error_message();
  EXPECT_FALSE(absl::StrContains(out.error_message(), "10.0.0.7"));
  EXPECT_TRUE(absl::StrContains(log, id)) << log;
  EXPECT_TRUE(absl::StrContains(log, raw)) << log;

  // Every code the SQLSTATE mapping produces says something of its own.
  for (absl::StatusCode code :
       {absl::StatusCode::kAlreadyExists, absl::StatusCode::kAborted,
        absl::StatusCode::kDeadlineExceeded, absl::StatusCode::kUnavailable}) {
    ::testing::internal::CaptureStderr();
    grpc::Status o = ToGrpcStatus(MarkServerDetail(absl::Status(code, raw)));
    ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(static_cast<int>(o.error_code()), static_cast<int>(code));
    EXPECT_FALSE(IdOf(o.error_message()).empty()) << o.error_message();
  }
}

TEST(StatusTest, PrefixMessageKeepsTheCodeAndTheMark) {
  absl::Status marked = MarkServerDetail(absl::AbortedError("could not serialize"));
  absl::Status prefixed = PrefixMessage("batch 3: ", marked);
  EXPECT_EQ(prefixed.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(prefixed.message(), "batch 3: could not serialize");
  EXPECT_TRUE(HasServerDetail(prefixed));
  EXPECT_TRUE(PrefixMessage("x: ", absl::OkStatus()).ok());
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(3).status().message(), "n: must be even");
}

TEST(StatusTest, ReturnIfErrorStopsOnError) {
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hotline
