#include "services/outage/domain/reliability.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/address/address_text.h"
#include "libs/text/csv.h"

namespace hotline::outage {
namespace {

absl::Status LineError(int line, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", problem));
}

// The data records of a reference file after its header, each with exactly
// the header's fields, stripped of surrounding spaces.
absl::StatusOr<std::vector<text::CsvRecord>> DataRecords(absl::string_view csv,
                                                         absl::string_view header) {
  absl::StatusOr<std::vector<text::CsvRecord>> records = text::ParseCsv(csv);
  if (!records.ok()) {
    return records.status();
  }
  if (records->empty()) {
    return LineError(1, absl::StrCat("no header '", header, "' (the file is empty)"));
  }
  std::vector<std::string> columns = absl::StrSplit(header, ',');
  std::vector<text::CsvRecord> rows;
  for (text::CsvRecord& record : *records) {
    for (std::string& field : record.fields) {
      absl::StripAsciiWhitespace(&field);
    }
    if (&record == &records->front()) {
      std::vector<std::string> names = record.fields;
      for (std::string& name : names) {
        absl::AsciiStrToLower(&name);
      }
      if (names != columns) {
        return LineError(record.line, absl::StrCat("expected the header '", header, "', got '",
                                                   absl::StrJoin(record.fields, ","), "'"));
      }
      continue;
    }
    if (record.fields.size() != columns.size()) {
      return LineError(record.line, absl::StrCat(record.fields.size(), " fields, expected ",
                                                 columns.size(), " (", header, ")"));
    }
    rows.push_back(std::move(record));
  }
  return rows;
}

// A transformer area, feeder or account given at most once: the line of the
// first one when `key` was seen before.
absl::Status FirstTime(absl::flat_hash_map<std::string, int>& seen, std::string key, int line,
                       absl::string_view field, absl::string_view as_written) {
  auto [it, added] = seen.emplace(std::move(key), line);
  if (!added) {
    return LineError(line,
                     absl::StrCat(field, ": '", as_written, "' already on line ", it->second));
  }
  return absl::OkStatus();
}

struct Span {
  absl::Time start;
  absl::Time end;
  int64_t customers;
};

// Customer-hours of one transformer area's interruptions (clipped, each
// with a positive length): where they overlap, the largest count counts.
double CustomerHoursOf(std::vector<Span> spans) {
  std::vector<absl::Time> edges;
  for (const Span& s : spans) {
    edges.push_back(s.start);
    edges.push_back(s.end);
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  double hours = 0;
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    int64_t customers = 0;
    for (const Span& s : spans) {
      if (s.start <= edges[i] && edges[i + 1] <= s.end) {
        customers = std::max(customers, s.customers);
      }
    }
    hours += static_cast<double>(customers) * absl::ToDoubleHours(edges[i + 1] - edges[i]);
  }
  return hours;
}

}  // namespace

absl::StatusOr<std::vector<TransformerArea>> ParseTransformerAreas(absl::string_view csv) {
  absl::StatusOr<std::vector<text::CsvRecord>> rows = DataRecords(csv, kTransformerAreaHeader);
  if (!rows.ok()) {
    return rows.status();
  }
  std::vector<TransformerArea> areas;
  absl::flat_hash_map<std::string, int> seen;
  for (const text::CsvRecord& row : *rows) {
    const std::vector<std::string>& f = row.fields;
    TransformerArea area;
    area.transformer_area = f[0];
    std::string key = address::NormalizeAddressText(area.transformer_area);
    if (key.empty()) {
      return LineError(row.line, "transformer_area: required");
    }
    if (absl::Status first = FirstTime(seen, key, row.line, "transformer_area", f[0]);
        !first.ok()) {
      return first;
    }
    area.feeder = f[1];
    area.area = address::AreaAddress(f[2], f[3], f[4], f[5], f[6]);
    if (!absl::SimpleAtoi(f[7], &area.customers)) {
      return LineError(row.line, absl::StrCat("customers: not a whole number ('", f[7], "')"));
    }
    if (area.customers < 0) {
      return LineError(row.line, absl::StrCat("customers: must be 0 or more (got ", f[7], ")"));
    }
    areas.push_back(std::move(area));
  }
  return areas;
}

absl::StatusOr<std::vector<AccountPlace>> ParseAccounts(absl::string_view csv) {
  absl::StatusOr<std::vector<text::CsvRecord>> rows = DataRecords(csv, kAccountHeader);
  if (!rows.ok()) {
    return rows.status();
  }
  std::vector<AccountPlace> accounts;
  absl::flat_hash_map<std::string, int> seen;
  for (const text::CsvRecord& row : *rows) {
    AccountPlace place{row.fields[0], row.fields[1]};
    if (place.account_number.empty()) {
      return LineError(row.line, "account_number: required");
    }
    if (address::NormalizeAddressText(place.transformer_area).empty()) {
      return LineError(row.line, "transformer_area: required");
    }
    if (absl::Status first =
            FirstTime(seen, place.account_number, row.line, "account_number", place.account_number);
        !first.ok()) {
      return first;
    }
    accounts.push_back(std::move(place));
  }
  return accounts;
}

bool CoversTransformerArea(const common::v1::Address* area, absl::string_view transformer_area,
                           absl::string_view feeder, const TransformerArea& reference) {
  if (area != nullptr) {
    return address::AddressHolds(address::AreaPartsOf(*area), address::AreaPartsOf(reference.area));
  }
  auto same = [](absl::string_view a, absl::string_view b) {
    std::string key = address::NormalizeAddressText(a);
    return !key.empty() && key == address::NormalizeAddressText(b);
  };
  if (!transformer_area.empty()) {
    return same(transformer_area, reference.transformer_area);
  }
  return same(feeder, reference.feeder);
}

std::vector<const TransformerArea*> CoveredTransformerAreas(
    const std::vector<common::v1::Address>& areas,
    const std::vector<std::string>& transformer_areas, const std::vector<std::string>& feeders,
    const std::vector<TransformerArea>& reference) {
  std::vector<address::AreaParts> area_parts;
  for (const common::v1::Address& area : areas) {
    area_parts.push_back(address::AreaPartsOf(area));
  }
  absl::flat_hash_set<std::string> ta_keys;
  for (const std::string& id : transformer_areas) {
    ta_keys.insert(address::NormalizeAddressText(id));
  }
  absl::flat_hash_set<std::string> feeder_keys;
  for (const std::string& id : feeders) {
    feeder_keys.insert(address::NormalizeAddressText(id));
  }
  ta_keys.erase("");
  feeder_keys.erase("");
  std::vector<const TransformerArea*> covered;
  for (const TransformerArea& row : reference) {
    bool hit = ta_keys.contains(address::NormalizeAddressText(row.transformer_area)) ||
               feeder_keys.contains(address::NormalizeAddressText(row.feeder));
    if (!hit && !area_parts.empty()) {
      address::AreaParts where = address::AreaPartsOf(row.area);
      hit = std::any_of(area_parts.begin(), area_parts.end(), [&](const address::AreaParts& a) {
        return address::AddressHolds(a, where);
      });
    }
    if (hit) {
      covered.push_back(&row);
    }
  }
  return covered;
}

Reliability ComputeReliability(const std::vector<Interruption>& interruptions, int64_t customers,
                               absl::Time period_start, absl::Time period_end) {
  Reliability r;
  r.customers = customers;
  if (period_end <= period_start) {
    return r;
  }
  r.period_hours = absl::ToDoubleHours(period_end - period_start);
  // Spans by transformer area, in the order first met (so the sum is the
  // same on every run); one without a transformer area stands alone.
  std::vector<std::vector<Span>> groups;
  absl::flat_hash_map<std::string, size_t> group_of;
  absl::flat_hash_set<std::string> notices;
  for (const Interruption& i : interruptions) {
    Span s{std::max(i.start, period_start), std::min(i.end, period_end), i.customers};
    if (s.end <= s.start) {
      continue;
    }
    notices.insert(i.notice_id);
    std::string key = address::NormalizeAddressText(i.transformer_area);
    if (key.empty()) {
      groups.push_back({s});
      continue;
    }
    auto [it, added] = group_of.emplace(std::move(key), groups.size());
    if (added) {
      groups.emplace_back();
    }
    groups[it->second].push_back(s);
  }
  for (std::vector<Span>& spans : groups) {
    r.customer_hours += CustomerHoursOf(std::move(spans));
  }
  r.outages = static_cast<int>(notices.size());
  if (customers > 0) {
    r.reliability = 1 - r.customer_hours / (static_cast<double>(customers) * r.period_hours);
  }
  return r;
}

}  // namespace hotline::outage
