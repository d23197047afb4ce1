#pragma once

// The branch table of a province as a CSV file, for hotline-branch-import.
//
// RFC 4180 CSV (fields separated by ',', quoted with '"', a quote inside a
// quoted field doubled, line breaks allowed inside quotes), UTF-8. The first
// record is the header; columns are found by name, in any order:
//
//   branch_id              required
//   name                   required
//   kind                   required: supply_station, repair_crew, business_hall, ...
//   parent_id              optional: a branch in the file or already known
//   duty_phone             optional
//   area_class             required: urban, rural or remote
//   arrival_limit_minutes  optional: empty or 0 for the area class's default
//   ticket_types           required: ';'-separated, e.g. repair;query
//   fault_scopes           optional: ';'-separated, e.g. public_network;meter_box
//   territory              optional: ';'-separated level:value, e.g.
//                          township:Demo Province/Qingyuan/Liandu District/Shixi
//                          Town;feeder:F10-SX-201
//
// Read with text::ParseCsv: blank lines and lines starting with '#' are
// skipped. Each row keeps the line
// it started on, for error messages. The dispatch service checks the rest
// (UpsertBranch's rules); this file only turns text into messages.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hotline/dispatch/v1/dispatch.pb.h"

namespace hotline::branch_import {

// A data row: the branch it describes, or the reason it cannot be read.
struct BranchRow {
  int line = 0;
  absl::Status status;  // INVALID_ARGUMENT "<column>: <problem>" when unreadable
  dispatch::v1::Branch branch;
};

// The rows of a branch file. INVALID_ARGUMENT "line N: ..." when the file
// as a whole is unusable (no header, a missing required column, an unknown
// or repeated column); a bad row is reported in its BranchRow instead.
absl::StatusOr<std::vector<BranchRow>> ReadBranchFile(absl::string_view text);

// Orders readable rows so that a parent in the file comes before its
// children (otherwise file order); unreadable rows keep their place at the
// end. Rows in a parent cycle come last, in file order (the service refuses
// them).
std::vector<BranchRow> ParentsFirst(std::vector<BranchRow> rows);

}  // namespace hotline::branch_import
