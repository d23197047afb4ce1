#pragma once

// Status helpers shared by every library and service: the one mapping from
// absl::Status to grpc::Status, and the early-return macros.

#include <grpcpp/support/status.h>

#include <exception>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace hotline {

// Maps an absl::Status to the grpc::Status with the same code: the one way
// every handler answers a client. absl and gRPC share the canonical code
// numbering, so the code carries over unchanged. The message is kept verbatim
// (it names the field and the rule) except when it is not the client's to
// read:
//   INTERNAL, UNKNOWN, DATA_LOSS, and any status marked with
//   MarkServerDetail (database and connection errors)
//     -> the same code with "<a short summary> (id <16 hex digits>)"; the
//        whole status is logged at ERROR (component "rpc") with the same id,
//        so an operator finds the cause from what the client reports.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Marks `status` as carrying server-side detail (a database's error text, a
// host name) that must not reach a client; ToGrpcStatus then answers with
// the code and an id only. pg::Guarded marks every status it makes. The
// message stays as it is for logs and for code inside the process.
absl::Status MarkServerDetail(absl::Status status);
bool HasServerDetail(const absl::Status& status);

// `status` with `prefix` before its message, keeping its code and payloads
// (and so its MarkServerDetail mark). OK stays OK.
absl::Status PrefixMessage(absl::string_view prefix, const absl::Status& status);

// The reverse, for clients that turn a failed call into a Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Runs `fn` (returning a Status or StatusOr) and turns any exception it
// throws into INTERNAL "<what> threw: <message>": for a loop or a pool that
// runs code it does not own (worker rounds, handlers, deliverers) and must
// go on. Stores use pg::Guarded, which also maps SQLSTATEs.
template <typename Fn>
auto CatchExceptions(absl::string_view what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(what, " threw: ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat(what, " threw a non-standard exception"));
  }
}

}  // namespace hotline

#define HOTLINE_STATUS_CONCAT_INNER_(a, b) a##b
#define HOTLINE_STATUS_CONCAT_(a, b) HOTLINE_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define HOTLINE_RETURN_IF_ERROR(expr)                                     \
  do {                                                                    \
    if (::absl::Status hotline_status_ = (expr); !hotline_status_.ok()) { \
      return hotline_status_;                                             \
    }                                                                     \
  } while (false)

// `HOTLINE_ASSIGN_OR_RETURN(auto x, Compute());` declares/assigns `x` from a
// StatusOr, or returns its status from the enclosing function.
#define HOTLINE_ASSIGN_OR_RETURN(lhs, expr) \
  HOTLINE_ASSIGN_OR_RETURN_IMPL_(HOTLINE_STATUS_CONCAT_(hotline_statusor_, __LINE__), lhs, expr)

#define HOTLINE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) {                                     \
    return std::move(statusor).status();                    \
  }                                                         \
  lhs = std::move(statusor).value()
