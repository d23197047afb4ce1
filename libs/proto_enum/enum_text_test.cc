#include "libs/proto_enum/enum_text.h"

#include <gtest/gtest.h>

#include "hotline/common/v1/common.pb.h"
#include "hotline/dispatch/v1/dispatch.pb.h"

namespace hotline {
namespace {

using common::v1::TicketStatus;

TEST(EnumTextTest, IsTheValueNameWithoutItsPrefixInLowerCase) {
  EXPECT_EQ(EnumText(common::v1::TICKET_STATUS_IN_PROGRESS), "in_progress");
  EXPECT_EQ(EnumText(common::v1::CHANNEL_TRANSFER_12345), "transfer_12345");
  EXPECT_EQ(EnumText(common::v1::TICKET_TYPE_REPAIR), "repair");
  EXPECT_EQ(EnumText(dispatch::v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY), "village_or_community");
}

TEST(EnumTextTest, ZeroAndUndeclaredNumbersAreEmpty) {
  EXPECT_EQ(EnumText(common::v1::TICKET_STATUS_UNSPECIFIED), "");
  EXPECT_EQ(EnumText(static_cast<TicketStatus>(99)), "");
}

TEST(EnumTextTest, ParsesBackEveryDeclaredValue) {
  const google::protobuf::EnumDescriptor* d = google::protobuf::GetEnumDescriptor<TicketStatus>();
  for (int i = 0; i < d->value_count(); ++i) {
    const auto value = static_cast<TicketStatus>(d->value(i)->number());
    EXPECT_EQ(ParseEnumText<TicketStatus>(EnumText(value)), value) << d->value(i)->name();
  }
}

TEST(EnumTextTest, RefusesUnknownTextsTheZeroNameAndOtherCases) {
  EXPECT_EQ(ParseEnumText<TicketStatus>(""), common::v1::TICKET_STATUS_UNSPECIFIED);
  EXPECT_EQ(ParseEnumText<TicketStatus>("unspecified"), std::nullopt);
  EXPECT_EQ(ParseEnumText<TicketStatus>("nonsense"), std::nullopt);
  EXPECT_EQ(ParseEnumText<TicketStatus>("In_Progress"), std::nullopt);
  EXPECT_EQ(ParseEnumText<TicketStatus>("TICKET_STATUS_IN_PROGRESS"), std::nullopt);
}

TEST(EnumTextTest, ARequiredValueRefusesTheEmptyText) {
  EXPECT_EQ(ParseRequiredEnumText<TicketStatus>(""), std::nullopt);
  EXPECT_EQ(ParseRequiredEnumText<TicketStatus>("closed"), common::v1::TICKET_STATUS_CLOSED);
}

}  // namespace
}  // namespace hotline
