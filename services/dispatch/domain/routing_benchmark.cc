// How long routing a new order takes (run once per ticket.created, and again
// per return), among the candidate branches a store hands it: those whose
// territory entries match one of the address's keys.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/bench/require.h"
#include "services/dispatch/domain/routing.h"

namespace hotline::dispatch {
namespace {

using common::v1::TicketType;

constexpr char kCounty[] = "广东省/清远市/连州市";

Branch MakeBranch(std::string id, std::string kind, std::vector<TicketType> types,
                  std::vector<std::string> scopes, std::vector<Territory> territory) {
  Branch b;
  b.branch_id = std::move(id);
  b.name = b.branch_id;
  b.kind = std::move(kind);
  b.area_class = common::v1::AREA_CLASS_RURAL;
  b.arrival_limit_minutes = 90;
  b.ticket_types = std::move(types);
  b.fault_scopes = std::move(scopes);
  b.territory = std::move(territory);
  return b;
}

// The branches of one county: its distribution district, business hall and
// dispatch centre, then `stations` township supply stations (the last one
// covers 城关镇), each with two repair crews on transformer areas.
std::vector<Branch> County(int stations) {
  using namespace common::v1;
  std::vector<Branch> branches = {
      MakeBranch(
          "DD-连州", "distribution_district", {TICKET_TYPE_REPAIR}, {"public_network"},
          {{v1::TERRITORY_LEVEL_FEEDER, "10kV城东线"}, {v1::TERRITORY_LEVEL_COUNTY, kCounty}}),
      MakeBranch("BH-连州", "business_hall", {TICKET_TYPE_REPAIR, TICKET_TYPE_APPLICATION},
                 {"meter_box", "business"}, {{v1::TERRITORY_LEVEL_COUNTY, kCounty}}),
      MakeBranch("DC-连州", "dispatch_center", {TICKET_TYPE_REPAIR}, {},
                 {{v1::TERRITORY_LEVEL_COUNTY, kCounty}}),
  };
  for (int i = 0; i < stations; ++i) {
    const std::string township =
        i + 1 == stations ? std::string("城关镇") : absl::StrCat("第", i, "镇");
    branches.push_back(
        MakeBranch(absl::StrCat("SS-", i), "supply_station",
                   {TICKET_TYPE_REPAIR, TICKET_TYPE_APPLICATION, TICKET_TYPE_QUERY},
                   {"public_network", "meter_box"},
                   {{v1::TERRITORY_LEVEL_TOWNSHIP, absl::StrCat(kCounty, "/", township)}}));
    for (int crew = 0; crew < 2; ++crew) {
      branches.push_back(
          MakeBranch(absl::StrCat("RC-", i, "-", crew), "repair_crew", {TICKET_TYPE_REPAIR},
                     {"public_network"},
                     {{v1::TERRITORY_LEVEL_TRANSFORMER_AREA, absl::StrCat("TA-", i, "-", crew)}}));
    }
  }
  return branches;
}

// A "no power" repair in 东风村, 城关镇, as intake records it.
TicketFacts NoPowerRepair() {
  TicketFacts facts;
  facts.type = TicketType::TICKET_TYPE_REPAIR;
  facts.fault_scope = common::v1::FAULT_SCOPE_PUBLIC_NETWORK;
  facts.equipment_owner = common::v1::EQUIPMENT_OWNER_UTILITY;
  common::v1::Address& a = facts.address;
  a.set_province("广东省");
  a.set_city("清远市");
  a.set_county("连州市");
  a.set_township("城关镇");
  a.set_village_or_community("东风村");
  a.set_street("解放路8号");
  a.set_area_class(common::v1::AREA_CLASS_RURAL);
  return facts;
}

RoutingPolicy Policy() {
  RoutingPolicy policy;
  policy.customer_owned_advice = "请联系有资质的电工处理户内故障";
  return policy;
}

// range(0): township supply stations in the county (candidates: 3 + 3 each).
void BM_RouteRepairToTownship(benchmark::State& state) {
  const std::vector<Branch> branches = County(static_cast<int>(state.range(0)));
  const TicketFacts facts = NoPowerRepair();
  const RoutingPolicy policy = Policy();
  const Route route = RouteTicket(facts, branches, policy);
  bench::Require(route.branch_id == absl::StrCat("SS-", state.range(0) - 1),
                 "the township station gets the repair, not " + route.branch_id);
  for (auto _ : state) {
    benchmark::DoNotOptimize(RouteTicket(facts, branches, policy));
  }
  state.counters["branches"] = static_cast<double>(branches.size());
}
BENCHMARK(BM_RouteRepairToTownship)->Arg(1)->Arg(20);

// The most specific level: the customer's transformer area is known.
void BM_RouteRepairToTransformerArea(benchmark::State& state) {
  const std::vector<Branch> branches = County(20);
  TicketFacts facts = NoPowerRepair();
  facts.address.set_transformer_area("TA-19-1");
  const RoutingPolicy policy = Policy();
  bench::Require(RouteTicket(facts, branches, policy).branch_id == "RC-19-1",
                 "the transformer area's crew gets the repair");
  for (auto _ : state) {
    benchmark::DoNotOptimize(RouteTicket(facts, branches, policy));
  }
}
BENCHMARK(BM_RouteRepairToTransformerArea);

// A return by the township station: tried again without it.
void BM_RouteAfterReturn(benchmark::State& state) {
  const std::vector<Branch> branches = County(20);
  const TicketFacts facts = NoPowerRepair();
  ReturnFacts returned;
  returned.reason = v1::RETURN_REASON_NOT_OUR_TERRITORY;
  returned.returned_by = "SS-19";
  returned.returns = 1;
  returned.returned_by_all = {"SS-19"};
  const RoutingPolicy policy = Policy();
  const Route route = RouteAfterReturn(facts, returned, branches, policy);
  bench::Require(route.destination == Destination::kBranch && route.branch_id != "SS-19",
                 "another branch gets the returned order, not " + route.branch_id);
  for (auto _ : state) {
    benchmark::DoNotOptimize(RouteAfterReturn(facts, returned, branches, policy));
  }
}
BENCHMARK(BM_RouteAfterReturn);

// The keys the branch store looks candidates up by.
void BM_TerritoryKeysOfAddress(benchmark::State& state) {
  const TicketFacts facts = NoPowerRepair();
  for (auto _ : state) {
    benchmark::DoNotOptimize(TerritoryKeysOf(facts.address));
  }
}
BENCHMARK(BM_TerritoryKeysOfAddress);

}  // namespace
}  // namespace hotline::dispatch
