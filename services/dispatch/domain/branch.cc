#include "services/dispatch/domain/branch.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/phone/phone_number.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::dispatch {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool IsIdChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

absl::Status ValidateTerritory(const Territory& entry, absl::string_view field) {
  if (entry.level == v1::TERRITORY_LEVEL_UNSPECIFIED || EnumText(entry.level).empty()) {
    return Invalid(field, "level is required");
  }
  if (entry.value.empty()) {
    return Invalid(field, "value is required");
  }
  int parts = AreaPathParts(entry.level);
  if (parts == 0) {
    if (entry.value.size() > 100 || entry.value.find('/') != std::string::npos) {
      return Invalid(field, absl::StrCat("a ", TerritoryLevelWords(entry.level),
                                         " is an id of at most 100 characters without '/'"));
    }
    return absl::OkStatus();
  }
  std::vector<absl::string_view> path = absl::StrSplit(entry.value, '/');
  bool empty_part =
      std::any_of(path.begin(), path.end(), [](absl::string_view p) { return p.empty(); });
  if (static_cast<int>(path.size()) != parts || empty_part || entry.value.size() > 300) {
    return Invalid(field,
                   absl::StrCat("a ", TerritoryLevelWords(entry.level), " is a path of ", parts,
                                " non-empty parts separated by '/' (got '", entry.value, "')"));
  }
  return absl::OkStatus();
}

}  // namespace

bool Branch::Takes(TicketType type) const {
  return std::find(ticket_types.begin(), ticket_types.end(), type) != ticket_types.end();
}

bool Branch::TakesScope(absl::string_view scope) const {
  return scope.empty() || fault_scopes.empty() ||
         std::find(fault_scopes.begin(), fault_scopes.end(), scope) != fault_scopes.end();
}

absl::Duration ArrivalLimits::For(AreaClass area_class) const {
  switch (area_class) {
    case common::v1::AREA_CLASS_RURAL:
      return rural;
    case common::v1::AREA_CLASS_REMOTE:
      return remote;
    default:
      return urban;
  }
}

absl::Status ValidateBranch(const Branch& b) {
  if (b.branch_id.empty() || b.branch_id.size() > 64 ||
      !std::all_of(b.branch_id.begin(), b.branch_id.end(), IsIdChar)) {
    return Invalid("branch_id", "1 to 64 letters, digits, '-', '_' or '.'");
  }
  if (absl::StripAsciiWhitespace(b.name).empty() || b.name.size() > 200) {
    return Invalid("name", "required, at most 200 characters");
  }
  const auto& kinds = BranchKinds();
  if (std::find(kinds.begin(), kinds.end(), b.kind) == kinds.end()) {
    return Invalid("kind",
                   absl::StrCat("'", b.kind, "' is not one of ", absl::StrJoin(kinds, ", ")));
  }
  if (b.parent_id == b.branch_id) {
    return Invalid("parent_id", "a branch cannot be its own parent");
  }
  if (!b.duty_phone.empty() && !phone::IsAnyPhone(b.duty_phone)) {
    return Invalid("duty_phone", phone::kAnyPhoneRule);
  }
  if (EnumText(b.area_class).empty()) {
    return Invalid("area_class", "required: urban, rural or remote");
  }
  if (b.arrival_limit_minutes < 0 || b.arrival_limit_minutes > kMaxArrivalLimitMinutes) {
    return Invalid(
        "arrival_limit_minutes",
        absl::StrCat("0 (the default for the area class) or 1 to ", kMaxArrivalLimitMinutes));
  }
  if (b.ticket_types.empty()) {
    return Invalid("ticket_types", "at least one ticket type");
  }
  std::set<TicketType> types;
  for (TicketType type : b.ticket_types) {
    if (EnumText(type).empty() || type == common::v1::TICKET_TYPE_URGING) {
      return Invalid("ticket_types", "urgings and unspecified types are never dispatched");
    }
    if (!types.insert(type).second) {
      return Invalid("ticket_types", absl::StrCat("'", EnumText(type), "' given twice"));
    }
  }
  std::set<std::string> scopes;
  for (const std::string& scope : b.fault_scopes) {
    if (!IsWorkScope(scope)) {
      return Invalid("fault_scopes", absl::StrCat("'", scope, "' is not one of ",
                                                  absl::StrJoin(WorkScopes(), ", ")));
    }
    if (!scopes.insert(scope).second) {
      return Invalid("fault_scopes", absl::StrCat("'", scope, "' given twice"));
    }
  }
  std::set<std::pair<int, std::string>> seen;
  for (size_t i = 0; i < b.territory.size(); ++i) {
    std::string field = absl::StrCat("territory[", i, "]");
    if (absl::Status s = ValidateTerritory(b.territory[i], field); !s.ok()) {
      return s;
    }
    if (!seen.insert({b.territory[i].level, b.territory[i].value}).second) {
      return Invalid(field, absl::StrCat("'", b.territory[i].value, "' given twice"));
    }
  }
  return absl::OkStatus();
}

Branch NormalizeBranch(Branch branch, const ArrivalLimits& limits) {
  if (branch.arrival_limit_minutes == 0) {
    branch.arrival_limit_minutes =
        static_cast<int>(absl::ToInt64Minutes(limits.For(branch.area_class)));
  }
  std::sort(branch.ticket_types.begin(), branch.ticket_types.end());
  std::sort(branch.fault_scopes.begin(), branch.fault_scopes.end());
  std::sort(branch.territory.begin(), branch.territory.end(),
            [](const Territory& a, const Territory& b) {
              return std::tie(a.level, a.value) < std::tie(b.level, b.value);
            });
  return branch;
}

}  // namespace hotline::dispatch
