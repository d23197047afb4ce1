#include "services/dispatch/domain/routing.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/address/address_text.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::dispatch {
namespace {

// What a ticket asks of a branch, in words: "repair (public_network)".
std::string Asked(const TicketFacts& facts, const std::string& scope) {
  std::string type = EnumText(facts.type);
  return scope.empty() ? type : absl::StrCat(type, " (", scope, ")");
}

// The most specific part the address gives, for reasons: "transformer area
// TA-1", "county Futian".
std::string Place(const common::v1::Address& address) {
  const std::pair<TerritoryLevel, const std::string*> parts[] = {
      {v1::TERRITORY_LEVEL_TRANSFORMER_AREA, &address.transformer_area()},
      {v1::TERRITORY_LEVEL_FEEDER, &address.feeder()},
      {v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY, &address.village_or_community()},
      {v1::TERRITORY_LEVEL_TOWNSHIP, &address.township()},
      {v1::TERRITORY_LEVEL_COUNTY, &address.county()},
      {v1::TERRITORY_LEVEL_CITY, &address.city()},
      {v1::TERRITORY_LEVEL_PROVINCE, &address.province()}};
  for (const auto& [level, text] : parts) {
    if (!address::NormalizeAddressText(*text).empty()) {
      return absl::StrCat(TerritoryLevelWords(level), " ", *text);
    }
  }
  return "an address with no known area";
}

bool IsArea(TerritoryLevel level) {
  return level != v1::TERRITORY_LEVEL_FEEDER && level != v1::TERRITORY_LEVEL_TRANSFORMER_AREA &&
         level != v1::TERRITORY_LEVEL_UNSPECIFIED;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool Qualifies(const Branch& branch, const TicketFacts& facts, const std::string& scope,
               const std::vector<std::string>& excluded) {
  return IsRoutingTarget(branch.kind) && branch.Takes(facts.type) && branch.TakesScope(scope) &&
         !Contains(excluded, branch.branch_id);
}

// The branch's most specific territory entry that covers the address, if
// any.
std::optional<Territory> BestMatch(const Branch& branch, const common::v1::Address& address) {
  std::optional<Territory> best;
  for (const Territory& entry : branch.territory) {
    if (!Covers(entry, address)) {
      continue;
    }
    if (!best.has_value() || entry.level > best->level) {
      best = entry;
    }
  }
  return best;
}

Route ToDispatcher(std::string rule, std::string reason) {
  Route route;
  route.destination = Destination::kDispatcher;
  route.rule = std::move(rule);
  route.reason = std::move(reason);
  return route;
}

// Rules 3-5 of routing.h.
Route MatchTerritory(const TicketFacts& facts, const std::string& scope,
                     const std::vector<std::string>& excluded, const std::vector<Branch>& branches,
                     absl::string_view prefix) {
  struct Match {
    const Branch* branch;
    Territory entry;
    bool explicit_scope;
  };
  std::vector<Match> matches;
  for (const Branch& branch : branches) {
    if (!Qualifies(branch, facts, scope, excluded)) {
      continue;
    }
    if (std::optional<Territory> entry = BestMatch(branch, facts.address); entry.has_value()) {
      matches.push_back({&branch, *entry, !branch.fault_scopes.empty()});
    }
  }
  // Best first: most specific level, explicit scope, lower branch id.
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return std::make_tuple(-static_cast<int>(a.entry.level), !a.explicit_scope,
                           a.branch->branch_id) < std::make_tuple(-static_cast<int>(b.entry.level),
                                                                  !b.explicit_scope,
                                                                  b.branch->branch_id);
  });
  std::string excluded_words = excluded.empty() ? ""
                                                : absl::StrCat("; left out after returning it: ",
                                                               absl::StrJoin(excluded, ", "));
  if (matches.empty()) {
    Route route = ToDispatcher(
        "no_match", absl::StrCat(prefix, "no branch takes ", Asked(facts, scope), " at ",
                                 Place(facts.address), excluded_words, ": waits for a dispatcher"));
    route.work_scope = scope;
    route.excluded = excluded;
    return route;
  }
  const Match& best = matches.front();
  if (IsArea(best.entry.level)) {
    // An address that leaves out upper levels may lie in areas of two
    // places (a county name used in two cities): not ours to guess.
    std::vector<std::string> places;
    for (const Branch& branch : branches) {
      if (!Qualifies(branch, facts, scope, excluded)) {
        continue;
      }
      for (const Territory& entry : branch.territory) {
        if (entry.level == best.entry.level && Covers(entry, facts.address) &&
            std::find(places.begin(), places.end(), entry.value) == places.end()) {
          places.push_back(entry.value);
        }
      }
    }
    std::sort(places.begin(), places.end());
    for (size_t i = 0; i < places.size(); ++i) {
      for (size_t j = i + 1; j < places.size(); ++j) {
        if (!address::AreasNest(address::SplitAreaPath(places[i]),
                                address::SplitAreaPath(places[j]))) {
          Route route = ToDispatcher(
              "ambiguous_address",
              absl::StrCat(prefix, "the address (", Place(facts.address),
                           ") lies in two different places as far as it goes: ", places[i], " and ",
                           places[j], ": waits for a dispatcher"));
          route.work_scope = scope;
          route.excluded = excluded;
          route.candidates = static_cast<int>(matches.size());
          return route;
        }
      }
    }
  }
  Route route;
  route.destination = Destination::kBranch;
  route.branch_id = best.branch->branch_id;
  route.rule = "territory_match";
  route.matched_level = best.entry.level;
  route.matched_value = best.entry.value;
  route.work_scope = scope;
  route.excluded = excluded;
  route.candidates = static_cast<int>(matches.size());
  route.reason = absl::StrCat(prefix, Asked(facts, scope), " -> ", best.branch->branch_id,
                              ": it covers ", TerritoryLevelWords(best.entry.level), " ",
                              best.entry.value, ", the most specific match of ", matches.size(),
                              matches.size() == 1 ? " branch" : " branches", excluded_words);
  std::vector<std::string> tied;
  for (size_t i = 1; i < matches.size(); ++i) {
    if (matches[i].entry.level == best.entry.level) {
      tied.push_back(matches[i].branch->branch_id);
    }
  }
  if (!tied.empty()) {
    absl::StrAppend(
        &route.reason, "; tied at that level with ", absl::StrJoin(tied, ", "),
        best.explicit_scope ? " (chosen: lists the scope, then lower id)" : " (chosen: lower id)");
  }
  return route;
}

std::string ComplaintScope(absl::string_view category) {
  std::string word = NormalizeWord(category);
  if (word == "power_supply_quality" || word == "quality") {
    word = "supply_quality";
  }
  if (word == "outage_restoration" || word == "outage") {
    word = "outage_and_restoration";
  }
  return IsWorkScope(word) ? word : "";
}

}  // namespace

std::string WorkScopeOf(const TicketFacts& facts) {
  switch (facts.type) {
    case common::v1::TICKET_TYPE_REPAIR:
      return facts.fault_scope == common::v1::FAULT_SCOPE_UNSPECIFIED ? "public_network"
                                                                      : EnumText(facts.fault_scope);
    case common::v1::TICKET_TYPE_COMPLAINT:
      return ComplaintScope(facts.complaint_category);
    case common::v1::TICKET_TYPE_REPORT: {
      std::string subject = NormalizeWord(facts.report_subject);
      return subject == "misconduct" || subject == "theft" ? subject : "";
    }
    default:
      return "";
  }
}

std::vector<Territory> TerritoryKeysOf(const common::v1::Address& address) {
  std::vector<Territory> keys;
  if (std::string ta = address::NormalizeAddressText(address.transformer_area()); !ta.empty()) {
    keys.push_back({v1::TERRITORY_LEVEL_TRANSFORMER_AREA, ta});
  }
  if (std::string feeder = address::NormalizeAddressText(address.feeder()); !feeder.empty()) {
    keys.push_back({v1::TERRITORY_LEVEL_FEEDER, feeder});
  }
  const address::AreaParts parts = address::AreaPartsOf(address);
  const TerritoryLevel levels[] = {v1::TERRITORY_LEVEL_PROVINCE, v1::TERRITORY_LEVEL_CITY,
                                   v1::TERRITORY_LEVEL_COUNTY, v1::TERRITORY_LEVEL_TOWNSHIP,
                                   v1::TERRITORY_LEVEL_VILLAGE_OR_COMMUNITY};
  for (int i = address::kAreaLevels - 1; i >= 0; --i) {
    if (!parts[i].empty()) {
      keys.push_back({levels[i], parts[i]});
    }
  }
  return keys;
}

std::string TerritoryMatchKey(const Territory& entry) {
  if (!IsArea(entry.level)) {
    return address::NormalizeAddressText(entry.value);
  }
  std::vector<std::string> parts = address::SplitAreaPath(entry.value);
  return parts.empty() ? "" : parts.back();
}

bool Covers(const Territory& entry, const common::v1::Address& address) {
  if (entry.level == v1::TERRITORY_LEVEL_TRANSFORMER_AREA ||
      entry.level == v1::TERRITORY_LEVEL_FEEDER) {
    const std::string& id =
        entry.level == v1::TERRITORY_LEVEL_FEEDER ? address.feeder() : address.transformer_area();
    std::string key = address::NormalizeAddressText(id);
    return !key.empty() && key == address::NormalizeAddressText(entry.value);
  }
  if (!IsArea(entry.level)) {
    return false;
  }
  std::vector<std::string> area = address::SplitAreaPath(entry.value);
  return static_cast<int>(area.size()) == AreaPathParts(entry.level) &&
         address::AddressHolds(area, address::AreaPartsOf(address));
}

Route RouteTicket(const TicketFacts& facts, const std::vector<Branch>& branches,
                  const RoutingPolicy& policy) {
  if (facts.type == common::v1::TICKET_TYPE_URGING || EnumText(facts.type).empty()) {
    return ToDispatcher("type_not_routed", absl::StrCat("ticket type '", EnumText(facts.type),
                                                        "' is not routed: waits for a dispatcher"));
  }
  std::string scope = WorkScopeOf(facts);
  bool customer_owned = facts.type == common::v1::TICKET_TYPE_REPAIR &&
                        facts.equipment_owner == common::v1::EQUIPMENT_OWNER_CUSTOMER;
  if (customer_owned && !facts.wants_paid_service) {
    Route route;
    route.destination = Destination::kNotDispatched;
    route.rule = "customer_owned";
    route.work_scope = scope;
    route.advice = policy.customer_owned_advice;
    route.reason =
        "fault on customer-owned equipment and no paid service asked for: not dispatched, the "
        "customer is advised";
    return route;
  }
  Route route =
      MatchTerritory(facts, scope, {}, branches,
                     customer_owned ? "paid service asked for on customer-owned equipment: " : "");
  route.paid_service = customer_owned;
  return route;
}

Route RouteAfterReturn(const TicketFacts& facts, const ReturnFacts& returned,
                       const std::vector<Branch>& branches, const RoutingPolicy& policy) {
  std::string scope = WorkScopeOf(facts);
  std::string by =
      absl::StrCat("returned by ", returned.returned_by, " (", EnumText(returned.reason), ")");
  Route route;
  if (returned.reason == v1::RETURN_REASON_CUSTOMER_OWNED) {
    route = ToDispatcher(
        "returned_as_customers",
        absl::StrCat(by, ": the fault is on the customer's side (", returned.customer_name, ", ",
                     returned.customer_phone, "): waits for a dispatcher"));
  } else if (returned.returns > policy.max_reroutes) {
    route = ToDispatcher(
        "too_many_returns",
        absl::StrCat(by, ": returned ", returned.returns, " times, more than the ",
                     policy.max_reroutes, " that are rerouted: waits for a dispatcher"));
  } else {
    auto named = std::find_if(branches.begin(), branches.end(), [&](const Branch& b) {
      return !returned.belongs_to.empty() && b.branch_id == returned.belongs_to;
    });
    if (named != branches.end() && Qualifies(*named, facts, scope, returned.returned_by_all)) {
      route.destination = Destination::kBranch;
      route.branch_id = named->branch_id;
      route.rule = "named_by_return";
      route.candidates = 1;
      route.reason = absl::StrCat(by, " saying it belongs to ", named->branch_id, ", which takes ",
                                  Asked(facts, scope));
    } else {
      route = MatchTerritory(facts, scope, returned.returned_by_all, branches,
                             absl::StrCat("rerouted after being ", by, ": "));
    }
  }
  route.work_scope = scope;
  route.excluded = returned.returned_by_all;
  route.paid_service = returned.paid_service;
  return route;
}

}  // namespace hotline::dispatch
