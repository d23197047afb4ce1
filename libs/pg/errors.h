#pragma once

// The one mapping from libpqxx exceptions to absl::Status, so that no
// libpqxx exception leaves this library or a service's store.
//
//   broken_connection, in_doubt_error,
//   statement_completion_unknown, SQLSTATE 08xxx,
//   57P01..57P03 (server shutting down), 53300    -> UNAVAILABLE
//   23505 unique_violation                        -> ALREADY_EXISTS
//   40001 serialization failure, 40P01 deadlock   -> ABORTED (safe to retry)
//   57014 query_canceled (statement_timeout),
//   55P03 lock_not_available (lock_timeout)       -> DEADLINE_EXCEEDED
//   anything else                                 -> INTERNAL
//
// Messages start with `context` (what was being done) and keep the server's
// message; for SQL errors they end with the SQLSTATE. Every status made here
// is marked with MarkServerDetail (libs/status), so a client is answered with
// its code and an error id, never with the database's text.

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hotline::pg {

absl::Status StatusFromException(const std::exception& e, absl::string_view context);

// For use inside `catch (...)`: maps the exception being handled (a non-std
// exception becomes INTERNAL).
absl::Status StatusFromCurrentException(absl::string_view context);

// Runs `fn` (returning a Status or StatusOr) and turns any exception it
// throws into a Status whose message starts with `context`: the one way
// stores keep libpqxx exceptions inside.
//
//   return pg::Guarded("load the order", [&]() -> absl::StatusOr<Order> { ... });
template <typename Fn>
auto Guarded(absl::string_view context, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    return StatusFromCurrentException(context);
  }
}

// The SQLSTATE mapping alone, e.g. "23505" -> kAlreadyExists.
absl::StatusCode CodeForSqlState(absl::string_view sqlstate);

}  // namespace hotline::pg
