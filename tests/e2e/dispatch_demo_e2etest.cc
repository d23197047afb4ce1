// The demo province (deploy/demo/province.sql) loads into the migrated
// schemas, twice, and its tickets route where an operator would expect.

#include <gtest/gtest.h>

#include "tests/e2e/dispatch_e2e_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers

common::v1::Address Demo(std::string county, std::string township, std::string village = "",
                         std::string feeder = "", std::string transformer_area = "") {
  common::v1::Address a;
  a.set_province("Demo Province");
  a.set_city("Qingyuan");
  a.set_county(std::move(county));
  a.set_township(std::move(township));
  a.set_village_or_community(std::move(village));
  a.set_feeder(std::move(feeder));
  a.set_transformer_area(std::move(transformer_area));
  return a;
}

TEST(DispatchDemoTest, TheDemoProvinceLoadsAndRoutes) {
  auto started = Backend::Start();
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);
  for (int i = 0; i < 2; ++i) {
    CommandResult loaded = RunCommand("psql -q -v ON_ERROR_STOP=1 '" + backend->pg_uri() + "' -f " +
                                      SourceDir() + "/deploy/demo/province.sql");
    ASSERT_EQ(loaded.exit_code, 0) << loaded.output;
  }

  auto repair = [](const std::string& id, common::v1::Address address,
                   common::v1::FaultScope scope) {
    intake::v1::TicketCreated t = Repair(id, std::move(address));
    t.set_fault_scope(scope);
    return t;
  };
  auto other = [](const std::string& id, common::v1::TicketType type, std::string detail) {
    intake::v1::TicketCreated t = Repair(id, Demo("Liandu District", "Shixi Town"));
    t.set_type(type);
    t.set_fault_scope(common::v1::FAULT_SCOPE_UNSPECIFIED);
    t.set_complaint_category(detail);
    t.set_report_subject(detail);
    return t;
  };
  struct Case {
    intake::v1::TicketCreated ticket;
    std::string branch_id;
  };
  std::vector<Case> cases = {
      {repair("demo-ta",
              Demo("Liandu District", "Shixi Town", "Xiayang Village", "F10-SX-201", "TA-SX-0007"),
              common::v1::FAULT_SCOPE_PUBLIC_NETWORK),
       "RC-SX"},
      {repair("demo-meter-box", Demo("Liandu District", "Shixi Town", "Xiayang Village"),
              common::v1::FAULT_SCOPE_METER_BOX),
       "SS-SX"},
      {repair("demo-feeder", Demo("Liandu District", "Old Town", "", "F10-LD-101"),
              common::v1::FAULT_SCOPE_PUBLIC_NETWORK),
       "DD-QY"},
      {repair("demo-hv", Demo("Liandu District", "Shixi Town"),
              common::v1::FAULT_SCOPE_HV_METERING),
       "MET-QY"},
      {repair("demo-city-meter-box", Demo("Liandu District", "Old Town"),
              common::v1::FAULT_SCOPE_METER_BOX),
       "BH-QY"},
      {repair("demo-mountain", Demo("Jingning County", "Huangling Town"),
              common::v1::FAULT_SCOPE_PUBLIC_NETWORK),
       "SS-HL"},
      {other("demo-complaint", common::v1::TICKET_TYPE_COMPLAINT, "service"), "MKT-PROV"},
      {other("demo-theft", common::v1::TICKET_TYPE_REPORT, "theft"), "INS-PROV"},
      {other("demo-misconduct", common::v1::TICKET_TYPE_REPORT, "misconduct"), "DIS-PROV"},
      {other("demo-application", common::v1::TICKET_TYPE_APPLICATION, ""), "SS-SX"},
      {repair("demo-elsewhere", Demo("Unknown County", "Nowhere"),
              common::v1::FAULT_SCOPE_PUBLIC_NETWORK),
       ""},
  };
  std::vector<Event> events;
  for (const Case& c : cases) {
    events.push_back(Created(c.ticket));
  }
  auto accepted = Deliver(*backend, events);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  ASSERT_EQ(accepted->size(), cases.size()) << backend->Log("dispatch");
  for (const Case& c : cases) {
    std::optional<dv1::Order> order = WaitOrderOfTicket(*backend, c.ticket.ticket_id());
    ASSERT_TRUE(order.has_value()) << c.ticket.ticket_id();
    EXPECT_EQ(order->branch_id(), c.branch_id)
        << c.ticket.ticket_id() << ": " << order->routing().reason();
    EXPECT_EQ(order->with_dispatcher(), c.branch_id.empty()) << c.ticket.ticket_id();
  }

  auto stub = dv1::Dispatch::NewStub(backend->Channel("dispatch"));
  dv1::GetBranchRequest get;
  get.set_branch_id("RC-SX");
  dv1::Branch branch;
  auto context = Call(backend->Token("agent"));
  ASSERT_TRUE(stub->GetBranch(context.get(), get, &branch).ok());
  EXPECT_EQ(branch.parent_id(), "SS-SX");
  EXPECT_EQ(branch.arrival_limit_minutes(), 90);
  EXPECT_EQ(branch.territory_size(), 2);
}

}  // namespace
}  // namespace hotline::testing
