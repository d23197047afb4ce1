#include "services/intake/tickets/domain/outage_restore.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/address/address_text.h"

namespace hotline::intake {
namespace {

// The area's parts, province first, down to the deepest it names (empty:
// it names none).
std::vector<std::string> AreaPath(const common::v1::Address& area) {
  const address::AreaParts parts = address::AreaPartsOf(area);
  size_t depth = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].empty()) {
      depth = i + 1;
    }
  }
  return std::vector<std::string>(parts.begin(),
                                  parts.begin() + static_cast<std::ptrdiff_t>(depth));
}

// The area as the notice wrote it: its named parts joined by '/'.
std::string AreaText(const common::v1::Address& area) {
  std::vector<std::string> named;
  for (const std::string* part : {&area.province(), &area.city(), &area.county(), &area.township(),
                                  &area.village_or_community()}) {
    if (!part->empty()) {
      named.push_back(*part);
    }
  }
  return absl::StrJoin(named, "/");
}

// The first of `ids` equal to `own` once both are normalised (`own` is).
std::optional<std::string> SameId(const google::protobuf::RepeatedPtrField<std::string>& ids,
                                  const std::string& own) {
  if (own.empty()) {
    return std::nullopt;
  }
  for (const std::string& id : ids) {
    if (address::NormalizeAddressText(id) == own) {
      return id;
    }
  }
  return std::nullopt;
}

// Whether an area may hold the address: no level that both name differs.
bool MayHold(const std::vector<std::string>& area, const address::AreaParts& parts) {
  if (area.empty()) {
    return false;
  }
  for (size_t i = 0; i < area.size() && i < parts.size(); ++i) {
    if (!area[i].empty() && !parts[i].empty() && area[i] != parts[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> RestoredPlaceOf(const outage::v1::NoticeRestored& restored,
                                           const common::v1::Address& address) {
  if (restored.whole()) {
    return "the whole notice";
  }
  if (auto id = SameId(restored.transformer_areas(),
                       address::NormalizeAddressText(address.transformer_area()))) {
    return absl::StrCat("transformer area ", *id);
  }
  if (auto id = SameId(restored.feeders(), address::NormalizeAddressText(address.feeder()))) {
    return absl::StrCat("feeder ", *id);
  }
  const address::AreaParts parts = address::AreaPartsOf(address);
  for (const common::v1::Address& area : restored.areas()) {
    const std::vector<std::string> path = AreaPath(area);
    if (!path.empty() && address::AddressHolds(path, parts)) {
      return absl::StrCat("area ", AreaText(area));
    }
  }
  return std::nullopt;
}

std::optional<std::string> ResolvingPlaceOf(const outage::v1::NoticeRestored& restored,
                                            const common::v1::Address& address) {
  std::optional<std::string> place = RestoredPlaceOf(restored, address);
  if (!place.has_value() || restored.whole()) {
    return place;
  }
  // A place still off that holds the address (loosely: a part the address
  // leaves out is not held against the place) keeps the repair linked.
  const address::AreaParts parts = address::AreaPartsOf(address);
  for (const common::v1::Address& area : restored.still_off_areas()) {
    if (MayHold(AreaPath(area), parts)) {
      return std::nullopt;
    }
  }
  if (SameId(restored.still_off_transformer_areas(),
             address::NormalizeAddressText(address.transformer_area())) ||
      SameId(restored.still_off_feeders(), address::NormalizeAddressText(address.feeder()))) {
    return std::nullopt;
  }
  return place;
}

std::string DescribeRestore(const std::string& notice_id, const std::string& place,
                            absl::Time restored_at, absl::TimeZone zone) {
  return absl::StrCat("power restored: notice ", notice_id, ", ", place, "; at ",
                      absl::FormatTime("%Y-%m-%d %H:%M", restored_at, zone), " (", zone.name(),
                      ")");
}

}  // namespace hotline::intake
