#include "tools/bench/requests.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::bench {
namespace {

namespace cv1 = hotline::common::v1;
namespace iv1 = hotline::intake::v1;

constexpr char kProvince[] = "Demo Province";
constexpr char kBenchCity[] = "Qingyuan";
constexpr char kBenchCounty[] = "Bench County";
constexpr char kBenchTown[] = "Bench Town";
constexpr char kDescriptionPrefix[] = "bench ";

void Customer(int64_t n, cv1::CustomerContact& customer) {
  customer.set_name("Bench Customer");
  // A mobile number: 139 and eight digits.
  customer.set_phone(absl::StrCat("139", 10000000 + n % 90000000));
}

}  // namespace

const std::vector<DemoPlace>& DemoPlaces() {
  static const std::vector<DemoPlace> places = {
      {"TA-LD-0101", "F10-LD-101", "Qingyuan", "Liandu District", "Zijin Street",
       "Huayuan Community", cv1::AREA_CLASS_URBAN},
      {"TA-LD-0102", "F10-LD-101", "Qingyuan", "Liandu District", "Zijin Street",
       "Huayuan Community", cv1::AREA_CLASS_URBAN},
      {"TA-LD-0201", "F10-LD-102", "Qingyuan", "Liandu District", "Yanquan Street",
       "Xiyan Community", cv1::AREA_CLASS_URBAN},
      {"TA-SX-0007", "F10-SX-201", "Qingyuan", "Liandu District", "Shixi Town", "Xiayang Village",
       cv1::AREA_CLASS_RURAL},
      {"TA-SX-0008", "F10-SX-201", "Qingyuan", "Liandu District", "Shixi Town", "Shangyang Village",
       cv1::AREA_CLASS_RURAL},
      {"TA-HL-0003", "F10-HL-301", "Qingyuan", "Jingning County", "Huangling Town",
       "Dongkeng Village", cv1::AREA_CLASS_REMOTE},
  };
  return places;
}

std::string BenchVillage(const std::string& branch_id) {
  return absl::StrCat(branch_id, " Village");
}

hotline::dispatch::v1::Branch BenchBranch(const std::string& branch_id) {
  hotline::dispatch::v1::Branch b;
  b.set_branch_id(branch_id);
  b.set_name(absl::StrCat("Bench supply station ", branch_id));
  b.set_kind("supply_station");
  b.set_duty_phone("0578-6000000");
  b.set_area_class(cv1::AREA_CLASS_RURAL);
  b.add_ticket_types(cv1::TICKET_TYPE_REPAIR);
  b.add_fault_scopes("public_network");
  auto* t = b.add_territory();
  t->set_level(hotline::dispatch::v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY);
  t->set_value(absl::StrCat(kProvince, "/", kBenchCity, "/", kBenchCounty, "/", kBenchTown, "/",
                            BenchVillage(branch_id)));
  return b;
}

cv1::Address AddressOf(const DemoPlace& place, bool with_transformer_area) {
  cv1::Address a;
  a.set_province(kProvince);
  a.set_city(place.city);
  a.set_county(place.county);
  a.set_township(place.township);
  a.set_village_or_community(place.village);
  if (with_transformer_area) {
    a.set_feeder(place.feeder);
    a.set_transformer_area(place.transformer_area);
  }
  a.set_area_class(place.area_class);
  return a;
}

cv1::Address AddressOfBranch(const std::string& branch_id) {
  cv1::Address a;
  a.set_province(kProvince);
  a.set_city(kBenchCity);
  a.set_county(kBenchCounty);
  a.set_township(kBenchTown);
  a.set_village_or_community(BenchVillage(branch_id));
  a.set_area_class(cv1::AREA_CLASS_RURAL);
  return a;
}

iv1::CreateTicketRequest RepairAt(const std::string& key, int64_t n, const cv1::Address& place,
                                  absl::Time now) {
  iv1::CreateTicketRequest r;
  r.set_idempotency_key(key);
  r.set_type(cv1::TICKET_TYPE_REPAIR);
  r.set_channel(cv1::CHANNEL_PHONE);
  Customer(n, *r.mutable_customer());
  *r.mutable_address() = place;
  // Every household its own street number: not a repeat of another's call.
  r.mutable_address()->set_street(absl::StrCat(n, " Bench Road"));
  r.set_description(absl::StrCat(kDescriptionPrefix, key));
  iv1::RepairDetails& repair = *r.mutable_details()->mutable_repair();
  repair.set_symptom(iv1::REPAIR_SYMPTOM_NO_POWER);
  repair.set_extent(iv1::FAULT_EXTENT_ONE_HOUSEHOLD);
  repair.set_equipment_owner(cv1::EQUIPMENT_OWNER_UTILITY);
  *repair.mutable_fault_time() = ToProtoTime(now - absl::Minutes(5));
  repair.set_fault_category(iv1::FAULT_CATEGORY_OTHER);
  repair.set_fault_scope(cv1::FAULT_SCOPE_PUBLIC_NETWORK);
  return r;
}

std::string KeyOfDescription(const std::string& description) {
  absl::string_view text = description;
  if (!absl::ConsumePrefix(&text, kDescriptionPrefix)) {
    return "";
  }
  return std::string(text);
}

iv1::CreateTicketRequest TicketOfKind(TicketKind kind, const std::string& key, int64_t n,
                                      absl::BitGen& random, absl::Time now) {
  const std::vector<DemoPlace>& places = DemoPlaces();
  const DemoPlace& place = places[absl::Uniform<size_t>(random, 0, places.size())];
  if (kind == TicketKind::kRepair) {
    iv1::CreateTicketRequest r = RepairAt(key, n, AddressOf(place, false), now);
    // 20% equipment, 20% line, 60% other (mostly no power at one address).
    const int pick = absl::Uniform(random, 0, 10);
    r.mutable_details()->mutable_repair()->set_fault_category(
        pick < 2 ? iv1::FAULT_CATEGORY_EQUIPMENT
                 : (pick < 4 ? iv1::FAULT_CATEGORY_LINE : iv1::FAULT_CATEGORY_OTHER));
    return r;
  }
  iv1::CreateTicketRequest r;
  r.set_idempotency_key(key);
  r.set_channel(cv1::CHANNEL_PHONE);
  Customer(n, *r.mutable_customer());
  r.set_description(absl::StrCat(kDescriptionPrefix, key));
  iv1::TicketDetails& d = *r.mutable_details();
  switch (kind) {
    case TicketKind::kQuery:
      r.set_type(cv1::TICKET_TYPE_QUERY);
      d.mutable_query()->set_topic("bill");
      d.mutable_query()->set_resolution(iv1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE);
      d.mutable_query()->set_answer("read the amount and the due day to the customer");
      break;
    case TicketKind::kConsultation:
      r.set_type(cv1::TICKET_TYPE_CONSULTATION);
      d.mutable_consultation()->set_topic("time-of-use tariff");
      d.mutable_consultation()->set_resolution(iv1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE);
      d.mutable_consultation()->set_answer("explained the peak and valley hours");
      break;
    case TicketKind::kApplication:
      r.set_type(cv1::TICKET_TYPE_APPLICATION);
      *r.mutable_address() = AddressOf(place, false);
      r.mutable_address()->set_street(absl::StrCat(n, " Bench Road"));
      d.mutable_application()->set_kind(iv1::APPLICATION_KIND_NEW_CONNECTION);
      break;
    case TicketKind::kComplaint:
      r.set_type(cv1::TICKET_TYPE_COMPLAINT);
      d.mutable_complaint()->set_category(iv1::COMPLAINT_CATEGORY_SUPPLY_QUALITY);
      break;
    case TicketKind::kReport:
    case TicketKind::kTheftReport:
      r.set_type(cv1::TICKET_TYPE_REPORT);
      r.clear_customer();  // a reporter goes in the details
      d.mutable_report()->set_subject(kind == TicketKind::kReport ? iv1::REPORT_SUBJECT_MISCONDUCT
                                                                  : iv1::REPORT_SUBJECT_THEFT);
      d.mutable_report()->set_anonymous(true);
      break;
    case TicketKind::kRepair:
      break;
  }
  return r;
}

void AppendCallEvents(const std::string& call_id, CallEnd end, absl::Time now,
                      std::vector<iv1::CallEvent>& out) {
  int n = 0;
  // The call has just ended: its events are dated in the last minutes.
  const absl::Time t0 = now - absl::Seconds(200);
  auto add = [&](absl::Duration after, bool with_queue) -> iv1::CallEvent& {
    iv1::CallEvent& e = out.emplace_back();
    e.set_event_id(absl::StrCat(call_id, "-e", ++n));
    e.set_call_id(call_id);
    if (with_queue) {
      e.set_queue("general");
    }
    *e.mutable_at() = ToProtoTime(t0 + after);
    return e;
  };
  iv1::CallOffered* offered = add(absl::ZeroDuration(), true).mutable_offered();
  offered->set_channel(cv1::CHANNEL_PHONE);
  if (end == CallEnd::kVoiceLine) {
    offered->set_route(iv1::CALL_ROUTE_IVR);
    add(absl::Seconds(30), false).mutable_ivr_finished()->set_topic(iv1::IVR_TOPIC_OTHER);
    add(absl::Seconds(31), false).mutable_ended()->set_talk_seconds(0);
    return;
  }
  offered->set_route(iv1::CALL_ROUTE_AGENT);
  add(absl::Seconds(1), true).mutable_queued();
  if (end == CallEnd::kAbandoned) {
    iv1::CallAbandoned* abandoned = add(absl::Seconds(20), false).mutable_abandoned();
    abandoned->set_stage(iv1::ABANDON_STAGE_QUEUED);
    abandoned->set_wait_seconds(19);
    add(absl::Seconds(20), false).mutable_ended()->set_talk_seconds(0);
    return;
  }
  const std::string agent = absl::StrCat("bench-agent-", call_id.size() % 50);
  add(absl::Seconds(4), false).mutable_ringing()->set_agent_id(agent);
  iv1::CallAnswered* answered = add(absl::Seconds(9), false).mutable_answered();
  answered->set_agent_id(agent);
  answered->set_ring_seconds(5);
  answered->set_wait_seconds(3);
  add(absl::Seconds(129), false).mutable_ended()->set_talk_seconds(120);
}

hotline::outage::v1::CheckAddressRequest CheckOf(const DemoPlace& place, int64_t n) {
  hotline::outage::v1::CheckAddressRequest r;
  *r.mutable_address() = AddressOf(place, true);
  r.mutable_address()->set_street(absl::StrCat(n % 1000, " Bench Road"));
  return r;
}

}  // namespace hotline::bench
