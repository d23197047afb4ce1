#pragma once

// A repair crew with a territory, and a repair ticket at an address inside
// it: what end-to-end tests of the repair flow start from.

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "tests/e2e/dispatch_e2e_helpers.h"

namespace hotline::testing::repair_e2e {

inline constexpr char kBranchId[] = "BR-1";  // the branch of Backend::Token("branch")
inline constexpr char kProvince[] = "Flow Province";
inline constexpr char kCity[] = "Flow City";
inline constexpr char kCounty[] = "Flow County";
inline constexpr char kFeeder[] = "F-FLOW-10";
inline constexpr char kTransformerArea[] = "TA-FLOW-7";

inline google::protobuf::Timestamp Stamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// BR-1: a repair crew for public-network faults in one county, one feeder
// and one transformer area, saved through dispatch as an admin.
inline grpc::Status RegisterRepairCrew(const Backend& backend, dispatch_e2e::dv1::Branch* saved) {
  namespace dv1 = dispatch_e2e::dv1;
  dv1::Branch b;
  b.set_branch_id(kBranchId);
  b.set_name("Flow County repair crew");
  b.set_kind("repair_crew");
  b.set_duty_phone("0578-6210100");
  b.set_area_class(common::v1::AREA_CLASS_RURAL);
  b.add_ticket_types(common::v1::TICKET_TYPE_REPAIR);
  b.add_fault_scopes("public_network");
  auto cover = [&](dv1::TerritoryLevel level, const std::string& value) {
    dv1::TerritoryEntry* t = b.add_territory();
    t->set_level(level);
    t->set_value(value);
  };
  cover(dv1::TERRITORY_LEVEL_COUNTY, absl::StrCat(kProvince, "/", kCity, "/", kCounty));
  cover(dv1::TERRITORY_LEVEL_FEEDER, kFeeder);
  cover(dv1::TERRITORY_LEVEL_TRANSFORMER_AREA, kTransformerArea);
  auto stub = dv1::Dispatch::NewStub(backend.Channel("dispatch"));
  auto context = dispatch_e2e::Call(backend.Token("admin"));
  return stub->UpsertBranch(context.get(), b, saved);
}

// A utility-side "no power" repair inside BR-1's territory, at house
// `house` of River Road. Repairs at one house, or in one transformer area,
// are merged as urgings: a house other than 8 gets a transformer area of its
// own (still in BR-1's county).
inline intake::v1::CreateTicketRequest RepairInTheCrewsTerritory(const std::string& idempotency_key,
                                                                 int house = 8) {
  intake::v1::CreateTicketRequest r;
  r.set_idempotency_key(idempotency_key);
  r.set_type(common::v1::TICKET_TYPE_REPAIR);
  r.set_channel(common::v1::CHANNEL_PHONE);
  r.mutable_customer()->set_name("Han Meimei");
  r.mutable_customer()->set_phone("13912345678");
  common::v1::Address& a = *r.mutable_address();
  a.set_province(kProvince);
  a.set_city(kCity);
  a.set_county(kCounty);
  a.set_township("Flow Town");
  a.set_village_or_community("Flow Village");
  a.set_street(absl::StrCat(house, " River Road"));
  a.set_feeder(kFeeder);
  a.set_transformer_area(house == 8 ? std::string(kTransformerArea)
                                    : absl::StrCat("TA-FLOW-H", house));
  a.set_area_class(common::v1::AREA_CLASS_RURAL);
  r.set_description("no power in the whole house since the storm");
  intake::v1::RepairDetails& repair = *r.mutable_details()->mutable_repair();
  repair.set_symptom(intake::v1::REPAIR_SYMPTOM_NO_POWER);
  repair.set_extent(intake::v1::FAULT_EXTENT_BUILDING);
  repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
  *repair.mutable_fault_time() = Stamp(absl::Now() - absl::Minutes(10));
  repair.set_fault_category(intake::v1::FAULT_CATEGORY_OTHER);
  repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  return r;
}

}  // namespace hotline::testing::repair_e2e
