// The text rule on real request messages: NUL and control characters are
// refused naming the field path, free-text fields may break lines, text is
// trimmed, lengths are capped, bytes are left alone.

#include "libs/rpc/request_text.h"

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/intake/v1/call_center.pb.h"
#include "hotline/intake/v1/intake.pb.h"

namespace hotline::rpc {
namespace {

using intake::v1::CreateTicketRequest;

// The message of the refusal, or "OK".
template <typename M>
std::string Refusal(M& message) {
  absl::Status s = CleanText(message);
  if (s.ok()) {
    return "OK";
  }
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return std::string(s.message());
}

TEST(RequestTextTest, ANulIsRefusedNamingTheFieldPath) {
  CreateTicketRequest r;
  r.mutable_customer()->set_name(std::string("张三") + '\0' + "李四");
  EXPECT_EQ(Refusal(r),
            "customer.name: must not hold control characters (U+0000, NUL, at character 3)");

  CreateTicketRequest a;
  a.mutable_address()->set_street(std::string("中山路") + '\0' + " 1号");
  EXPECT_TRUE(absl::StartsWith(Refusal(a), "address.street: must not hold control characters"))
      << Refusal(a);

  CreateTicketRequest d;
  d.set_description(std::string("停电") + '\0');
  EXPECT_TRUE(absl::StartsWith(Refusal(d), "description: must not hold control characters"));
}

TEST(RequestTextTest, OtherControlCharactersAreRefusedToo) {
  for (const std::string bad : {"a\x01z", "a\x1bz", "a\rz", "a\x7fz", "a\xc2\x85z", "a\xc2\x9fz"}) {
    CreateTicketRequest r;
    r.mutable_address()->set_county(bad);
    EXPECT_TRUE(absl::StartsWith(Refusal(r), "address.county: must not hold control characters"))
        << Refusal(r);
    CreateTicketRequest d;
    d.set_description(bad);
    EXPECT_TRUE(absl::StartsWith(Refusal(d), "description: must not hold control characters"))
        << Refusal(d);
  }
}

TEST(RequestTextTest, OnlyFreeTextFieldsMayBreakLines) {
  CreateTicketRequest ok;
  ok.set_description("第一行\n第二行\t(完)");
  ok.mutable_details()->mutable_consultation()->set_answer("a\nb");
  EXPECT_EQ(Refusal(ok), "OK");

  CreateTicketRequest bad;
  bad.mutable_address()->set_street("中山路\n1号");
  EXPECT_EQ(Refusal(bad),
            "address.street: must not hold control characters (U+000A at character 4); line "
            "breaks and tabs only in free-text fields");
}

TEST(RequestTextTest, TextIsTrimmedSoBlankReadsAsEmpty) {
  CreateTicketRequest r;
  r.mutable_customer()->set_name(" \t张三\xE3\x80\x80 ");
  r.mutable_address()->set_street("   ");
  r.mutable_address()->set_county("\xC2\xA0\xE3\x80\x80");
  r.set_description("\n  说明\n\n");
  ASSERT_EQ(Refusal(r), "OK");
  EXPECT_EQ(r.customer().name(), "张三");
  EXPECT_EQ(r.address().street(), "");
  EXPECT_EQ(r.address().county(), "");
  EXPECT_EQ(r.description(), "说明");
}

TEST(RequestTextTest, RepeatedFieldsAndNestedMessagesAreNamedByIndex) {
  intake::v1::SetAgentStateRequest s;
  s.add_queues("power");
  s.add_queues(" billing ");
  s.add_queues(std::string("x\0", 2));
  EXPECT_TRUE(absl::StartsWith(Refusal(s), "queues[2]: must not hold")) << Refusal(s);
  s.mutable_queues()->RemoveLast();
  EXPECT_EQ(Refusal(s), "OK");
  EXPECT_EQ(s.queues(1), "billing");

  common::v1::DeliverEventsRequest d;
  d.add_events()->set_topic("ticket.created");
  d.add_events()->set_topic("ticket.\x01");
  EXPECT_TRUE(absl::StartsWith(Refusal(d), "events[1].topic: must not hold")) << Refusal(d);
}

TEST(RequestTextTest, MapKeysAndValuesAreChecked) {
  google::protobuf::Struct value;
  (*value.mutable_fields())["k"].set_string_value(std::string("v\0", 2));
  EXPECT_TRUE(absl::StartsWith(Refusal(value), "fields[\"k\"].string_value: must not hold"))
      << Refusal(value);

  google::protobuf::Struct key;
  (*key.mutable_fields())[std::string("k\0", 2)].set_string_value("v");
  EXPECT_TRUE(absl::StartsWith(Refusal(key), "a key of fields: must not hold")) << Refusal(key);
}

TEST(RequestTextTest, LengthsAreCappedInCharacters) {
  CreateTicketRequest r;
  r.mutable_address()->set_landmark(std::string(kMaxLineCharacters, 'a'));
  EXPECT_EQ(Refusal(r), "OK");
  std::string wide;
  for (size_t i = 0; i < kMaxLineCharacters; ++i) {
    wide += "电";
  }
  r.mutable_address()->set_landmark(wide);  // 3000 bytes, 1000 characters
  EXPECT_EQ(Refusal(r), "OK");
  r.mutable_address()->set_landmark(wide + "a");
  EXPECT_EQ(Refusal(r), "address.landmark: at most 1000 characters");

  CreateTicketRequest d;
  d.set_description(std::string(kMaxMultilineCharacters, 'a'));
  EXPECT_EQ(Refusal(d), "OK");
  d.set_description(std::string(kMaxMultilineCharacters + 1, 'a'));
  EXPECT_EQ(Refusal(d), "description: at most 10000 characters");
}

TEST(RequestTextTest, TextThatIsNotUtf8IsRefused) {
  // Parsing refuses it before a handler runs; messages built in the process
  // are checked all the same.
  for (const std::string bad : {"a\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf"}) {
    CreateTicketRequest r;
    r.mutable_customer()->set_name(bad);
    EXPECT_TRUE(absl::StartsWith(Refusal(r), "customer.name: not valid UTF-8")) << Refusal(r);
  }
}

TEST(RequestTextTest, BytesAreNotText) {
  common::v1::DeliverEventsRequest d;
  common::v1::Event* e = d.add_events();
  e->set_topic("ticket.created");
  e->mutable_payload()->set_type_url("type.googleapis.com/x");
  e->mutable_payload()->set_value(std::string("\0\x01\xff ", 4));
  EXPECT_EQ(Refusal(d), "OK");
  EXPECT_EQ(d.events(0).payload().value().size(), 4u);
  EXPECT_TRUE(CleanRequest(nullptr).ok());
}

}  // namespace
}  // namespace hotline::rpc
