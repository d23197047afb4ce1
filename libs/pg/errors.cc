#include "libs/pg/errors.h"

#include <pqxx/except>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

absl::Status Make(absl::StatusCode code, absl::string_view context, const std::exception& e,
                  absl::string_view suffix = "") {
  // libpq messages end with a newline and may hold more ("\n\tIs the server
  // running..."); keep them on one line for logs.
  std::string what = absl::StrReplaceAll(absl::StripTrailingAsciiWhitespace(e.what()),
                                         {{"\n\t", " "}, {"\n", " "}});
  return MarkServerDetail(absl::Status(code, absl::StrCat(context, ": ", what, suffix)));
}

}  // namespace

absl::StatusCode CodeForSqlState(absl::string_view sqlstate) {
  if (sqlstate == "23505") {
    return absl::StatusCode::kAlreadyExists;
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return absl::StatusCode::kAborted;
  }
  if (absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate == "53300") {
    return absl::StatusCode::kUnavailable;
  }
  if (sqlstate == "57014" || sqlstate == "55P03") {
    return absl::StatusCode::kDeadlineExceeded;
  }
  return absl::StatusCode::kInternal;
}

absl::Status StatusFromException(const std::exception& e, absl::string_view context) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return Make(absl::StatusCode::kUnavailable, context, e,
                " (connection lost during commit: the outcome is unknown)");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&e) != nullptr) {
    return Make(absl::StatusCode::kUnavailable, context, e);
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr) {
    return Make(absl::StatusCode::kAborted, context, e);
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e); sql != nullptr) {
    return Make(CodeForSqlState(sql->sqlstate()), context, e,
                absl::StrCat(" [SQLSTATE ", sql->sqlstate(), "]"));
  }
  return Make(absl::StatusCode::kInternal, context, e);
}

absl::Status StatusFromCurrentException(absl::string_view context) {
  try {
    throw;
  } catch (const std::exception& e) {
    return StatusFromException(e, context);
  } catch (...) {
    return MarkServerDetail(absl::InternalError(absl::StrCat(context, ": unknown exception")));
  }
}

}  // namespace hotline::pg
