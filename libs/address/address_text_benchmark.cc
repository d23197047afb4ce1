// How fast address text is compared: every duplicate-repair check, routing
// decision and outage address check goes through these functions.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "libs/address/address_text.h"
#include "libs/bench/require.h"

namespace hotline::address {
namespace {

// A street as agents type it: Chinese text with full-width digits, spaces and
// Chinese punctuation mixed in.
constexpr char kTypedStreet[] = "解放路８号院　３栋（东门）、二单元 1201室";

void BM_NormalizeTypedStreet(benchmark::State& state) {
  bench::Require(NormalizeAddressText(kTypedStreet) == "解放路8号院3栋东门二单元1201室",
                 "the typed street normalises to " + NormalizeAddressText(kTypedStreet));
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeAddressText(kTypedStreet));
  }
}
BENCHMARK(BM_NormalizeTypedStreet);

// A transformer-area id, the shortest text compared.
void BM_NormalizeTransformerAreaId(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeAddressText("ＴＡ－００１２"));
  }
}
BENCHMARK(BM_NormalizeTransformerAreaId);

common::v1::Address CustomerAddress() {
  common::v1::Address a = AreaAddress("广东省", "清远市", "连州市", "城关镇", "东风村");
  a.set_street("解放路8号");
  return a;
}

void BM_AreaPartsOfAddress(benchmark::State& state) {
  const common::v1::Address address = CustomerAddress();
  for (auto _ : state) {
    benchmark::DoNotOptimize(AreaPartsOf(address));
  }
}
BENCHMARK(BM_AreaPartsOfAddress);

void BM_SplitTerritoryPath(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(SplitAreaPath("广东省/清远市/连州市/城关镇/东风村"));
  }
}
BENCHMARK(BM_SplitTerritoryPath);

// A county territory holding an address that gives only county and street
// (what intake asks for), the parts already normalised as callers keep them.
void BM_AddressHoldsCountyTerritory(benchmark::State& state) {
  const std::vector<std::string> territory = SplitAreaPath("广东省/清远市/连州市");
  const AreaParts address = AreaPartsOf(AreaAddress("", "", "连州市"));
  bench::Require(AddressHolds(territory, address), "the county holds the address");
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddressHolds(territory, address));
  }
}
BENCHMARK(BM_AddressHoldsCountyTerritory);

// An outage notice's village area (without its county) against a full address.
void BM_AddressHoldsNoticeArea(benchmark::State& state) {
  const AreaParts area = AreaPartsOf(AreaAddress("", "", "", "城关镇", "东风村"));
  const AreaParts address = AreaPartsOf(CustomerAddress());
  bench::Require(AddressHolds(area, address), "the notice's village holds the address");
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddressHolds(area, address));
  }
}
BENCHMARK(BM_AddressHoldsNoticeArea);

}  // namespace
}  // namespace hotline::address
