#pragma once

// The dispatch service's words as they appear in the database, in CSV files
// and in routing reasons: lower-case snake_case names for the enums of the
// API ("repair", "transformer_area", "with_dispatcher"), and the fixed lists
// of branch kinds and work scopes. Pure functions, no state.

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

// Each pair: the name of a value, and the value for a name (nullopt for an
// unknown name, and for the UNSPECIFIED value, whose name is "").
std::string TicketTypeName(TicketType type);
std::optional<TicketType> TicketTypeFromName(absl::string_view name);

std::string AreaClassName(AreaClass area_class);
std::optional<AreaClass> AreaClassFromName(absl::string_view name);

std::string TerritoryLevelName(TerritoryLevel level);
std::optional<TerritoryLevel> TerritoryLevelFromName(absl::string_view name);
// How many "/"-separated parts an area path of this level has (province 1 ...
// village_or_community 5); 0 for feeders and transformer areas (plain ids).
int AreaPathParts(TerritoryLevel level);
// Readable, for reasons: "transformer area", "village or community".
std::string TerritoryLevelWords(TerritoryLevel level);

std::string OrderStatusName(OrderStatus status);
std::optional<OrderStatus> OrderStatusFromName(absl::string_view name);

std::string ProgressStepName(ProgressStep step);
std::optional<ProgressStep> ProgressStepFromName(absl::string_view name);

std::string FaultKindName(FaultKind kind);
std::optional<FaultKind> FaultKindFromName(absl::string_view name);

std::string ReturnReasonName(ReturnReason reason);
std::optional<ReturnReason> ReturnReasonFromName(absl::string_view name);

std::string EquipmentOwnerName(EquipmentOwner owner);

// Repair work scopes for the FaultScope enum: public_network, meter_box,
// hv_metering ("" for unspecified).
std::string FaultScopeName(FaultScope scope);

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
