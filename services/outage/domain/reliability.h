#pragma once

// Supply reliability from outages (domain.md, "Outage notices"): outage
// customer-hours (停电时户数) = customers affected x hours without power;
// RS-1 = 1 - interrupted customer-hours / (customers x hours in the period).
// The customers come from reference data: transformer areas (台区) with their
// feeder, their area and their customer count. Pure.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/outage/v1/outage.pb.h"

namespace hotline::outage {

// One row of the reference data.
struct TransformerArea {
  std::string transformer_area;  // as written in the file
  std::string feeder;
  common::v1::Address area;  // province .. village_or_community
  int64_t customers = 0;
};

// The reference file, CSV with this header line:
//   transformer_area,feeder,province,city,county,township,village_or_community,customers
// one row per transformer area; '#' lines and blank lines skipped; customers
// a whole number >= 0; a transformer area at most once. An error names the
// line: "line 7: customers: not a whole number".
absl::StatusOr<std::vector<TransformerArea>> ParseTransformerAreas(absl::string_view csv);

inline constexpr absl::string_view kTransformerAreaHeader =
    "transformer_area,feeder,province,city,county,township,village_or_community,customers";

// The accounts file: header "account_number,transformer_area", one account
// per line, each at most once, both fields required.
struct AccountPlace {
  std::string account_number;
  std::string transformer_area;
};
absl::StatusOr<std::vector<AccountPlace>> ParseAccounts(absl::string_view csv);

inline constexpr absl::string_view kAccountHeader = "account_number,transformer_area";

// Both files are read with text::ParseCsv (quoted fields, a byte order mark);
// fields are stripped of surrounding spaces; the header's names compare
// without case. Errors are INVALID_ARGUMENT "line N: <field>: <problem>", or
// "line N: ..." for the header or a wrong number of fields.

// Whether a place of a notice covers a transformer area of the reference
// data: the area holds the transformer area's area (libs/address), or the
// ids are equal (normalised). Exactly one of the three is given.
bool CoversTransformerArea(const common::v1::Address* area, absl::string_view transformer_area,
                           absl::string_view feeder, const TransformerArea& reference);

// The reference transformer areas that any place of `places` covers, each
// once, in reference order. `places` holds a notice's places (or the ones a
// restore names) in the notice's fields.
std::vector<const TransformerArea*> CoveredTransformerAreas(
    const std::vector<common::v1::Address>& areas,
    const std::vector<std::string>& transformer_areas, const std::vector<std::string>& feeders,
    const std::vector<TransformerArea>& reference);

// Power off for a transformer area's customers from `start` to `end`.
struct Interruption {
  std::string notice_id;
  std::string transformer_area;
  int64_t customers = 0;
  absl::Time start;
  absl::Time end;
};

struct Reliability {
  int64_t customers = 0;
  double period_hours = 0;
  double customer_hours = 0;  // only the part of each interruption inside the period
  double reliability = 1;     // 1 when customers or the period is zero
  int outages = 0;            // distinct notices with time inside the period
};

// `customers`: of the area asked about; `interruptions`: those of its
// transformer areas. Each interruption counts only inside [period_start,
// period_end). Interruptions of one transformer area (normalised) that
// overlap count once, with the largest customer count among them at each
// moment: a customer is without power once however many notices cover it.
Reliability ComputeReliability(const std::vector<Interruption>& interruptions, int64_t customers,
                               absl::Time period_start, absl::Time period_end);

}  // namespace hotline::outage
