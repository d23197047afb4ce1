// How long CreateTicket's checks take (ValidateCreateTicket, run on every
// call before anything is read or stored), for the commonest tickets: a
// repair with every detail and a consultation.

#include <benchmark/benchmark.h>

#include "libs/bench/require.h"
#include "libs/proto_time/proto_time.h"
#include "services/intake/tickets/domain/ticket_validation.h"

namespace hotline::intake {
namespace {

using common::v1::TicketType;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

v1::CreateTicketRequest Caller(TicketType type) {
  v1::CreateTicketRequest r;
  r.set_idempotency_key("call-20261206-0815-000173");
  r.set_type(type);
  r.set_channel(common::v1::CHANNEL_PHONE);
  r.mutable_customer()->set_name("张三丰");
  r.mutable_customer()->set_phone("13812345678");
  common::v1::Address& a = *r.mutable_address();
  a.set_county("连州市");
  a.set_township("城关镇");
  a.set_village_or_community("东风村");
  a.set_street("解放路8号院3栋二单元");
  a.set_landmark("东风村委会对面，小卖部旁边");
  a.set_area_class(common::v1::AREA_CLASS_RURAL);
  return r;
}

// "整栋楼停电" reported 20 minutes after it began.
v1::CreateTicketRequest NoPowerRepair() {
  v1::CreateTicketRequest r = Caller(TicketType::TICKET_TYPE_REPAIR);
  r.set_description("整栋楼停电，邻居家也没电，楼道灯不亮");
  v1::RepairDetails& repair = *r.mutable_details()->mutable_repair();
  repair.set_symptom(v1::REPAIR_SYMPTOM_NO_POWER);
  repair.set_extent(v1::FAULT_EXTENT_BUILDING);
  repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
  *repair.mutable_fault_time() = ToProtoTime(kNow - absl::Minutes(20));
  repair.set_fault_category(v1::FAULT_CATEGORY_OTHER);
  repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  return r;
}

v1::CreateTicketRequest TariffConsultation() {
  v1::CreateTicketRequest r = Caller(TicketType::TICKET_TYPE_CONSULTATION);
  r.set_description("咨询阶梯电价和峰谷电价的计算方法");
  r.mutable_details()->mutable_consultation()->set_topic("阶梯电价");
  r.mutable_details()->mutable_consultation()->set_resolution(
      v1::INQUIRY_RESOLUTION_NEEDS_DEPARTMENT);
  return r;
}

void BM_ValidateRepairTicket(benchmark::State& state) {
  const v1::CreateTicketRequest request = NoPowerRepair();
  const absl::Status status = ValidateCreateTicket(request, kNow);
  bench::Require(status.ok(), "the repair is valid: " + status.ToString());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateCreateTicket(request, kNow));
  }
}
BENCHMARK(BM_ValidateRepairTicket);

void BM_ValidateConsultationTicket(benchmark::State& state) {
  const v1::CreateTicketRequest request = TariffConsultation();
  const absl::Status status = ValidateCreateTicket(request, kNow);
  bench::Require(status.ok(), "the consultation is valid: " + status.ToString());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateCreateTicket(request, kNow));
  }
}
BENCHMARK(BM_ValidateConsultationTicket);

// A refusal (a phone number that is none): the message is built.
void BM_ValidateRepairWithBadPhone(benchmark::State& state) {
  v1::CreateTicketRequest request = NoPowerRepair();
  request.mutable_customer()->set_phone("138-1234");
  bench::Require(ValidateCreateTicket(request, kNow).code() == absl::StatusCode::kInvalidArgument,
                 "the bad phone is refused");
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateCreateTicket(request, kNow));
  }
}
BENCHMARK(BM_ValidateRepairWithBadPhone);

}  // namespace
}  // namespace hotline::intake
