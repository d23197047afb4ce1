// How long the outage RPCs' request checks take: PublishNotice's (the
// widest request) and CheckAddress's (the most frequent one).

#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/bench/require.h"
#include "libs/proto_time/proto_time.h"
#include "services/outage/domain/notice_requests.h"

namespace hotline::outage {
namespace {

const absl::TimeZone kBeijing = absl::FixedTimeZone(8 * 3600);
const absl::Time kNow = absl::FromCivil(absl::CivilHour(2026, 12, 1, 9), kBeijing);
const absl::Time kStart = absl::FromCivil(absl::CivilHour(2026, 12, 10, 8), kBeijing);

v1::DirectCustomer Customer(std::string name, std::string phone, int32_t kva) {
  v1::DirectCustomer c;
  c.set_name(std::move(name));
  c.set_phone(std::move(phone));
  c.set_capacity_kva(kva);
  return c;
}

// A planned outage of `villages` villages of one township, nine days ahead,
// with a dedicated transformer and a hospital to call.
v1::PublishNoticeRequest PlannedOutage(int villages) {
  v1::PublishNoticeRequest r;
  r.set_idempotency_key("pub-2026-12-01-017");
  v1::OutageNotice& n = *r.mutable_notice();
  n.set_kind(v1::OUTAGE_KIND_PLANNED);
  for (int i = 0; i < villages; ++i) {
    common::v1::Address& a = *n.add_areas();
    a.set_county("连州市");
    a.set_township("城关镇");
    a.set_village_or_community(absl::StrCat("东风", i, "村"));
  }
  n.add_transformer_areas("TA-0012");
  n.add_feeders("10kV城东线");
  n.set_work("10kV城东线检修，更换#12杆避雷器及绝缘子");
  *n.mutable_planned_start() = ToProtoTime(kStart);
  *n.mutable_planned_restore() = ToProtoTime(kStart + absl::Hours(10));
  *n.add_dedicated_transformers() = Customer("城东水厂", "0763-6612345", 315);
  *n.add_important_customers() = Customer("连州市人民医院", "13900002222", 0);
  n.set_person_in_charge("王工");
  n.set_phone("13900001111");
  return r;
}

// range(0): villages named in the notice (each compared with the others).
void BM_ValidatePublishPlannedOutage(benchmark::State& state) {
  const v1::PublishNoticeRequest request = PlannedOutage(static_cast<int>(state.range(0)));
  const NoticeRules rules;
  const absl::Status status = ValidatePublish(request, rules, kNow);
  bench::Require(status.ok(), "the notice is valid: " + status.ToString());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidatePublish(request, rules, kNow));
  }
}
BENCHMARK(BM_ValidatePublishPlannedOutage)->Arg(1)->Arg(30);

void BM_ValidateCheckAddress(benchmark::State& state) {
  v1::CheckAddressRequest request;
  common::v1::Address& a = *request.mutable_address();
  a.set_county("连州市");
  a.set_township("城关镇");
  a.set_village_or_community("东风村");
  a.set_street("解放路8号");
  const absl::Status status = ValidateCheck(request);
  bench::Require(status.ok(), "the check is valid: " + status.ToString());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateCheck(request));
  }
}
BENCHMARK(BM_ValidateCheckAddress);

}  // namespace
}  // namespace hotline::outage
