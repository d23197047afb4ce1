// The routing rules, table-driven over a small made-up province.

#include "services/dispatch/domain/routing.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace hotline::dispatch {
namespace {

using common::v1::TicketType;

constexpr char kProvince[] = "P";
constexpr char kCounty[] = "P/C/K";
constexpr char kTownship[] = "P/C/K/T";
constexpr char kVillage[] = "P/C/K/T/V";

Branch MakeBranch(std::string id, std::string kind, std::vector<TicketType> types,
                  std::vector<std::string> scopes, std::vector<Territory> territory) {
  Branch b;
  b.branch_id = std::move(id);
  b.name = b.branch_id;
  b.kind = std::move(kind);
  b.area_class = common::v1::AREA_CLASS_URBAN;
  b.arrival_limit_minutes = 45;
  b.ticket_types = std::move(types);
  b.fault_scopes = std::move(scopes);
  b.territory = std::move(territory);
  return b;
}

const std::vector<Branch>& Province() {
  using namespace common::v1;
  static const std::vector<Branch> kBranches = {
      MakeBranch("RC-1", "repair_crew", {TICKET_TYPE_REPAIR}, {"public_network"},
                 {{v1::TERRITORY_LEVEL_TRANSFORMER_AREA, "TA-1"}}),
      MakeBranch("DD-1", "distribution_district", {TICKET_TYPE_REPAIR}, {"public_network"},
                 {{v1::TERRITORY_LEVEL_FEEDER, "F-1"}, {v1::TERRITORY_LEVEL_COUNTY, kCounty}}),
      MakeBranch("SS-V", "supply_station",
                 {TICKET_TYPE_REPAIR, TICKET_TYPE_APPLICATION, TICKET_TYPE_QUERY},
                 {"public_network", "meter_box"},
                 {{v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY, kVillage}}),
      MakeBranch("SS-T", "supply_station",
                 {TICKET_TYPE_REPAIR, TICKET_TYPE_APPLICATION, TICKET_TYPE_QUERY},
                 {"public_network", "meter_box"}, {{v1::TERRITORY_LEVEL_TOWNSHIP, kTownship}}),
      MakeBranch("BH-K", "business_hall", {TICKET_TYPE_REPAIR, TICKET_TYPE_APPLICATION},
                 {"meter_box", "business"}, {{v1::TERRITORY_LEVEL_COUNTY, kCounty}}),
      MakeBranch("MET-K", "metering_office", {TICKET_TYPE_REPAIR}, {"hv_metering"},
                 {{v1::TERRITORY_LEVEL_COUNTY, kCounty}}),
      MakeBranch("MKT-P", "marketing",
                 {TICKET_TYPE_COMPLAINT, TICKET_TYPE_SUGGESTION, TICKET_TYPE_PRAISE}, {},
                 {{v1::TERRITORY_LEVEL_PROVINCE, kProvince}}),
      MakeBranch("DIS-P", "discipline", {TICKET_TYPE_REPORT}, {"misconduct"},
                 {{v1::TERRITORY_LEVEL_PROVINCE, kProvince}}),
      MakeBranch("INS-P", "inspection", {TICKET_TYPE_REPORT}, {"theft"},
                 {{v1::TERRITORY_LEVEL_PROVINCE, kProvince}}),
      MakeBranch("DC-P", "dispatch_center",
                 {TICKET_TYPE_REPAIR, TICKET_TYPE_CONSULTATION, TICKET_TYPE_COMPLAINT}, {},
                 {{v1::TERRITORY_LEVEL_PROVINCE, kProvince}}),
  };
  return kBranches;
}

common::v1::Address At(std::string township, std::string village, std::string feeder = "",
                       std::string transformer_area = "", std::string county = "K") {
  common::v1::Address a;
  a.set_province("P");
  a.set_city("C");
  a.set_county(county);
  a.set_township(township);
  a.set_village_or_community(village);
  a.set_feeder(feeder);
  a.set_transformer_area(transformer_area);
  return a;
}

TicketFacts Repair(common::v1::Address address,
                   common::v1::FaultScope scope = common::v1::FAULT_SCOPE_PUBLIC_NETWORK,
                   common::v1::EquipmentOwner owner = common::v1::EQUIPMENT_OWNER_UTILITY,
                   bool paid = false) {
  TicketFacts f;
  f.type = common::v1::TICKET_TYPE_REPAIR;
  f.fault_scope = scope;
  f.equipment_owner = owner;
  f.wants_paid_service = paid;
  f.address = std::move(address);
  return f;
}

TicketFacts Other(TicketType type, std::string detail = "") {
  TicketFacts f;
  f.type = type;
  f.complaint_category = detail;
  f.report_subject = detail;
  f.address = At("T", "V");
  return f;
}

RoutingPolicy Policy() {
  RoutingPolicy p;
  p.customer_owned_advice = "call an electrician";
  p.max_reroutes = 2;
  return p;
}

struct RouteCase {
  std::string name;
  TicketFacts facts;
  Destination destination;
  std::string branch_id;
  std::string rule;
  TerritoryLevel level = v1::TERRITORY_LEVEL_UNSPECIFIED;
  std::string reason_has;  // a phrase the reason must hold
};

TEST(RouteTicketTest, PicksTheMostSpecificQualifyingBranch) {
  using namespace common::v1;
  std::vector<RouteCase> cases = {
      {"transformer area beats feeder, village and county", Repair(At("T", "V", "F-1", "TA-1")),
       Destination::kBranch, "RC-1", "territory_match", v1::TERRITORY_LEVEL_TRANSFORMER_AREA,
       "transformer area TA-1"},
      {"feeder beats village and county", Repair(At("T", "V", "F-1", "TA-9")), Destination::kBranch,
       "DD-1", "territory_match", v1::TERRITORY_LEVEL_FEEDER, "feeder F-1"},
      {"village beats township and county", Repair(At("T", "V")), Destination::kBranch, "SS-V",
       "territory_match", v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY, kVillage},
      {"township beats county", Repair(At("T", "W")), Destination::kBranch, "SS-T",
       "territory_match", v1::TERRITORY_LEVEL_TOWNSHIP, kTownship},
      {"county when nothing finer covers it", Repair(At("U", "W")), Destination::kBranch, "DD-1",
       "territory_match", v1::TERRITORY_LEVEL_COUNTY, kCounty},
      {"meter box skips the crew that only takes the public network",
       Repair(At("T", "V", "F-1", "TA-1"), FAULT_SCOPE_METER_BOX), Destination::kBranch, "SS-V",
       "territory_match", v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY, "meter_box"},
      {"meter box in a township without a station goes to the business hall",
       Repair(At("U", "W"), FAULT_SCOPE_METER_BOX), Destination::kBranch, "BH-K", "territory_match",
       v1::TERRITORY_LEVEL_COUNTY, ""},
      {"high-voltage metering goes to the metering office",
       Repair(At("T", "V", "F-1", "TA-1"), FAULT_SCOPE_HV_METERING), Destination::kBranch, "MET-K",
       "territory_match", v1::TERRITORY_LEVEL_COUNTY, "hv_metering"},
      {"an unspecified scope counts as the public network",
       Repair(At("T", "V"), FAULT_SCOPE_UNSPECIFIED), Destination::kBranch, "SS-V",
       "territory_match", v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY, "public_network"},
      {"unknown ownership counts as the utility's",
       Repair(At("T", "V"), FAULT_SCOPE_PUBLIC_NETWORK, EQUIPMENT_OWNER_UNKNOWN),
       Destination::kBranch, "SS-V", "territory_match", v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY,
       ""},
      {"no branch covers another county", Repair(At("T", "V", "", "", "X")),
       Destination::kDispatcher, "", "no_match", v1::TERRITORY_LEVEL_UNSPECIFIED,
       "waits for a dispatcher"},
      {"an address without areas matches nothing", Repair(common::v1::Address()),
       Destination::kDispatcher, "", "no_match", v1::TERRITORY_LEVEL_UNSPECIFIED, "no known area"},
      {"customer-owned equipment is not dispatched",
       Repair(At("T", "V"), FAULT_SCOPE_METER_BOX, EQUIPMENT_OWNER_CUSTOMER),
       Destination::kNotDispatched, "", "customer_owned", v1::TERRITORY_LEVEL_UNSPECIFIED,
       "customer-owned"},
      {"customer-owned with a paid service asked for is routed",
       Repair(At("T", "V"), FAULT_SCOPE_METER_BOX, EQUIPMENT_OWNER_CUSTOMER, true),
       Destination::kBranch, "SS-V", "territory_match", v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY,
       "paid service"},
      {"a complaint goes to marketing, which takes any category",
       Other(TICKET_TYPE_COMPLAINT, "supply_quality"), Destination::kBranch, "MKT-P",
       "territory_match", v1::TERRITORY_LEVEL_PROVINCE, "supply_quality"},
      {"a theft report goes to inspection", Other(TICKET_TYPE_REPORT, "theft"),
       Destination::kBranch, "INS-P", "territory_match", v1::TERRITORY_LEVEL_PROVINCE, "theft"},
      {"a misconduct report goes to discipline", Other(TICKET_TYPE_REPORT, "misconduct"),
       Destination::kBranch, "DIS-P", "territory_match", v1::TERRITORY_LEVEL_PROVINCE, ""},
      {"a dispatch centre is never a routing target", Other(TICKET_TYPE_CONSULTATION),
       Destination::kDispatcher, "", "no_match", v1::TERRITORY_LEVEL_UNSPECIFIED,
       "no branch takes consultation"},
      {"an urging is never routed", Other(TICKET_TYPE_URGING), Destination::kDispatcher, "",
       "type_not_routed", v1::TERRITORY_LEVEL_UNSPECIFIED, "urging"},
      {"an unspecified type is never routed", Other(TICKET_TYPE_UNSPECIFIED),
       Destination::kDispatcher, "", "type_not_routed", v1::TERRITORY_LEVEL_UNSPECIFIED, ""},
  };
  for (const RouteCase& c : cases) {
    SCOPED_TRACE(c.name);
    Route route = RouteTicket(c.facts, Province(), Policy());
    EXPECT_EQ(route.destination, c.destination);
    EXPECT_EQ(route.branch_id, c.branch_id);
    EXPECT_EQ(route.rule, c.rule);
    EXPECT_EQ(route.matched_level, c.level);
    EXPECT_FALSE(route.reason.empty());
    EXPECT_TRUE(absl::StrContains(route.reason, c.reason_has)) << route.reason;
  }
}

TEST(RouteTicketTest, CustomerOwnedFaultCarriesTheAdviceAndPaidServiceIsMarked) {
  Route advised = RouteTicket(
      Repair(At("T", "V"), common::v1::FAULT_SCOPE_METER_BOX, common::v1::EQUIPMENT_OWNER_CUSTOMER),
      Province(), Policy());
  EXPECT_EQ(advised.advice, "call an electrician");
  EXPECT_FALSE(advised.paid_service);
  Route paid = RouteTicket(Repair(At("T", "V"), common::v1::FAULT_SCOPE_METER_BOX,
                                  common::v1::EQUIPMENT_OWNER_CUSTOMER, true),
                           Province(), Policy());
  EXPECT_TRUE(paid.paid_service);
  EXPECT_TRUE(paid.advice.empty());
  Route utility = RouteTicket(Repair(At("T", "V")), Province(), Policy());
  EXPECT_FALSE(utility.paid_service);
}

TEST(RouteTicketTest, CountsCandidatesAndExplainsTies) {
  Route route = RouteTicket(Repair(At("T", "V", "F-1", "TA-1")), Province(), Policy());
  // RC-1 (transformer area), DD-1 (feeder), SS-V (village), SS-T (township).
  EXPECT_EQ(route.candidates, 4);

  // A report of unknown subject asks for no scope: discipline and inspection
  // tie at the province level; the lower id wins and the reason says so.
  Route tie =
      RouteTicket(Other(common::v1::TICKET_TYPE_REPORT, "something else"), Province(), Policy());
  EXPECT_EQ(tie.branch_id, "DIS-P");
  EXPECT_TRUE(absl::StrContains(tie.reason, "tied at that level with INS-P")) << tie.reason;

  // Of two branches at the same level, the one listing the scope wins over
  // one that takes any scope, whatever the ids.
  std::vector<Branch> branches = {
      MakeBranch("A-ANY", "supply_station", {common::v1::TICKET_TYPE_REPAIR}, {},
                 {{v1::TERRITORY_LEVEL_TOWNSHIP, kTownship}}),
      MakeBranch("Z-EXPLICIT", "supply_station", {common::v1::TICKET_TYPE_REPAIR},
                 {"public_network"}, {{v1::TERRITORY_LEVEL_TOWNSHIP, kTownship}}),
  };
  Route explicit_wins = RouteTicket(Repair(At("T", "V")), branches, Policy());
  EXPECT_EQ(explicit_wins.branch_id, "Z-EXPLICIT");
}

TEST(TerritoryKeysTest, EveryGivenPartNormalisedMostSpecificFirst) {
  std::vector<Territory> keys = TerritoryKeysOf(At("T", "V", "F-1", "TA-1"));
  std::vector<Territory> expected = {
      {v1::TERRITORY_LEVEL_TRANSFORMER_AREA, "ta1"},
      {v1::TERRITORY_LEVEL_FEEDER, "f1"},
      {v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY, "v"},
      {v1::TERRITORY_LEVEL_TOWNSHIP, "t"},
      {v1::TERRITORY_LEVEL_COUNTY, "k"},
      {v1::TERRITORY_LEVEL_CITY, "c"},
      {v1::TERRITORY_LEVEL_PROVINCE, "p"},
  };
  EXPECT_EQ(keys, expected);

  // A gap does not end the keys: the parts below it are still known.
  common::v1::Address no_city = At("Ｔ ", "", "", "", "K");
  no_city.set_city("");
  std::vector<Territory> partial = {{v1::TERRITORY_LEVEL_TOWNSHIP, "t"},
                                    {v1::TERRITORY_LEVEL_COUNTY, "k"},
                                    {v1::TERRITORY_LEVEL_PROVINCE, "p"}};
  EXPECT_EQ(TerritoryKeysOf(no_city), partial);

  EXPECT_EQ(TerritoryMatchKey({v1::TERRITORY_LEVEL_COUNTY, "P/C/Ｋ"}), "k");
  EXPECT_EQ(TerritoryMatchKey({v1::TERRITORY_LEVEL_FEEDER, "F-1"}), "f1");
}

// Intake asks only for the county and the street: an address without its
// province and city (or spelled in other widths, cases or spacing) still
// routes by the parts it gives; one that could be in two places waits for a
// dispatcher, who can tell.
TEST(RouteTicketTest, PartialAddressRoutesByTheGivenParts) {
  std::vector<Branch> branches = Province();
  branches.push_back(MakeBranch(
      "DD-Q", "distribution_district", {common::v1::TICKET_TYPE_REPAIR}, {"public_network"},
      {{v1::TERRITORY_LEVEL_COUNTY, "Q/D/K"}, {v1::TERRITORY_LEVEL_COUNTY, "Q/D/L"}}));
  auto partial = [](std::string province, std::string city, std::string county,
                    std::string township = "", std::string village = "") {
    common::v1::Address a;
    a.set_province(province);
    a.set_city(city);
    a.set_county(county);
    a.set_township(township);
    a.set_village_or_community(village);
    a.set_street("1 Long Street");
    return a;
  };
  std::vector<RouteCase> cases = {
      {"county only, one county of that name", Repair(partial("", "", "L")), Destination::kBranch,
       "DD-Q", "territory_match", v1::TERRITORY_LEVEL_COUNTY, "Q/D/L"},
      {"county and township, no province or city", Repair(partial("", "", "K", "T")),
       Destination::kBranch, "SS-T", "territory_match", v1::TERRITORY_LEVEL_TOWNSHIP, kTownship},
      {"village without the upper levels", Repair(partial("", "", "K", "T", "V")),
       Destination::kBranch, "SS-V", "territory_match", v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY,
       kVillage},
      {"province given, city left out", Repair(partial("P", "", "K")), Destination::kBranch, "DD-1",
       "territory_match", v1::TERRITORY_LEVEL_COUNTY, kCounty},
      {"other widths, case and spaces", Repair(partial(" ｐ", "c", "ｋ ", "Ｔ")),
       Destination::kBranch, "SS-T", "territory_match", v1::TERRITORY_LEVEL_TOWNSHIP, kTownship},
      {"full address picks its own county of two of one name", Repair(partial("Q", "D", "K")),
       Destination::kBranch, "DD-Q", "territory_match", v1::TERRITORY_LEVEL_COUNTY, "Q/D/K"},
      {"county of one name in two places", Repair(partial("", "", "K")), Destination::kDispatcher,
       "", "ambiguous_address", v1::TERRITORY_LEVEL_UNSPECIFIED, "P/C/K and Q/D/K"},
      {"a given part that differs matches nothing", Repair(partial("X", "", "K")),
       Destination::kDispatcher, "", "no_match", v1::TERRITORY_LEVEL_UNSPECIFIED, "county K"},
  };
  for (const RouteCase& c : cases) {
    Route route = RouteTicket(c.facts, branches, Policy());
    EXPECT_EQ(route.destination, c.destination) << c.name << ": " << route.reason;
    EXPECT_EQ(route.branch_id, c.branch_id) << c.name << ": " << route.reason;
    EXPECT_EQ(route.rule, c.rule) << c.name << ": " << route.reason;
    EXPECT_EQ(route.matched_level, c.level) << c.name;
    EXPECT_TRUE(absl::StrContains(route.reason, c.reason_has))
        << c.name << ": '" << route.reason << "' lacks '" << c.reason_has << "'";
  }
}

struct ReturnCase {
  std::string name;
  TicketFacts facts;
  ReturnFacts returned;
  Destination destination;
  std::string branch_id;
  std::string rule;
};

ReturnFacts Returned(std::vector<std::string> by_all, ReturnReason reason,
                     std::string belongs_to = "somewhere else") {
  ReturnFacts r;
  r.reason = reason;
  r.returned_by = by_all.back();
  r.returned_by_all = by_all;
  r.returns = static_cast<int>(by_all.size());
  r.belongs_to = std::move(belongs_to);
  r.customer_name = "Li Lei";
  r.customer_phone = "13800000000";
  return r;
}

TEST(RouteAfterReturnTest, ReroutesWithoutTheReturnersThenGoesToADispatcher) {
  const TicketFacts at_ta = Repair(At("T", "V", "F-1", "TA-1"));
  std::vector<ReturnCase> cases = {
      {"first return goes to the next most specific branch", at_ta,
       Returned({"RC-1"}, v1::RETURN_REASON_NOT_OUR_TERRITORY), Destination::kBranch, "DD-1",
       "territory_match"},
      {"second return leaves out both returners", at_ta,
       Returned({"RC-1", "DD-1"}, v1::RETURN_REASON_NOT_OUR_SCOPE), Destination::kBranch, "SS-V",
       "territory_match"},
      {"third return goes to a dispatcher instead of bouncing", at_ta,
       Returned({"RC-1", "DD-1", "SS-V"}, v1::RETURN_REASON_NOT_OUR_TERRITORY),
       Destination::kDispatcher, "", "too_many_returns"},
      {"a return as the customer's fault goes to a dispatcher", at_ta,
       Returned({"RC-1"}, v1::RETURN_REASON_CUSTOMER_OWNED), Destination::kDispatcher, "",
       "returned_as_customers"},
      {"the unit named in the return is tried first", at_ta,
       Returned({"RC-1"}, v1::RETURN_REASON_NOT_OUR_TERRITORY, "SS-T"), Destination::kBranch,
       "SS-T", "named_by_return"},
      {"a named unit that does not take the work is ignored", at_ta,
       Returned({"RC-1"}, v1::RETURN_REASON_NOT_OUR_SCOPE, "MET-K"), Destination::kBranch, "DD-1",
       "territory_match"},
      {"a named unit that returned it before is ignored", at_ta,
       Returned({"RC-1", "DD-1"}, v1::RETURN_REASON_OTHER, "RC-1"), Destination::kBranch, "SS-V",
       "territory_match"},
      {"nobody left: a dispatcher", Repair(At("U", "W")),
       Returned({"DD-1"}, v1::RETURN_REASON_NOT_OUR_TERRITORY), Destination::kDispatcher, "",
       "no_match"},
  };
  for (const ReturnCase& c : cases) {
    SCOPED_TRACE(c.name);
    Route route = RouteAfterReturn(c.facts, c.returned, Province(), Policy());
    EXPECT_EQ(route.destination, c.destination);
    EXPECT_EQ(route.branch_id, c.branch_id);
    EXPECT_EQ(route.rule, c.rule);
    EXPECT_EQ(route.excluded, c.returned.returned_by_all);
    EXPECT_TRUE(absl::StrContains(route.reason, c.returned.returned_by)) << route.reason;
  }
}

TEST(RouteAfterReturnTest, MaxReroutesIsAPolicy) {
  RoutingPolicy strict = Policy();
  strict.max_reroutes = 0;
  Route route =
      RouteAfterReturn(Repair(At("T", "V", "F-1", "TA-1")),
                       Returned({"RC-1"}, v1::RETURN_REASON_NOT_OUR_TERRITORY), Province(), strict);
  EXPECT_EQ(route.destination, Destination::kDispatcher);
  EXPECT_EQ(route.rule, "too_many_returns");
}

TEST(WorkScopeTest, ByTicketType) {
  EXPECT_EQ(WorkScopeOf(Repair(At("T", "V"), common::v1::FAULT_SCOPE_HV_METERING)), "hv_metering");
  EXPECT_EQ(WorkScopeOf(Other(common::v1::TICKET_TYPE_COMPLAINT, "outage_and_restoration")),
            "outage_and_restoration");
  EXPECT_EQ(WorkScopeOf(Other(common::v1::TICKET_TYPE_COMPLAINT, "Power supply quality")),
            "supply_quality");
  EXPECT_EQ(WorkScopeOf(Other(common::v1::TICKET_TYPE_COMPLAINT, "grid-construction")),
            "grid_construction");
  EXPECT_EQ(WorkScopeOf(Other(common::v1::TICKET_TYPE_COMPLAINT, "weather")), "");
  EXPECT_EQ(WorkScopeOf(Other(common::v1::TICKET_TYPE_REPORT, "Theft")), "theft");
  EXPECT_EQ(WorkScopeOf(Other(common::v1::TICKET_TYPE_QUERY)), "");
}

}  // namespace
}  // namespace hotline::dispatch
