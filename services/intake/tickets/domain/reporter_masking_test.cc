// Masking a tip-off reporter's identity, and what leaves intake in events.

#include "services/intake/tickets/domain/reporter_masking.h"

#include <gtest/gtest.h>

#include "services/intake/tickets/domain/ticket_events.h"
#include "services/intake/tickets/domain/ticket_roles.h"

namespace hotline::intake {
namespace {

v1::Ticket Report(bool anonymous) {
  v1::Ticket ticket;
  ticket.set_ticket_id("t");
  ticket.set_type(common::v1::TICKET_TYPE_REPORT);
  v1::ReportDetails& report = *ticket.mutable_details()->mutable_report();
  report.set_subject(v1::REPORT_SUBJECT_MISCONDUCT);
  report.set_anonymous(anonymous);
  if (!anonymous) {
    report.mutable_reporter()->set_name("张三丰");
    report.mutable_reporter()->set_phone("13812345678");
  }
  return ticket;
}

TEST(MaskReporterTest, MasksNamedReportersOnly) {
  v1::Ticket named = Report(false);
  ASSERT_TRUE(HasReporterIdentity(named));
  MaskReporter(named);
  EXPECT_EQ(named.details().report().reporter().name(), "张**");
  EXPECT_EQ(named.details().report().reporter().phone(), "138****5678");
  EXPECT_TRUE(named.reporter_masked());

  v1::Ticket anonymous = Report(true);
  EXPECT_FALSE(HasReporterIdentity(anonymous));
  MaskReporter(anonymous);
  EXPECT_FALSE(anonymous.reporter_masked());

  v1::Ticket repair;
  repair.set_type(common::v1::TICKET_TYPE_REPAIR);
  repair.mutable_customer()->set_name("张三丰");
  MaskReporter(repair);
  EXPECT_EQ(repair.customer().name(), "张三丰");
}

TEST(MaskReporterTest, OnlyDisciplineSeesIdentities) {
  for (auth::Role role :
       {auth::Role::kAgent, auth::Role::kShiftLeader, auth::Role::kDispatcher, auth::Role::kBranch,
        auth::Role::kSupervisor, auth::Role::kService, auth::Role::kAdmin}) {
    EXPECT_FALSE(SeesReporterIdentity(role)) << auth::RoleName(role);
  }
  EXPECT_TRUE(SeesReporterIdentity(auth::Role::kDiscipline));
}

TEST(TicketEventsTest, TheCreatedEventNeverCarriesTheReporterUnmasked) {
  v1::TicketCreated event = MakeTicketCreated(Report(false));
  EXPECT_TRUE(event.reporter_identity_withheld());
  EXPECT_EQ(event.customer().name(), "张**");
  EXPECT_EQ(event.customer().phone(), "138****5678");
  EXPECT_EQ(event.report_subject(), "misconduct");
  EXPECT_EQ(event.SerializeAsString().find("13812345678"), std::string::npos);
  EXPECT_EQ(event.SerializeAsString().find("张三丰"), std::string::npos);

  v1::TicketCreated anonymous = MakeTicketCreated(Report(true));
  EXPECT_TRUE(anonymous.reporter_identity_withheld());
  EXPECT_FALSE(anonymous.has_customer());
}

TEST(TicketEventsTest, TheCreatedEventCarriesTheRepairRoutingFacts) {
  v1::Ticket ticket;
  ticket.set_type(common::v1::TICKET_TYPE_REPAIR);
  ticket.mutable_customer()->set_phone("13812345678");
  v1::RepairDetails& repair = *ticket.mutable_details()->mutable_repair();
  repair.set_symptom(v1::REPAIR_SYMPTOM_LINE_DOWN);
  repair.set_extent(v1::FAULT_EXTENT_AREA);
  repair.set_fault_category(v1::FAULT_CATEGORY_LINE);
  repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
  v1::Deadline* send = ticket.add_deadlines();
  send->set_kind(v1::DEADLINE_KIND_SEND_ORDER);
  send->mutable_due_at()->set_seconds(300);
  v1::TicketCreated event = MakeTicketCreated(ticket);
  EXPECT_EQ(event.repair_symptom(), "line_down");
  EXPECT_EQ(event.fault_extent(), "area");
  EXPECT_EQ(event.fault_category(), "line");
  EXPECT_EQ(event.fault_scope(), common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  EXPECT_EQ(event.customer().phone(), "13812345678");
  EXPECT_EQ(event.send_order_due_at().seconds(), 300);
  EXPECT_FALSE(event.reporter_identity_withheld());
}

}  // namespace
}  // namespace hotline::intake
