#include "tools/hotlinectl/values.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "libs/proto_time/proto_time.h"
#include "libs/text/idempotency_key.h"

namespace hotline::ctl {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1796000000);

TEST(ParseTimeValueTest, ReadsRfc3339NowAndOffsetsFromNow) {
  EXPECT_EQ(*ParseTimeValue("start", "now", kNow), kNow);
  EXPECT_EQ(*ParseTimeValue("start", "now+3h", kNow), kNow + absl::Hours(3));
  EXPECT_EQ(*ParseTimeValue("start", "now-10m", kNow), kNow - absl::Minutes(10));
  EXPECT_EQ(*ParseTimeValue("start", "+1h30m", kNow), kNow + absl::Minutes(90));
  EXPECT_EQ(*ParseTimeValue("start", "-45s", kNow), kNow - absl::Seconds(45));
  EXPECT_EQ(*ParseTimeValue("start", "2026-12-06T10:00:00+08:00", kNow),
            absl::FromCivil(absl::CivilSecond(2026, 12, 6, 2, 0, 0), absl::UTCTimeZone()));
  for (const char* bad : {"", "tomorrow", "now+", "now*3h", "2026-12-06", "+-3h", "nowish"}) {
    absl::StatusOr<absl::Time> t = ParseTimeValue("start", bad, kNow);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_TRUE(IsUsageError(t.status()));
    EXPECT_TRUE(absl::StartsWith(t.status().message(), "--start: '")) << t.status();
  }
}

TEST(ParseAddressPathTest, PartsFromTheProvinceDown) {
  absl::StatusOr<common::v1::Address> a = ParseAddressPath(
      "address", " Flow Province / Flow City/Flow County/Flow Town/Flow Village/8 River Road");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->province(), "Flow Province");
  EXPECT_EQ(a->city(), "Flow City");
  EXPECT_EQ(a->county(), "Flow County");
  EXPECT_EQ(a->township(), "Flow Town");
  EXPECT_EQ(a->village_or_community(), "Flow Village");
  EXPECT_EQ(a->street(), "8 River Road");
  EXPECT_EQ(AddressText(*a),
            "Flow Province/Flow City/Flow County/Flow Town/Flow Village/8 River Road");

  a = ParseAddressPath("area", "P/C//T/");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->county(), "");
  EXPECT_EQ(a->township(), "T");
  a->set_transformer_area("TA-7");
  EXPECT_EQ(AddressText(*a), "P/C/T area TA-7");

  EXPECT_FALSE(ParseAddressPath("area", "").ok());
  EXPECT_FALSE(ParseAddressPath("area", "//").ok());
  EXPECT_FALSE(ParseAddressPath("area", "a/b/c/d/e/f/g").ok());
}

TEST(ParseEnumFlagTest, TakesTheApiTextFormAndListsTheValuesWhenWrong) {
  EXPECT_EQ(*ParseEnumFlag<common::v1::TicketType>("type", "repair"),
            common::v1::TICKET_TYPE_REPAIR);
  EXPECT_EQ(*ParseEnumFlag<dispatch::v1::OrderStatus>("status", "IN-PROGRESS"),
            dispatch::v1::ORDER_STATUS_IN_PROGRESS);
  absl::StatusOr<common::v1::AreaClass> bad =
      ParseEnumFlag<common::v1::AreaClass>("area-class", "downtown");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(IsUsageError(bad.status()));
  EXPECT_EQ(bad.status().message(), "--area-class: 'downtown' is not one of urban, rural, remote");
  EXPECT_FALSE(ParseEnumFlag<common::v1::AreaClass>("area-class", "").ok());
  EXPECT_FALSE(ParseEnumFlag<common::v1::AreaClass>("area-class", "unspecified").ok());
}

TEST(ParseCountTest, PositiveWholeNumbersOnly) {
  EXPECT_EQ(*ParseCount("limit", "20"), 20);
  EXPECT_FALSE(ParseCount("limit", "0").ok());
  EXPECT_FALSE(ParseCount("limit", "-3").ok());
  EXPECT_FALSE(ParseCount("limit", "ten").ok());
}

TEST(CellsTest, TimesAndDurations) {
  EXPECT_EQ(TimeCell(google::protobuf::Timestamp(), absl::UTCTimeZone()), "");
  EXPECT_EQ(TimeCell(ToProtoTime(absl::FromCivil(absl::CivilSecond(2026, 12, 6, 2, 0, 5),
                                                 absl::UTCTimeZone())),
                     absl::FixedTimeZone(8 * 3600)),
            "2026-12-06 10:00:05");
  EXPECT_EQ(DurationCell(absl::Seconds(45)), "45s");
  EXPECT_EQ(DurationCell(absl::Minutes(90)), "1h30m");
  EXPECT_EQ(DurationCell(absl::Hours(51) + absl::Minutes(5)), "2d3h");
  EXPECT_EQ(DurationCell(-absl::Minutes(5)), "-5m");
  EXPECT_EQ(DurationCell(absl::ZeroDuration()), "0s");
}

TEST(NewIdempotencyKeyTest, FreshEachTimeAndAcceptedByTheServices) {
  std::string a = NewIdempotencyKey();
  std::string b = NewIdempotencyKey();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 36u);
  EXPECT_TRUE(absl::StartsWith(a, "ctl-"));
  EXPECT_TRUE(text::CheckIdempotencyKey("idempotency_key", a).ok());
}

}  // namespace
}  // namespace hotline::ctl
