// The address matcher: libs/address's comparable text and area holding, and
// outage's notice index that answers "is this address affected?"
// (services/outage/domain/notice_index.h), against a plain reading of its
// contract. The input gives an address's parts and an area path (strings),
// then the notices (a ListNoticesResponse's wire form).

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_join.h"
#include "libs/address/address_text.h"
#include "services/outage/domain/notice_index.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::outage {
namespace {

using address::AddressHolds;
using address::AreaPartsOf;
using address::NormalizeAddressText;
using fuzz::Expect;

void CheckText(const std::string& text) {
  const std::string normal = NormalizeAddressText(text);
  Expect(NormalizeAddressText(normal) == normal, "normalising twice changes nothing");
  for (char c : normal) {
    Expect(!(c >= 'A' && c <= 'Z'), "no upper-case ASCII letter in a normal form");
    Expect(c != ' ' && c != '\t' && c != ',' && c != '.' && c != '/',
           "no ASCII space or punctuation in a normal form");
  }
}

// An address lies in the area of its own parts, and in the area path of its
// parts from the province down, however the path spells them.
void CheckHolding(const common::v1::Address& place, const std::string& path) {
  const address::AreaParts parts = AreaPartsOf(place);
  const bool gives_any =
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return !p.empty(); });
  Expect(AddressHolds(parts, parts) == gives_any, "an address lies in its own area");
  const std::vector<std::string> raw = {place.province(), place.city(), place.county(),
                                        place.township(), place.village_or_community()};
  size_t given = 0;
  while (given < raw.size() && !parts[given].empty() && raw[given].find('/') == std::string::npos) {
    ++given;
  }
  if (given > 0) {
    const std::vector<std::string> area =
        address::SplitAreaPath(absl::StrJoin(raw.begin(), raw.begin() + given, "/"));
    Expect(AddressHolds(area, parts), "an address lies in the path of its upper parts");
  }
  const std::vector<std::string> other = address::SplitAreaPath(path);
  const std::vector<std::string> mine = address::SplitAreaPath(absl::StrJoin(raw, "/"));
  Expect(address::AreasNest(other, mine) == address::AreasNest(mine, other),
         "nesting is symmetric");
}

bool Held(const v1::OutageNotice& notice) {
  return notice.state() == v1::NOTICE_STATE_SCHEDULED || notice.state() == v1::NOTICE_STATE_ACTIVE;
}

bool NamesPlace(const google::protobuf::RepeatedPtrField<std::string>& ids,
                const std::string& key) {
  return !key.empty() && std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
    return NormalizeAddressText(id) == key;
  });
}

// The contract read plainly, for a held notice none of whose places is
// restored.
bool Covers(const v1::OutageNotice& notice, const PlaceQuery& query) {
  for (const common::v1::Address& area : notice.areas()) {
    if (AddressHolds(AreaPartsOf(area), query.area)) {
      return true;
    }
  }
  return NamesPlace(notice.transformer_areas(), query.transformer_area) ||
         NamesPlace(notice.feeders(), query.feeder);
}

void CheckIndex(const v1::ListNoticesResponse& list, const common::v1::Address& place) {
  std::vector<v1::OutageNotice> notices(list.notices().begin(), list.notices().end());
  std::map<std::string, int> seen;
  for (const v1::OutageNotice& notice : notices) {
    ++seen[notice.notice_id()];
  }
  NoticeIndex index;
  index.Reset(notices);
  const std::vector<v1::OutageNotice> all = index.All();
  Expect(all.size() == index.size(), "All() holds size() notices");
  const PlaceQuery query = PlaceOf(place);
  const std::vector<v1::OutageNotice> covering = index.Covering(query);
  std::set<std::string> found;
  for (size_t i = 0; i < covering.size(); ++i) {
    Expect(Held(covering[i]), "only open notices cover an address");
    Expect(found.insert(covering[i].notice_id()).second, "a notice is listed once");
    if (i > 0) {
      const auto& a = covering[i - 1].planned_start();
      const auto& b = covering[i].planned_start();
      Expect(std::make_tuple(a.seconds(), a.nanos(), covering[i - 1].notice_id()) <
                 std::make_tuple(b.seconds(), b.nanos(), covering[i].notice_id()),
             "by planned start, then notice id");
    }
  }
  for (const v1::OutageNotice& notice : notices) {
    if (notice.notice_id().empty() || seen[notice.notice_id()] != 1 ||
        notice.restored_places_size() > 0) {
      continue;  // the newest of several, and restored places, are the index's to decide
    }
    const bool expected = Held(notice) && Covers(notice, query);
    Expect(found.count(notice.notice_id()) == (expected ? 1u : 0u),
           expected ? "a notice that covers the address is found"
                    : "a notice that does not cover the address is not found");
    if (Held(notice)) {
      Expect(!index.Put(notice), "a notice put again at its version changes nothing");
    }
  }
}

}  // namespace
}  // namespace hotline::outage

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  hotline::common::v1::Address place;
  place.set_province(input.ConsumeRandomLengthString(40));
  place.set_city(input.ConsumeRandomLengthString(40));
  place.set_county(input.ConsumeRandomLengthString(40));
  place.set_township(input.ConsumeRandomLengthString(40));
  place.set_village_or_community(input.ConsumeRandomLengthString(40));
  place.set_transformer_area(input.ConsumeRandomLengthString(40));
  place.set_feeder(input.ConsumeRandomLengthString(40));
  const std::string path = input.ConsumeRandomLengthString(120);
  hotline::outage::CheckText(place.county());
  hotline::outage::CheckText(path);
  hotline::outage::CheckHolding(place, path);
  const std::string notices = input.ConsumeRemainingBytesAsString();
  hotline::outage::v1::ListNoticesResponse list;
  if (list.ParseFromString(notices)) {
    hotline::outage::CheckIndex(list, place);
  }
  return 0;
}
