#include "services/dispatch/domain/vocabulary.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::dispatch {

int AreaPathParts(TerritoryLevel level) {
  switch (level) {
    case v1::TERRITORY_LEVEL_PROVINCE:
      return 1;
    case v1::TERRITORY_LEVEL_CITY:
      return 2;
    case v1::TERRITORY_LEVEL_COUNTY:
      return 3;
    case v1::TERRITORY_LEVEL_TOWNSHIP:
      return 4;
    case v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY:
      return 5;
    default:
      return 0;
  }
}

std::string TerritoryLevelWords(TerritoryLevel level) {
  return absl::StrReplaceAll(EnumText(level), {{"_", " "}});
}

const std::vector<std::string>& BranchKinds() {
  static const std::vector<std::string> kKinds = {
      "supply_station", "repair_crew", "business_hall", "metering_office", "distribution_district",
      "marketing",      "discipline",  "inspection",    "dispatch_center"};
  return kKinds;
}

bool IsRoutingTarget(absl::string_view kind) { return kind != "dispatch_center"; }

const std::vector<std::string>& WorkScopes() {
  static const std::vector<std::string> kScopes = {// repairs
                                                   "public_network", "meter_box", "hv_metering",
                                                   // complaints: the five level-one categories
                                                   "grid_construction", "service", "supply_quality",
                                                   "outage_and_restoration", "business",
                                                   // tip-off reports
                                                   "misconduct", "theft"};
  return kScopes;
}

bool IsWorkScope(absl::string_view scope) {
  const auto& scopes = WorkScopes();
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::string NormalizeWord(absl::string_view text) {
  std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (char& c : word) {
    if (c == ' ' || c == '-') {
      c = '_';
    }
  }
  return word;
}

}  // namespace hotline::dispatch
