// How long an address check takes against the notices held in memory
// (CheckAddress: PlaceOf, then NoticeIndex::Covering), with 10,000 open
// notices spread over a province, and how long a notice put takes.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/bench/require.h"
#include "libs/proto_time/proto_time.h"
#include "services/outage/domain/notice_index.h"

namespace hotline::outage {
namespace {

using ::hotline::address::AreaAddress;

constexpr int kNotices = 10000;
// 20 counties of 25 townships of 20 villages: one notice a village.
constexpr int kTownshipsPerCounty = 25;
constexpr int kVillagesPerTownship = 20;

std::string County(int n) { return absl::StrCat("第", n, "县"); }
std::string Township(int n) { return absl::StrCat("第", n, "镇"); }
std::string Village(int n) { return absl::StrCat("第", n, "村"); }

// Notice i: a planned outage of one village (county, township and village
// named), its transformer area and its 10 kV feeder.
v1::OutageNotice VillageNotice(int i) {
  const int village = i % kVillagesPerTownship;
  const int township = (i / kVillagesPerTownship) % kTownshipsPerCounty;
  const int county = i / (kVillagesPerTownship * kTownshipsPerCounty);
  v1::OutageNotice n;
  n.set_notice_id(absl::StrCat("notice-", i));
  n.set_kind(v1::OUTAGE_KIND_PLANNED);
  n.set_state(i % 10 == 0 ? v1::NOTICE_STATE_ACTIVE : v1::NOTICE_STATE_SCHEDULED);
  n.set_version(1);
  const absl::Time start =
      absl::FromCivil(absl::CivilHour(2026, 12, 10 + i % 20, 8), absl::FixedTimeZone(8 * 3600));
  *n.mutable_planned_start() = ToProtoTime(start);
  *n.mutable_planned_restore() = ToProtoTime(start + absl::Hours(10));
  *n.add_areas() = AreaAddress("", "", County(county), Township(township), Village(village));
  n.add_transformer_areas(absl::StrCat("TA-", i));
  n.add_feeders(absl::StrCat("10kV", County(county), Township(township), "线"));
  n.set_work("10kV线路检修，更换避雷器");
  return n;
}

std::vector<v1::OutageNotice> Province() {
  std::vector<v1::OutageNotice> notices;
  notices.reserve(kNotices);
  for (int i = 0; i < kNotices; ++i) {
    notices.push_back(VillageNotice(i));
  }
  return notices;
}

const NoticeIndex& HeldIndex() {
  static NoticeIndex* const index = [] {
    auto* held = new NoticeIndex();
    held->Reset(Province());
    return held;
  }();
  return *index;
}

// A customer's address as intake records it, full width and spaces included.
common::v1::Address CustomerIn(int county, int township, int village) {
  common::v1::Address a =
      AreaAddress("广东省", "清远市", County(county), Township(township), Village(village));
  a.set_street("解放路８号 ３栋");
  return a;
}

// A village with a notice: one notice covers it (its township's feeder is
// not part of the address).
void BM_CheckAddressWithNotice(benchmark::State& state) {
  const NoticeIndex& index = HeldIndex();
  const common::v1::Address address = CustomerIn(7, 3, 11);
  bench::Require(index.size() == kNotices, "every notice is held");
  bench::Require(index.Covering(PlaceOf(address)).size() == 1, "one notice covers the village");
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Covering(PlaceOf(address)));
  }
}
BENCHMARK(BM_CheckAddressWithNotice);

// A county with no notice: the commonest answer.
void BM_CheckAddressWithoutNotice(benchmark::State& state) {
  const NoticeIndex& index = HeldIndex();
  const common::v1::Address address = CustomerIn(99, 3, 11);
  bench::Require(index.Covering(PlaceOf(address)).empty(), "nothing covers the other county");
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Covering(PlaceOf(address)));
  }
}
BENCHMARK(BM_CheckAddressWithoutNotice);

// By feeder: the 20 notices of one township's line.
void BM_CheckFeeder(benchmark::State& state) {
  const NoticeIndex& index = HeldIndex();
  common::v1::Address address;
  address.set_feeder(absl::StrCat("10kV", County(7), Township(3), "线"));
  bench::Require(index.Covering(PlaceOf(address)).size() == kVillagesPerTownship,
                 "the feeder's notices cover it");
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Covering(PlaceOf(address)));
  }
}
BENCHMARK(BM_CheckFeeder);

// By transformer area (a check by account number, once the account's
// transformer area is read).
void BM_CheckTransformerArea(benchmark::State& state) {
  const NoticeIndex& index = HeldIndex();
  bench::Require(index.Covering(TransformerAreaPlace("TA-4321")).size() == 1,
                 "one notice covers the transformer area");
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Covering(TransformerAreaPlace("TA-4321")));
  }
}
BENCHMARK(BM_CheckTransformerArea);

// A notice amended: put with a newer version each time, into a full index.
void BM_PutAmendedNotice(benchmark::State& state) {
  NoticeIndex index;
  index.Reset(Province());
  v1::OutageNotice notice = VillageNotice(4321);
  int64_t version = 1;
  for (auto _ : state) {
    notice.set_version(++version);
    benchmark::DoNotOptimize(index.Put(notice));
  }
  bench::Require(index.size() == kNotices, "the amended notice replaced itself");
}
BENCHMARK(BM_PutAmendedNotice);

// Loading every open notice, as at start.
void BM_ResetWithProvince(benchmark::State& state) {
  const std::vector<v1::OutageNotice> notices = Province();
  for (auto _ : state) {
    NoticeIndex index;
    index.Reset(notices);
    benchmark::DoNotOptimize(index.size());
  }
}
BENCHMARK(BM_ResetWithProvince)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hotline::outage
