#pragma once

// A branch (供电所, 抢修班, 营业厅, 计量所 ...) as the dispatch service keeps
// it, and the rules a branch record must follow. Pure: no gRPC, no SQL.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/dispatch/domain/vocabulary.h"

namespace hotline::dispatch {

struct Territory {
  TerritoryLevel level = v1::TERRITORY_LEVEL_UNSPECIFIED;
  std::string value;  // an area path ("Province/City/County") or a feeder / transformer-area id

  bool operator==(const Territory& other) const = default;
};

struct Branch {
  std::string branch_id;
  std::string name;
  std::string kind;
  std::string parent_id;  // "" for none
  std::string duty_phone;
  AreaClass area_class = common::v1::AREA_CLASS_UNSPECIFIED;
  int arrival_limit_minutes = 0;
  std::vector<TicketType> ticket_types;
  std::vector<std::string> fault_scopes;  // empty: any scope of its ticket types
  std::vector<Territory> territory;
  absl::Time updated_at;  // set by the store

  bool Takes(TicketType type) const;
  // True when the branch lists `scope`, or lists no scope at all, or
  // `scope` is "" (the ticket asks for no particular scope).
  bool TakesScope(absl::string_view scope) const;
};

// The default arrival limit of a branch that gives none, by its area class.
struct ArrivalLimits {
  absl::Duration urban = absl::Minutes(45);
  absl::Duration rural = absl::Minutes(90);
  absl::Duration remote = absl::Minutes(120);

  absl::Duration For(AreaClass area_class) const;
};

// The longest a branch may set for itself: a day.
inline constexpr int kMaxArrivalLimitMinutes = 24 * 60;

// Checks a branch given for upsert. INVALID_ARGUMENT naming the field and
// the rule: branch_id (1-64 of letters, digits, '-', '_', '.'), name
// (required, at most 200), kind (one of BranchKinds()), parent_id (not the
// branch itself), duty_phone (phone::IsAnyPhone when given), area_class
// (required), arrival_limit_minutes (0 or 1..1440), ticket_types (at least
// one, no unspecified or urging, no repeats), fault_scopes (WorkScopes(), no
// repeats), territory[i] (a level; an id of at most 100 for feeders and
// transformer areas, an area path with exactly AreaPathParts(level)
// non-empty parts for the others; no repeats). Whether the parent exists is
// the store's to check.
absl::Status ValidateBranch(const Branch& branch);

// `branch` with its duplicates-free lists sorted and a zero arrival limit
// replaced by the default for its area class.
Branch NormalizeBranch(Branch branch, const ArrivalLimits& limits);

}  // namespace hotline::dispatch
