#include "tools/hotlinectl/table.h"

#include <algorithm>

#include "libs/text/utf8.h"

namespace hotline::ctl {
namespace {

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

std::string OneLine(std::string cell) {
  std::replace_if(
      cell.begin(), cell.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return cell;
}

void AppendPadded(const std::string& cell, int width, std::string& out) {
  out += cell;
  out.append(static_cast<size_t>(std::max(0, width - DisplayWidth(cell))), ' ');
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  for (char32_t c : text::DecodeUtf8(text)) {
    width += IsWide(c) ? 2 : 1;
  }
  return width;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(std::max(cells.size(), headers_.size()));
  for (std::string& cell : cells) {
    cell = OneLine(std::move(cell));
  }
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<int> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = DisplayWidth(headers_[c]);
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < headers_.size(); ++c) {
      if (c + 1 == headers_.size()) {
        out += cells[c];
      } else {
        AppendPadded(cells[c], widths[c] + 2, out);
      }
    }
    while (!out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    return out + "\n";
  };
  std::string out = line(headers_);
  for (const auto& row : rows_) {
    out += line(row);
  }
  return out;
}

std::string RenderFields(const Fields& fields) {
  int width = 0;
  for (const auto& [name, value] : fields) {
    if (!value.empty()) {
      width = std::max(width, DisplayWidth(name) + 1);
    }
  }
  std::string out;
  for (const auto& [name, value] : fields) {
    if (value.empty()) {
      continue;
    }
    AppendPadded(name + ":", width + 2, out);
    out += OneLine(value);
    out += "\n";
  }
  return out;
}

}  // namespace hotline::ctl
