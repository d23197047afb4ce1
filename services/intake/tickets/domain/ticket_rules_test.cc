// Deadlines (sla's stages as intake's kinds), ticket numbers, the role
// table, settings, cursors, enum texts, where ticket events go and what
// ticket.resolved carries.

#include <gtest/gtest.h>

#include "libs/config/settings.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "services/intake/tickets/domain/ticket_cursor.h"
#include "services/intake/tickets/domain/ticket_deadlines.h"
#include "services/intake/tickets/domain/ticket_events.h"
#include "services/intake/tickets/domain/ticket_number.h"
#include "services/intake/tickets/ticket_settings.h"

namespace hotline::intake {
namespace {

using common::v1::TicketStatus;
using common::v1::TicketType;

const absl::Time kCreated = absl::FromUnixSeconds(1795000000);

sla::v1::StageDeadline Stage(sla::v1::Stage stage, absl::Time due) {
  sla::v1::StageDeadline d;
  d.set_stage(stage);
  *d.mutable_due_at() = ToProtoTime(due);
  return d;
}

TEST(DeadlinesTest, SlaStagesShowAsTheirKinds) {
  EXPECT_EQ(DeadlineKindOf(sla::v1::STAGE_DISPATCH), v1::DEADLINE_KIND_SEND_ORDER);
  EXPECT_EQ(DeadlineKindOf(sla::v1::STAGE_CONSULTATION_DISPATCH), v1::DEADLINE_KIND_SEND_ORDER);
  EXPECT_EQ(DeadlineKindOf(sla::v1::STAGE_DEPARTMENT_ANSWER), v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(DeadlineKindOf(sla::v1::STAGE_COMPLAINT_RESULT), v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(DeadlineKindOf(sla::v1::STAGE_REPORT_RESULT), v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(DeadlineKindOf(sla::v1::STAGE_APPLICATION_CONTACT), v1::DEADLINE_KIND_CONTACT);
  EXPECT_FALSE(DeadlineKindOf(sla::v1::STAGE_ARRIVAL).has_value());
  EXPECT_FALSE(DeadlineKindOf(sla::v1::STAGE_CUSTOMER_REPLY).has_value());
  EXPECT_FALSE(DeadlineKindOf(sla::v1::STAGE_VOICEMAIL).has_value());
  EXPECT_FALSE(DeadlineKindOf(sla::v1::STAGE_UNSPECIFIED).has_value());
}

TEST(DeadlinesTest, OnlyTypesWithAShownStageAskForDeadlines) {
  for (TicketType type : {TicketType::TICKET_TYPE_REPAIR, TicketType::TICKET_TYPE_CONSULTATION,
                          TicketType::TICKET_TYPE_QUERY, TicketType::TICKET_TYPE_COMPLAINT,
                          TicketType::TICKET_TYPE_REPORT, TicketType::TICKET_TYPE_APPLICATION}) {
    EXPECT_TRUE(TypeHasDeadlines(type)) << EnumText(type);
  }
  for (TicketType type : {TicketType::TICKET_TYPE_SUGGESTION, TicketType::TICKET_TYPE_PRAISE,
                          TicketType::TICKET_TYPE_URGING}) {
    EXPECT_FALSE(TypeHasDeadlines(type)) << EnumText(type);
  }
}

// A consultation's quote: the dispatch and the department's answer are
// shown, the customer reply is not; microseconds are what is kept.
TEST(DeadlinesTest, AQuoteKeepsTheShownStagesOnePerKind) {
  google::protobuf::RepeatedPtrField<sla::v1::StageDeadline> quote;
  *quote.Add() = Stage(sla::v1::STAGE_DEPARTMENT_ANSWER, kCreated + absl::Hours(96));
  *quote.Add() = Stage(sla::v1::STAGE_CUSTOMER_REPLY, kCreated + absl::Hours(120));
  *quote.Add() = Stage(sla::v1::STAGE_CONSULTATION_DISPATCH,
                       kCreated + absl::Minutes(5) + absl::Nanoseconds(7));
  std::vector<TicketDeadline> deadlines = DeadlinesOfQuote(quote);
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0].kind, v1::DEADLINE_KIND_SEND_ORDER);
  EXPECT_EQ(deadlines[0].due_at, kCreated + absl::Minutes(5));
  EXPECT_EQ(deadlines[1].kind, v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(deadlines[1].due_at, kCreated + absl::Hours(96));

  // Two stages shown as one kind: the earlier due time.
  *quote.Add() = Stage(sla::v1::STAGE_COMPLAINT_RESULT, kCreated + absl::Hours(48));
  deadlines = DeadlinesOfQuote(quote);
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[1].due_at, kCreated + absl::Hours(48));
}

TEST(DeadlinesTest, OnlyTheTicketsOwnClockOfAShownStageSetsADeadline) {
  sla::v1::Clock clock;
  clock.set_stage(sla::v1::STAGE_COMPLAINT_RESULT);
  *clock.mutable_due_at() = ToProtoTime(kCreated + absl::Hours(72));
  std::optional<TicketDeadline> deadline = DeadlineOfClock(clock);
  ASSERT_TRUE(deadline.has_value());
  EXPECT_EQ(deadline->kind, v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(deadline->due_at, kCreated + absl::Hours(72));

  sla::v1::Clock unit = clock;
  unit.set_unit("BR-9");
  EXPECT_FALSE(DeadlineOfClock(unit).has_value());
  sla::v1::Clock arrival = clock;
  arrival.set_stage(sla::v1::STAGE_ARRIVAL);
  EXPECT_FALSE(DeadlineOfClock(arrival).has_value());
  sla::v1::Clock no_due = clock;
  no_due.clear_due_at();
  EXPECT_FALSE(DeadlineOfClock(no_due).has_value());
}

TEST(DeadlinesTest, AnActionReadsWithItsStageUnitTargetsAndLocalTime) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  sla::v1::SlaAction action;
  action.set_kind(sla::v1::ACTION_KIND_SUPERVISION);
  action.mutable_clock()->set_stage(sla::v1::STAGE_ARRIVAL);
  action.mutable_clock()->set_unit("BR-9");
  action.add_targets("shift_leader");
  action.add_targets("BR-ROOT");
  action.set_detail("30m past due");
  // 2026-11-23 03:30 UTC is 11:30 in Shanghai.
  *action.mutable_at() =
      ToProtoTime(absl::FromCivil(absl::CivilSecond(2026, 11, 23, 3, 30, 0), absl::UTCTimeZone()));
  EXPECT_EQ(DescribeSlaAction(action, shanghai),
            "supervision: stage arrival, unit BR-9, to shift_leader, BR-ROOT; 30m past due; "
            "at 2026-11-23 11:30 (Asia/Shanghai)");

  action.set_kind(sla::v1::ACTION_KIND_WARNING);
  action.mutable_clock()->set_stage(sla::v1::STAGE_DISPATCH);
  action.mutable_clock()->clear_unit();
  action.clear_targets();
  action.set_detail("80% of 5m used");
  EXPECT_EQ(DescribeSlaAction(action, shanghai),
            "warning: stage dispatch, the ticket's own clock; 80% of 5m used; "
            "at 2026-11-23 11:30 (Asia/Shanghai)");
}

TEST(DeadlinesTest, StagesMeetTheirDeadlines) {
  EXPECT_TRUE(DeadlinesMetAt(TicketStatus::TICKET_STATUS_ROUTED).empty());
  EXPECT_TRUE(DeadlinesMetAt(TicketStatus::TICKET_STATUS_DISPATCHED).empty())
      << "an order is sent when the branch acknowledges it";
  EXPECT_EQ(DeadlinesMetAt(TicketStatus::TICKET_STATUS_ACCEPTED),
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
  EXPECT_EQ(settings.sla_timeout, absl::Seconds(1));
  const char* argv[] = {"hotline-intake", "--duplicate-repair-window=30m", "--sla-timeout=250ms"};
  const char* envp[] = {nullptr};
  ASSERT_TRUE(flags.Parse(3, argv, envp).ok());
  EXPECT_EQ(settings.duplicate_repair_window, absl::Minutes(30));
  EXPECT_EQ(settings.sla_timeout, absl::Milliseconds(250));

  // Deadlines are sla's: intake's own limits are gone, and naming one stops
  // the start.
  TicketSettings old;
  config::Settings old_flags("hotline-intake", "test");
  old.Register(old_flags);
  const char* old_argv[] = {"hotline-intake", "--deadline-report-result=240h"};
  EXPECT_FALSE(old_flags.Parse(2, old_argv, envp).ok());

  TicketSettings bad;
  bad.number_time_zone = "Mars/Olympus";
  EXPECT_NE(bad.Validate().message().find("--ticket-number-time-zone"), absl::string_view::npos);
  bad = TicketSettings();
  bad.number_prefix = "G-D";
  EXPECT_NE(bad.Validate().message().find("--ticket-number-prefix"), absl::string_view::npos);
  bad = TicketSettings();
  bad.sla_timeout = absl::ZeroDuration();
  EXPECT_EQ(bad.Validate().message(), "setting --sla-timeout: must be positive");
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

// A routed repair's ticket.created goes to outage too, when intake can reach
// outage; the relay has a lane for every destination a row may name.
TEST(TicketDestinationsTest, RepairsReachOutageOnlyWhenItIsConfigured) {
  const TicketDestinations with = MakeTicketDestinations(true, false);
  EXPECT_EQ(with.Created(TicketType::TICKET_TYPE_REPAIR),
            (std::vector<std::string>{"dispatch", "sla", "outage"}));
  EXPECT_EQ(with.Created(TicketType::TICKET_TYPE_COMPLAINT),
            (std::vector<std::string>{"dispatch", "sla"}));
  EXPECT_EQ(with.routed, (std::vector<std::string>{"dispatch", "sla"}));
  EXPECT_EQ(with.All(), (std::vector<std::string>{"dispatch", "sla", "outage"}));

  const TicketDestinations without = MakeTicketDestinations(false, false);
  EXPECT_EQ(without.Created(TicketType::TICKET_TYPE_REPAIR),
            (std::vector<std::string>{"dispatch", "sla"}));
  EXPECT_EQ(without.All(), (std::vector<std::string>{"dispatch", "sla"}));
}

// A resolved repair, complaint or report goes to survey (the callback) when
// intake can reach survey, and the relay then has a lane for it; other
// types are not called back.
TEST(TicketDestinationsTest, ResolvedTicketsReachSurveyOnlyWhenItIsConfigured) {
  const TicketDestinations with = MakeTicketDestinations(true, true);
  for (TicketType type : {TicketType::TICKET_TYPE_REPAIR, TicketType::TICKET_TYPE_COMPLAINT,
                          TicketType::TICKET_TYPE_REPORT}) {
    EXPECT_EQ(with.Resolved(type), std::vector<std::string>{"survey"}) << EnumText(type);
  }
  for (TicketType type : {TicketType::TICKET_TYPE_CONSULTATION, TicketType::TICKET_TYPE_QUERY,
                          TicketType::TICKET_TYPE_APPLICATION}) {
    EXPECT_TRUE(with.Resolved(type).empty()) << EnumText(type);
  }
  EXPECT_EQ(with.All(), (std::vector<std::string>{"dispatch", "sla", "outage", "survey"}));
  EXPECT_EQ(MakeTicketDestinations(false, true).All(),
            (std::vector<std::string>{"dispatch", "sla", "survey"}));

  const TicketDestinations without = MakeTicketDestinations(true, false);
  EXPECT_TRUE(without.Resolved(TicketType::TICKET_TYPE_REPAIR).empty());
  EXPECT_EQ(without.All(), (std::vector<std::string>{"dispatch", "sla", "outage"}));
}

v1::Ticket StoredTicketOf(TicketType type) {
  v1::Ticket ticket;
  ticket.set_ticket_id("7d0c2b8e-5f1a-4c3b-9e2d-1a2b3c4d5e6f");
  ticket.set_ticket_number("GD-20261123-000042");
  ticket.set_type(type);
  ticket.set_status(TicketStatus::TICKET_STATUS_RESOLVED);
  ticket.set_description("家里停电");
  return ticket;
}

// survey calls the customer back: the contact goes as the ticket holds it,
// with the order that resolved the ticket and what was done.
TEST(TicketResolvedTest, CarriesTheCustomersContactAndTheOrdersResolution) {
  v1::Ticket repair = StoredTicketOf(TicketType::TICKET_TYPE_REPAIR);
  repair.mutable_customer()->set_name("王五");
  repair.mutable_customer()->set_phone("13912345678");
  repair.mutable_customer()->set_account_number("0101234567");
  Resolution resolution;
  resolution.branch_id = "BR-9";
  resolution.order_id = "o-1";
  resolution.resolved_at = kCreated + absl::Hours(3);
  resolution.text = "replaced the fuse";
  const v1::TicketResolved resolved = MakeTicketResolved(repair, resolution);
  EXPECT_EQ(resolved.ticket_id(), repair.ticket_id());
  EXPECT_EQ(resolved.ticket_number(), "GD-20261123-000042");
  EXPECT_EQ(resolved.type(), TicketType::TICKET_TYPE_REPAIR);
  EXPECT_EQ(resolved.customer().name(), "王五");
  EXPECT_EQ(resolved.customer().phone(), "13912345678");
  EXPECT_EQ(resolved.customer().account_number(), "0101234567");
  EXPECT_FALSE(resolved.anonymous());
  EXPECT_EQ(resolved.branch_id(), "BR-9");
  EXPECT_EQ(resolved.order_id(), "o-1");
  EXPECT_EQ(FromProtoTime(resolved.resolved_at()), kCreated + absl::Hours(3));
  EXPECT_EQ(resolved.resolution(), "replaced the fuse");
}

// A named reporter is called back, so the contact goes unmasked (survey
// shows it to the discipline role only); an anonymous report carries none.
TEST(TicketResolvedTest, ANamedReporterGoesUnmaskedAndAnAnonymousOneNotAtAll) {
  v1::Ticket named = StoredTicketOf(TicketType::TICKET_TYPE_REPORT);
  named.mutable_details()->mutable_report()->mutable_reporter()->set_name("张三丰");
  named.mutable_details()->mutable_report()->mutable_reporter()->set_phone("13812345678");
  Resolution resolution;
  resolution.resolved_at = kCreated;
  v1::TicketResolved resolved = MakeTicketResolved(named, resolution);
  EXPECT_EQ(resolved.customer().name(), "张三丰");
  EXPECT_EQ(resolved.customer().phone(), "13812345678");
  EXPECT_FALSE(resolved.anonymous());

  v1::Ticket anonymous = StoredTicketOf(TicketType::TICKET_TYPE_REPORT);
  anonymous.mutable_details()->mutable_report()->set_anonymous(true);
  resolved = MakeTicketResolved(anonymous, resolution);
  EXPECT_TRUE(resolved.anonymous());
  EXPECT_FALSE(resolved.has_customer());
}

// After an outage restore no branch resolved the repair: no order, and the
// restore as the resolution.
TEST(TicketResolvedTest, AfterARestoreThereIsNoBranchNorOrder) {
  v1::Ticket repair = StoredTicketOf(TicketType::TICKET_TYPE_REPAIR);
  repair.mutable_customer()->set_phone("13912345678");
  Resolution resolution;
  resolution.resolved_at = kCreated;
  resolution.text = "power restored: notice N-1, the whole notice";
  const v1::TicketResolved resolved = MakeTicketResolved(repair, resolution);
  EXPECT_TRUE(resolved.branch_id().empty());
  EXPECT_TRUE(resolved.order_id().empty());
  EXPECT_EQ(resolved.resolution(), "power restored: notice N-1, the whole notice");
}

// A repeat call about a repair (an urging) is another call from its place:
// outage hears of it whether or not the repair is with dispatch; dispatch
// only while it is.
TEST(TicketDestinationsTest, UrgingsOfRepairsReachOutageAndDispatchWhileItHasTheTicket) {
  const TicketDestinations with = MakeTicketDestinations(true, true);
  EXPECT_EQ(with.Urged(TicketType::TICKET_TYPE_REPAIR, true),
            (std::vector<std::string>{"dispatch", "outage"}));
  EXPECT_EQ(with.Urged(TicketType::TICKET_TYPE_REPAIR, false),
            (std::vector<std::string>{"outage"}));
  EXPECT_EQ(with.Urged(TicketType::TICKET_TYPE_COMPLAINT, true),
            (std::vector<std::string>{"dispatch"}));
  EXPECT_TRUE(with.Urged(TicketType::TICKET_TYPE_COMPLAINT, false).empty());
  EXPECT_EQ(MakeTicketDestinations(false, true).Urged(TicketType::TICKET_TYPE_REPAIR, true),
            (std::vector<std::string>{"dispatch"}));
}

}  // namespace
}  // namespace hotline::intake
