// The rules of a branch record, and the rules of a return.

#include "services/dispatch/domain/branch.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/dispatch/domain/order_rules.h"

namespace hotline::dispatch {
namespace {

Branch Good() {
  Branch b;
  b.branch_id = "SS-SX";
  b.name = "Shixi township supply station";
  b.kind = "supply_station";
  b.duty_phone = "0578-6210100";
  b.area_class = common::v1::AREA_CLASS_RURAL;
  b.ticket_types = {common::v1::TICKET_TYPE_REPAIR, common::v1::TICKET_TYPE_QUERY};
  b.fault_scopes = {"public_network", "meter_box"};
  b.territory = {
      {v1::TERRITORY_LEVEL_TOWNSHIP, "Demo Province/Qingyuan/Liandu District/Shixi Town"},
      {v1::TERRITORY_LEVEL_FEEDER, "F10-SX-201"}};
  return b;
}

TEST(ValidateBranchTest, NamesTheFieldAndTheRule) {
  ASSERT_TRUE(ValidateBranch(Good()).ok()) << ValidateBranch(Good());
  struct Case {
    std::string name;
    std::function<void(Branch&)> change;
    std::string message_has;
  };
  std::vector<Case> cases = {
      {"empty id", [](Branch& b) { b.branch_id = ""; }, "branch_id"},
      {"id with a space", [](Branch& b) { b.branch_id = "SS SX"; }, "branch_id"},
      {"no name", [](Branch& b) { b.name = "  "; }, "name"},
      {"unknown kind", [](Branch& b) { b.kind = "bakery"; }, "kind: 'bakery'"},
      {"own parent", [](Branch& b) { b.parent_id = "SS-SX"; }, "parent_id"},
      {"bad phone", [](Branch& b) { b.duty_phone = "call us"; }, "duty_phone"},
      {"no area class", [](Branch& b) { b.area_class = common::v1::AREA_CLASS_UNSPECIFIED; },
       "area_class"},
      {"negative arrival limit", [](Branch& b) { b.arrival_limit_minutes = -1; },
       "arrival_limit_minutes"},
      {"arrival limit over a day", [](Branch& b) { b.arrival_limit_minutes = 1441; },
       "arrival_limit_minutes"},
      {"no ticket types", [](Branch& b) { b.ticket_types.clear(); }, "ticket_types"},
      {"urging", [](Branch& b) { b.ticket_types.push_back(common::v1::TICKET_TYPE_URGING); },
       "ticket_types"},
      {"repeated type", [](Branch& b) { b.ticket_types.push_back(common::v1::TICKET_TYPE_REPAIR); },
       "given twice"},
      {"unknown scope", [](Branch& b) { b.fault_scopes.push_back("plumbing"); },
       "fault_scopes: 'plumbing'"},
      {"territory without level",
       [](Branch& b) { b.territory[0].level = v1::TERRITORY_LEVEL_UNSPECIFIED; },
       "territory[0]: level"},
      {"township path too short",
       [](Branch& b) { b.territory[0].value = "Demo Province/Qingyuan"; },
       "territory[0]: a township is a path of 4"},
      {"empty path part",
       [](Branch& b) { b.territory[0].value = "Demo Province//Liandu District/Shixi Town"; },
       "territory[0]"},
      {"feeder with a slash", [](Branch& b) { b.territory[1].value = "F10/SX"; }, "territory[1]"},
      {"repeated territory", [](Branch& b) { b.territory.push_back(b.territory[1]); },
       "territory[2]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Branch b = Good();
    c.change(b);
    absl::Status s = ValidateBranch(b);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(s.message(), c.message_has)) << s;
  }
}

TEST(NormalizeBranchTest, DefaultsTheArrivalLimitByAreaClass) {
  ArrivalLimits limits;
  limits.rural = absl::Minutes(80);
  Branch b = NormalizeBranch(Good(), limits);
  EXPECT_EQ(b.arrival_limit_minutes, 80);
  Branch given = Good();
  given.arrival_limit_minutes = 30;
  EXPECT_EQ(NormalizeBranch(given, limits).arrival_limit_minutes, 30);
}

TEST(ValidateReturnTest, ReasonUnitAndTheCustomersDetails) {
  ReturnRequest r;
  EXPECT_TRUE(absl::StrContains(ValidateReturn(r).message(), "reason"));
  r.reason = v1::RETURN_REASON_NOT_OUR_TERRITORY;
  EXPECT_TRUE(absl::StrContains(ValidateReturn(r).message(), "belongs_to"));
  r.belongs_to = "RC-SX";
  EXPECT_TRUE(ValidateReturn(r).ok());
  r.reason = v1::RETURN_REASON_CUSTOMER_OWNED;
  r.belongs_to = "";
  EXPECT_TRUE(absl::StrContains(ValidateReturn(r).message(), "customer_name"));
  r.customer_name = "Li Lei";
  EXPECT_TRUE(absl::StrContains(ValidateReturn(r).message(), "customer_phone"));
  r.customer_phone = "13800000000";
  EXPECT_TRUE(ValidateReturn(r).ok());
}

TEST(OrderRulesTest, WhoMayReturnAndReassign) {
  EXPECT_TRUE(CheckReturnable(v1::ORDER_STATUS_DISPATCHED).ok());
  EXPECT_TRUE(CheckReturnable(v1::ORDER_STATUS_IN_PROGRESS).ok());
  EXPECT_EQ(CheckReturnable(v1::ORDER_STATUS_RESOLVED).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckReturnable(v1::ORDER_STATUS_WITH_DISPATCHER).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckReassignable(v1::ORDER_STATUS_WITH_DISPATCHER).ok());
  // The customer was advised and intake's ticket is answered: moving the
  // order to a branch would dispatch work the ticket can no longer follow.
  EXPECT_EQ(CheckReassignable(v1::ORDER_STATUS_NOT_DISPATCHED).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckReassignable(v1::ORDER_STATUS_CANCELLED).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace hotline::dispatch
