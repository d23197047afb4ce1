#include "services/intake/tickets/domain/duplicate_repair.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/address/address_text.h"

namespace hotline::intake {
namespace {

std::string Normalise(absl::string_view text) { return address::NormalizeAddressText(text); }

}  // namespace

std::string PlaceKey(const common::v1::Address& address) {
  std::string street = Normalise(address.street());
  if (street.empty()) {
    return "";
  }
  return absl::StrJoin(
      {Normalise(address.city()), Normalise(address.county()), Normalise(address.township()),
       Normalise(address.village_or_community()), street},
      "|");
}

std::string TransformerAreaKey(const common::v1::Address& address) {
  return Normalise(address.transformer_area());
}

std::optional<OpenRepair> FindRepeatedRepair(const RepairPlace& place,
                                             const std::vector<OpenRepair>& open, absl::Time now,
                                             absl::Duration window) {
  std::optional<OpenRepair> earliest;
  for (const OpenRepair& repair : open) {
    bool same_place = !place.place_key.empty() && repair.place_key == place.place_key;
    bool same_area =
        !place.transformer_area.empty() && repair.transformer_area == place.transformer_area;
    bool recent = now - repair.created_at <= window;
    if ((same_place || same_area) && recent &&
        (!earliest.has_value() || repair.created_at < earliest->created_at)) {
      earliest = repair;
    }
  }
  return earliest;
}

std::vector<std::string> PlaceLockNames(const RepairPlace& place) {
  std::vector<std::string> names;
  if (!place.place_key.empty()) {
    names.push_back(absl::StrCat("repair-place:", place.place_key));
  }
  if (!place.transformer_area.empty()) {
    names.push_back(absl::StrCat("repair-transformer-area:", place.transformer_area));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hotline::intake
