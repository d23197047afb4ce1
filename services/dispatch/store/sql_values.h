#pragma once

// Small conversions between the dispatch stores' C++ values and SQL: text
// arrays and timestamps as microseconds since the epoch.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pg/errors.h"

namespace hotline::dispatch {

// A PostgreSQL array literal of text, every element quoted and escaped:
// {"a","b \"c\""}. Pass as `$n::text[]`.
std::string TextArray(const std::vector<std::string>& items);

// SQL that reads a timestamptz column as microseconds since the epoch:
// Micros("created_at") == "(extract(epoch from created_at) * 1000000)::bigint".
std::string Micros(absl::string_view column);
// The same under the column's own name: Micros(column) + " AS " + column.
std::string MicrosAs(absl::string_view column);

// The inverse, for a parameter given by MicrosParam: NULL for "".
// MicrosToTimestamp(3) == "(timestamptz 'epoch' + NULLIF($3, '')::bigint * interval '1
// microsecond')".
std::string MicrosToTimestamp(int param);
std::string MicrosParam(std::optional<absl::Time> time);

// A column read with Micros(): nullopt for NULL.
std::optional<absl::Time> TimeOf(const pqxx::field& field);

}  // namespace hotline::dispatch
