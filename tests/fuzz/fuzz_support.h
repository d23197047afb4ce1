#pragma once

// What the fuzz targets of tests/fuzz share: a fixed "now", a check that
// stops the run when an invariant breaks (libFuzzer then keeps the input that
// broke it), and the path every request takes before its handler's work:
// parsed from the wire, its text cleaned (rpc::CleanText, as rpc::Answer
// does), then validated.

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/rpc/request_text.h"

namespace hotline::fuzz {

// Protobuf's complaints about the inputs (a string that is not UTF-8) are
// the point of fuzzing, not news: silenced, so the run's log shows findings.
inline const bool kProtobufQuiet = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

// The server's clock in every target: 2026-11-01 02:13:20 UTC.
inline const absl::Time kNow = absl::FromUnixSeconds(1793500400);

// The input of a target that tries several requests: its first byte chooses
// one, the rest is the request's wire form. False for an empty input.
inline bool SplitChoice(const uint8_t* data, size_t size, uint8_t& choice,
                        absl::string_view& rest) {
  if (size == 0) {
    return false;
  }
  choice = data[0];
  rest = absl::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
  return true;
}

// Stops the run with `what` (and the status, when one is given) unless
// `holds`.
inline void Expect(bool holds, absl::string_view what,
                   const absl::Status& status = absl::OkStatus()) {
  if (holds) {
    return;
  }
  std::fprintf(stderr, "broken invariant: %.*s %s\n", static_cast<int>(what.size()), what.data(),
               status.ok() ? "" : status.ToString().c_str());
  std::abort();
}

// A validator's answer to a client: OK or INVALID_ARGUMENT (or the
// FAILED_PRECONDITION of a rule that depends on state); never an internal
// error, whose text would not tell the caller what to change.
// With HOTLINE_FUZZ_VERBOSE set, every answer is printed: which rule refused
// a seed, for instance (`HOTLINE_FUZZ_VERBOSE=1 target -runs=0 corpus/...`).
inline void ExpectClientAnswer(const absl::Status& status, absl::string_view what) {
  static const bool verbose = std::getenv("HOTLINE_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(what.size()), what.data(),
                 status.ToString().c_str());
  }
  Expect(status.ok() || status.code() == absl::StatusCode::kInvalidArgument ||
             status.code() == absl::StatusCode::kFailedPrecondition,
         what, status);
  Expect(status.ok() || !status.message().empty(), "a refusal says why", status);
}

// Parses `bytes` as a `Request` and cleans its text as the server does;
// false when the server would refuse it before any handler runs.
template <class Request>
bool ReceiveRequest(absl::string_view bytes, Request& request) {
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return false;
  }
  return rpc::CleanText(request).ok();
}

// The request validation path: `validate(request)` answers like a
// validator to a client, and a request it accepts is accepted again after a
// trip over the wire and a second cleaning (cleaning is idempotent).
template <class Request, class Validate>
void CheckRequest(absl::string_view bytes, Validate validate) {
  Request request;
  if (!ReceiveRequest(bytes, request)) {
    return;
  }
  const absl::Status status = validate(request);
  ExpectClientAnswer(status, Request::descriptor()->name());
  if (!status.ok()) {
    return;
  }
  Request again;
  Expect(ReceiveRequest(request.SerializeAsString(), again),
         "an accepted request is received again");
  Expect(google::protobuf::util::MessageDifferencer::Equals(again, request),
         "cleaning twice changes nothing");
  const absl::Status second = validate(again);
  Expect(second.ok(), "an accepted request is accepted again", second);
}

}  // namespace hotline::fuzz
