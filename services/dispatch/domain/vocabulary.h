#pragma once

// The dispatch service's words as they appear in the database, in CSV files
// and in routing reasons: the fixed lists of branch kinds and work scopes, and
// readable forms of territory levels. Pure functions, no state.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/dispatch/v1/dispatch.pb.h"

namespace hotline::dispatch {

using common::v1::AreaClass;
using common::v1::EquipmentOwner;
using common::v1::FaultScope;
using common::v1::TicketType;
using v1::FaultKind;
using v1::OrderStatus;
using v1::ProgressStep;
using v1::ReturnReason;
using v1::TerritoryLevel;

// Enum values as text: EnumText / ParseEnumText (libs/proto_enum).

// How many "/"-separated parts an area path of this level has (province 1 ...
// village_or_community 5); 0 for feeders and transformer areas (plain ids).
int AreaPathParts(TerritoryLevel level);
// Readable, for reasons: "transformer area", "village or community".
std::string TerritoryLevelWords(TerritoryLevel level);

// The branch kinds of the branches table.
const std::vector<std::string>& BranchKinds();
// Kinds that routing never picks (the dispatch centre: an order with no
// branch already waits for the dispatchers).
bool IsRoutingTarget(absl::string_view kind);

// Every work scope a branch may list: the repair scopes, the complaint
// categories, the report subjects and "business".
const std::vector<std::string>& WorkScopes();
bool IsWorkScope(absl::string_view scope);

// Lower-case, spaces and '-' to '_': "Power supply quality" ->
// "power_supply_quality". For free-text categories from other services.
std::string NormalizeWord(absl::string_view text);

}  // namespace hotline::dispatch
