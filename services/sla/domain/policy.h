#pragma once

// Deadline rules as data: a policy per stage, optionally narrowed to a ticket
// type, an area class and a branch; their validation, the choice of the most
// specific one for a clock, domain.md's defaults and the policy file.

#include <google/protobuf/duration.pb.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/sla/v1/sla.pb.h"

namespace hotline::sla {

// INVALID_ARGUMENT naming the field: "policy.stage" (required, or a number
// the enum does not declare), "policy.measure" (the same), "policy.limit"
// (positive; a same-shift policy leaves it unset), "policy.warn_at[i]" (in
// (0, 1) and above the one before), "policy.supervise_after" (not negative),
// "policy.ticket_type" and "policy.area_class" (declared numbers),
// "policy.branch_id" (at most 64 characters). Read-only fields are not
// looked at.
absl::Status ValidatePolicy(const v1::Policy& policy);

// The most specific policy for a clock: every field of a candidate equals the
// clock's or is the wildcard (ticket type or area class unspecified, branch
// ""), and its stage is the clock's. A branch match outranks a type match,
// which outranks an area-class match; between equally specific candidates
// the higher version, then the earlier in the list. nullopt when none
// matches.
std::optional<v1::Policy> MatchPolicy(const std::vector<v1::Policy>& policies, v1::Stage stage,
                                      common::v1::TicketType type, common::v1::AreaClass area,
                                      const std::string& unit);

// The policy's warn_at, or {0.5, 0.8} when it has none.
std::vector<double> WarnFractions(const v1::Policy& policy);

// domain.md's default limits, version 1, updated_by "default":
//  dispatch (repair) 5m elapsed; consultation_dispatch (consultation) 5m
//  elapsed; arrival (repair) urban 45m, rural 90m, remote 120m, any other
//  area 90m, elapsed; department_answer (consultation, query) 2 working days;
//  customer_reply 1 working day; complaint_result (complaint) 48h elapsed;
//  report_result (report) 216h elapsed; application_contact (application)
//  3 working days; voicemail the same shift.
std::vector<v1::Policy> DefaultPolicies();

// A policy file (deploy/sla/policies.csv): the header line
//   stage,ticket_type,area_class,branch_id,measure,limit,warn_at,supervise_after
// then one policy a line, enum values in their text form ("arrival", "repair",
// "urban", "elapsed"), empty for a wildcard or a default; durations as
// absl::ParseDuration reads them ("45m", "48h"); warn_at fractions separated
// by ';'. '#' comments and blank lines are ignored. Each row must pass
// ValidatePolicy, and no two rows may have the same stage, ticket type, area
// class and branch. INVALID_ARGUMENT naming the line: "line 4: policy.limit:
// must be positive". The policies have version 1 and updated_by "file".
absl::StatusOr<std::vector<v1::Policy>> ParsePolicyFile(absl::string_view text);

// The header line of a policy file.
inline constexpr absl::string_view kPolicyFileHeader =
    "stage,ticket_type,area_class,branch_id,measure,limit,warn_at,supervise_after";

}  // namespace hotline::sla
