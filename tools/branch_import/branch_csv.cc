#include "tools/branch_import/branch_csv.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/text/csv.h"
#include "services/dispatch/domain/vocabulary.h"

namespace hotline::branch_import {
namespace {

namespace dv1 = dispatch::v1;

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kColumns = {"branch_id",
                                                    "name",
                                                    "kind",
                                                    "parent_id",
                                                    "duty_phone",
                                                    "area_class",
                                                    "arrival_limit_minutes",
                                                    "ticket_types",
                                                    "fault_scopes",
                                                    "territory"};
  return kColumns;
}

const std::set<std::string>& RequiredColumns() {
  static const std::set<std::string> kRequired = {"branch_id", "name", "kind", "area_class",
                                                  "ticket_types"};
  return kRequired;
}

std::vector<std::string> List(const std::string& cell) {
  std::vector<std::string> items;
  for (absl::string_view part : absl::StrSplit(cell, ';', absl::SkipWhitespace())) {
    items.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return items;
}

absl::Status Bad(absl::string_view column, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(column, ": ", problem));
}

absl::StatusOr<dv1::Branch> BranchOf(const std::map<std::string, std::string>& cells) {
  auto cell = [&](const std::string& name) -> std::string {
    auto it = cells.find(name);
    return it == cells.end() ? "" : std::string(absl::StripAsciiWhitespace(it->second));
  };
  dv1::Branch b;
  b.set_branch_id(cell("branch_id"));
  b.set_name(cell("name"));
  b.set_kind(cell("kind"));
  b.set_parent_id(cell("parent_id"));
  b.set_duty_phone(cell("duty_phone"));
  std::string area = cell("area_class");
  auto area_class = ParseRequiredEnumText<common::v1::AreaClass>(absl::AsciiStrToLower(area));
  if (!area_class.has_value()) {
    return Bad("area_class", absl::StrCat("'", area, "' is not urban, rural or remote"));
  }
  b.set_area_class(*area_class);
  std::string limit = cell("arrival_limit_minutes");
  int minutes = 0;
  if (!limit.empty() && !absl::SimpleAtoi(limit, &minutes)) {
    return Bad("arrival_limit_minutes", absl::StrCat("'", limit, "' is not a number of minutes"));
  }
  b.set_arrival_limit_minutes(minutes);
  for (const std::string& type : List(cell("ticket_types"))) {
    auto t = ParseRequiredEnumText<common::v1::TicketType>(absl::AsciiStrToLower(type));
    if (!t.has_value()) {
      return Bad("ticket_types", absl::StrCat("'", type, "' is not a ticket type"));
    }
    b.add_ticket_types(*t);
  }
  for (const std::string& scope : List(cell("fault_scopes"))) {
    b.add_fault_scopes(absl::AsciiStrToLower(scope));
  }
  for (const std::string& entry : List(cell("territory"))) {
    size_t colon = entry.find(':');
    auto level = colon == std::string::npos
                     ? std::nullopt
                     : ParseRequiredEnumText<dispatch::v1::TerritoryLevel>(absl::AsciiStrToLower(
                           absl::StripAsciiWhitespace(entry.substr(0, colon))));
    if (!level.has_value()) {
      return Bad("territory",
                 absl::StrCat("'", entry,
                              "' is not level:value with a level of province, city, county, "
                              "township, village_or_community, feeder or transformer_area"));
    }
    dv1::TerritoryEntry* t = b.add_territory();
    t->set_level(*level);
    t->set_value(std::string(absl::StripAsciiWhitespace(entry.substr(colon + 1))));
  }
  return b;
}

}  // namespace

absl::StatusOr<std::vector<BranchRow>> ReadBranchFile(absl::string_view text) {
  absl::StatusOr<std::vector<text::CsvRecord>> records = text::ParseCsv(text);
  if (!records.ok()) {
    return records.status();
  }
  if (records->empty()) {
    return absl::InvalidArgumentError("line 1: no header (the file is empty)");
  }
  const text::CsvRecord& header = records->front();
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const std::string& raw : header.fields) {
    std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
    const auto& known = Columns();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ": unknown column '", raw,
                       "' (columns: ", absl::StrJoin(known, ", "), ")"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ": column '", name, "' given twice"));
    }
    names.push_back(name);
  }
  for (const std::string& required : RequiredColumns()) {
    if (seen.count(required) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ": the required column '", required, "' is missing"));
    }
  }
  std::vector<BranchRow> rows;
  for (size_t r = 1; r < records->size(); ++r) {
    const text::CsvRecord& record = (*records)[r];
    BranchRow row;
    row.line = record.line;
    if (record.fields.size() != names.size()) {
      row.status = absl::InvalidArgumentError(
          absl::StrCat(record.fields.size(), " fields, but the header has ", names.size()));
    } else {
      std::map<std::string, std::string> cells;
      for (size_t i = 0; i < names.size(); ++i) {
        cells[names[i]] = record.fields[i];
      }
      absl::StatusOr<dv1::Branch> branch = BranchOf(cells);
      if (branch.ok()) {
        row.branch = std::move(*branch);
      } else {
        row.status = branch.status();
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<BranchRow> ParentsFirst(std::vector<BranchRow> rows) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].status.ok()) {
      index.emplace(rows[i].branch.branch_id(), i);
    }
  }
  std::vector<BranchRow> ordered;
  std::vector<int> state(rows.size(), 0);  // 0 new, 1 in progress, 2 placed
  std::vector<size_t> cyclic;
  // Places row i after its ancestors in the file; false on a cycle.
  std::function<bool(size_t)> place = [&](size_t i) -> bool {
    if (state[i] == 2) {
      return true;
    }
    if (state[i] == 1) {
      return false;
    }
    state[i] = 1;
    auto parent = index.find(rows[i].branch.parent_id());
    if (parent != index.end() && parent->second != i && !place(parent->second)) {
      state[i] = 0;
      return false;
    }
    state[i] = 2;
    ordered.push_back(rows[i]);
    return true;
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].status.ok() && state[i] == 0 && !place(i)) {
      cyclic.push_back(i);
    }
  }
  for (size_t i : cyclic) {
    if (state[i] != 2) {
      state[i] = 2;
      ordered.push_back(rows[i]);
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].status.ok()) {
      ordered.push_back(rows[i]);
    }
  }
  return ordered;
}

}  // namespace hotline::branch_import
