#include "services/dispatch/domain/vocabulary.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace hotline::dispatch {
namespace {

// Proto enum value names are PREFIX_NAME; the word is the lower-case NAME.
template <typename Enum, typename NameFn>
std::string WordOf(Enum value, absl::string_view prefix, NameFn name_fn) {
  if (static_cast<int>(value) == 0) {
    return "";
  }
  std::string name = name_fn(value);
  if (!absl::StartsWith(name, prefix)) {
    return "";
  }
  return absl::AsciiStrToLower(absl::string_view(name).substr(prefix.size()));
}

template <typename Enum, typename ParseFn>
std::optional<Enum> EnumOf(absl::string_view word, absl::string_view prefix, ParseFn parse_fn) {
  if (word.empty() || word != absl::AsciiStrToLower(word)) {
    return std::nullopt;
  }
  Enum value;
  if (!parse_fn(absl::StrCat(prefix, absl::AsciiStrToUpper(word)), &value) ||
      static_cast<int>(value) == 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string TicketTypeName(TicketType type) {
  return WordOf(type, "TICKET_TYPE_", [](TicketType t) { return common::v1::TicketType_Name(t); });
}
std::optional<TicketType> TicketTypeFromName(absl::string_view name) {
  return EnumOf<TicketType>(name, "TICKET_TYPE_", common::v1::TicketType_Parse);
}

std::string AreaClassName(AreaClass area_class) {
  return WordOf(area_class, "AREA_CLASS_",
                [](AreaClass a) { return common::v1::AreaClass_Name(a); });
}
std::optional<AreaClass> AreaClassFromName(absl::string_view name) {
  return EnumOf<AreaClass>(name, "AREA_CLASS_", common::v1::AreaClass_Parse);
}

std::string TerritoryLevelName(TerritoryLevel level) {
  return WordOf(level, "TERRITORY_LEVEL_",
                [](TerritoryLevel l) { return v1::TerritoryLevel_Name(l); });
}
std::optional<TerritoryLevel> TerritoryLevelFromName(absl::string_view name) {
  return EnumOf<TerritoryLevel>(name, "TERRITORY_LEVEL_", v1::TerritoryLevel_Parse);
}

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
  return absl::StrReplaceAll(TerritoryLevelName(level), {{"_", " "}});
}

std::string OrderStatusName(OrderStatus status) {
  return WordOf(status, "ORDER_STATUS_", [](OrderStatus s) { return v1::OrderStatus_Name(s); });
}
std::optional<OrderStatus> OrderStatusFromName(absl::string_view name) {
  return EnumOf<OrderStatus>(name, "ORDER_STATUS_", v1::OrderStatus_Parse);
}

std::string ProgressStepName(ProgressStep step) {
  return WordOf(step, "PROGRESS_STEP_", [](ProgressStep s) { return v1::ProgressStep_Name(s); });
}
std::optional<ProgressStep> ProgressStepFromName(absl::string_view name) {
  return EnumOf<ProgressStep>(name, "PROGRESS_STEP_", v1::ProgressStep_Parse);
}

std::string FaultKindName(FaultKind kind) {
  return WordOf(kind, "FAULT_KIND_", [](FaultKind k) { return v1::FaultKind_Name(k); });
}
std::optional<FaultKind> FaultKindFromName(absl::string_view name) {
  return EnumOf<FaultKind>(name, "FAULT_KIND_", v1::FaultKind_Parse);
}

std::string ReturnReasonName(ReturnReason reason) {
  return WordOf(reason, "RETURN_REASON_", [](ReturnReason r) { return v1::ReturnReason_Name(r); });
}

std::optional<ReturnReason> ReturnReasonFromName(absl::string_view name) {
  return EnumOf<ReturnReason>(name, "RETURN_REASON_", v1::ReturnReason_Parse);
}

std::string EquipmentOwnerName(EquipmentOwner owner) {
  return WordOf(owner, "EQUIPMENT_OWNER_",
                [](EquipmentOwner o) { return common::v1::EquipmentOwner_Name(o); });
}

std::string FaultScopeName(FaultScope scope) {
  return WordOf(scope, "FAULT_SCOPE_", [](FaultScope s) { return common::v1::FaultScope_Name(s); });
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
