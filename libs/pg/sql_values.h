#pragma once

// The one way C++ values travel to and from SQL, for every store.
//
// Times are microseconds since the epoch. A time parameter is text: the
// decimal microseconds from MicrosParam, or "" for NULL. The SQL side turns it
// into a timestamptz with HOTLINE_PG_TIME and reads a timestamptz back as a
// bigint with HOTLINE_PG_MICROS; both expand to string literals, so statements
// stay compile-time constants:
//
//   constexpr char kSetStatus[] =
//       "UPDATE intake.tickets SET updated_at = " HOTLINE_PG_TIME("$2") " WHERE ...";
//   constexpr char kSelect[] = "SELECT " HOTLINE_PG_MICROS("created_at") " FROM ...";
//
// and C++ reads the column with TimeOf (nullopt for NULL).
//
// Lists are text[] parameters written by TextArray (every element quoted).

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

// A text parameter ("$3") holding MicrosParam's text, as a timestamptz; NULL for "".
#define HOTLINE_PG_TIME(param) \
  "(timestamptz 'epoch' + NULLIF(" param ", '')::bigint * interval '1 microsecond')"

// A timestamptz expression as bigint microseconds since the epoch (NULL stays NULL).
#define HOTLINE_PG_MICROS(expr) "(extract(epoch FROM " expr ") * 1000000)::bigint"

namespace hotline::pg {

// The parameter for HOTLINE_PG_TIME: "1733300000000000"; "" for nullopt.
std::string MicrosParam(absl::Time time);
std::string MicrosParam(std::optional<absl::Time> time);

// A column read with HOTLINE_PG_MICROS: nullopt for NULL.
std::optional<absl::Time> TimeOf(const pqxx::field& field);
// The same for a column that is never NULL (throws pqxx's conversion error on NULL).
absl::Time RequiredTimeOf(const pqxx::field& field);

// A PostgreSQL array literal of text, every element quoted and escaped:
// {"a","b \"c\""}. Pass as `$n::text[]`; {} for no items.
std::string TextArray(const std::vector<std::string>& items);

// A PostgreSQL array literal of byte strings, each in bytea's hex form:
// {"\\x00ff",...}. Pass as `$n::bytea[]`; {} for no items.
std::string ByteaArray(const std::vector<std::string>& items);

// A PostgreSQL array literal of numbers: {1,2,3}. Pass as `$n::bigint[]` (or integer[]).
template <typename Number>
std::string NumberArray(const std::vector<Number>& items) {
  return absl::StrCat("{", absl::StrJoin(items, ","), "}");
}

}  // namespace hotline::pg
