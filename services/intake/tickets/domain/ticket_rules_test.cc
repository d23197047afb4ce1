// Deadlines, ticket numbers, the role table, settings, cursors and enum texts.

#include <gtest/gtest.h>

#include "libs/config/settings.h"
#include "libs/proto_enum/enum_text.h"
#include "services/intake/tickets/domain/ticket_cursor.h"
#include "services/intake/tickets/domain/ticket_deadlines.h"
#include "services/intake/tickets/domain/ticket_number.h"
#include "services/intake/tickets/ticket_settings.h"

namespace hotline::intake {
namespace {

using common::v1::TicketStatus;
using common::v1::TicketType;

const absl::Time kCreated = absl::FromUnixSeconds(1795000000);

TEST(DeadlinesTest, DomainDefaultsPerType) {
  DeadlinePolicy policy;
  auto repair = DeadlinesFor(TicketType::TICKET_TYPE_REPAIR, kCreated, policy);
  ASSERT_EQ(repair.size(), 1u);
  EXPECT_EQ(repair[0].kind, v1::DEADLINE_KIND_SEND_ORDER);
  EXPECT_EQ(repair[0].due_at, kCreated + absl::Minutes(5));

  auto complaint = DeadlinesFor(TicketType::TICKET_TYPE_COMPLAINT, kCreated, policy);
  ASSERT_EQ(complaint.size(), 1u);
  EXPECT_EQ(complaint[0].due_at, kCreated + absl::Hours(48));

  auto report = DeadlinesFor(TicketType::TICKET_TYPE_REPORT, kCreated, policy);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].due_at, kCreated + absl::Hours(9 * 24));

  auto consultation = DeadlinesFor(TicketType::TICKET_TYPE_CONSULTATION, kCreated, policy);
  ASSERT_EQ(consultation.size(), 2u);
  EXPECT_EQ(consultation[1].kind, v1::DEADLINE_KIND_RESULT);

  auto application = DeadlinesFor(TicketType::TICKET_TYPE_APPLICATION, kCreated, policy);
  ASSERT_EQ(application.size(), 1u);
  EXPECT_EQ(application[0].kind, v1::DEADLINE_KIND_CONTACT);
  EXPECT_EQ(application[0].due_at, kCreated + absl::Hours(72));

  EXPECT_TRUE(DeadlinesFor(TicketType::TICKET_TYPE_PRAISE, kCreated, policy).empty());
  EXPECT_TRUE(DeadlinesFor(TicketType::TICKET_TYPE_URGING, kCreated, policy).empty());
}

TEST(DeadlinesTest, LimitsComeFromThePolicy) {
  DeadlinePolicy policy;
  policy.repair_send_order = absl::Minutes(3);
  EXPECT_EQ(DeadlinesFor(TicketType::TICKET_TYPE_REPAIR, kCreated, policy)[0].due_at,
            kCreated + absl::Minutes(3));
}

TEST(DeadlinesTest, StagesMeetTheirDeadlines) {
  EXPECT_TRUE(DeadlinesMetAt(TicketStatus::TICKET_STATUS_ROUTED).empty());
  EXPECT_EQ(DeadlinesMetAt(TicketStatus::TICKET_STATUS_DISPATCHED),
            std::vector<v1::DeadlineKind>{v1::DEADLINE_KIND_SEND_ORDER});
  EXPECT_EQ(DeadlinesMetAt(TicketStatus::TICKET_STATUS_RESOLVED).size(), 3u);
  EXPECT_TRUE(DeadlinesMetAt(TicketStatus::TICKET_STATUS_CANCELLED).empty());
}

TEST(TicketNumberTest, PrefixLocalDayAndSequence) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  // 2026-11-23 17:00 UTC is already 24 November in Shanghai.
  absl::Time evening =
      absl::FromCivil(absl::CivilSecond(2026, 11, 23, 17, 0, 0), absl::UTCTimeZone());
  absl::CivilDay day = NumberingDay(evening, shanghai);
  EXPECT_EQ(FormatTicketNumber("GD", day, 42), "GD-20261124-000042");
  EXPECT_EQ(FormatTicketNumber("GD", day, 1234567), "GD-20261124-1234567");
}

TEST(TicketSettingsTest, DefaultsAreValidAndBadOnesAreNamed) {
  TicketSettings settings;
  EXPECT_TRUE(settings.Validate().ok());
  config::Settings flags("hotline-intake", "test");
  settings.Register(flags);
  const char* argv[] = {"hotline-intake", "--duplicate-repair-window=30m",
                        "--deadline-report-result=240h"};
  const char* envp[] = {nullptr};
  ASSERT_TRUE(flags.Parse(3, argv, envp).ok());
  EXPECT_EQ(settings.duplicate_repair_window, absl::Minutes(30));
  EXPECT_EQ(settings.deadlines.report_result, absl::Hours(240));

  TicketSettings bad;
  bad.number_time_zone = "Mars/Olympus";
  EXPECT_NE(bad.Validate().message().find("--ticket-number-time-zone"), absl::string_view::npos);
  bad = TicketSettings();
  bad.number_prefix = "G-D";
  EXPECT_NE(bad.Validate().message().find("--ticket-number-prefix"), absl::string_view::npos);
  bad = TicketSettings();
  bad.deadlines.complaint_result = absl::ZeroDuration();
  EXPECT_EQ(bad.Validate().message(), "setting --deadline-complaint-result: must be positive");
}

TEST(TicketCursorTest, RoundTripsAndRefusesJunk) {
  PageCursor cursor;
  cursor.created_at = absl::FromUnixMicros(1795000000123456);
  cursor.ticket_id = "0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e";
  auto decoded = DecodeCursor(EncodeCursor(cursor));
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(decoded->has_value());
  EXPECT_EQ((*decoded)->created_at, cursor.created_at);
  EXPECT_EQ((*decoded)->ticket_id, cursor.ticket_id);
  EXPECT_FALSE(DecodeCursor("")->has_value());
  EXPECT_EQ(DecodeCursor("not a cursor").status().message(), "page.cursor: malformed");
  EXPECT_EQ(DecodeCursor("dDE6MTI6eA").status().message(), "page.cursor: malformed");
}

}  // namespace
}  // namespace hotline::intake
