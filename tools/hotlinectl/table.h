#pragma once

// Human-readable output of hotlinectl: aligned tables and "name: value"
// blocks. Widths are display columns, so Chinese text (two columns a
// character) lines up in a terminal. Pure; unit-tested.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace hotline::ctl {

// Terminal columns `text` (UTF-8) takes: East Asian wide and full-width
// characters count 2, others 1.
int DisplayWidth(absl::string_view text);

// Rows under a header line; each column as wide as its widest cell, columns
// two spaces apart, no trailing spaces. A cell's line breaks and tabs are
// shown as spaces (one row stays one line).
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // A row with fewer cells than headers is padded with empty cells.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  // The header line and one line per row, each ending in "\n".
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// One "name:  value" line per field, the values aligned; fields with an
// empty value are left out.
using Fields = std::vector<std::pair<std::string, std::string>>;
std::string RenderFields(const Fields& fields);

}  // namespace hotline::ctl
