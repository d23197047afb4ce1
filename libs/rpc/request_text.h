#pragma once

// The text rule of every RPC of every service (the proto side is documented
// in hotline/common/v1/text.proto): every string field of a request, in
// nested messages, repeated fields and maps alike, is
//   - trimmed of surrounding white space (ASCII white space, U+00A0 and the
//     ideographic space U+3000), so a required field that holds only white
//     space reads as empty and its validator refuses it as missing;
//   - refused if it holds a control character: U+0000-U+001F (NUL among
//     them), U+007F-U+009F. A field marked [(hotline.common.v1.multiline) =
//     true] may hold line feeds and tabs;
//   - refused if longer than kMaxLineCharacters (single-line) or
//     kMaxMultilineCharacters (multiline) characters.
// A refusal is INVALID_ARGUMENT naming the field path as the validators do:
// "address.street", "events[2].event_id", "labels[\"k\"]".
//
// Bytes fields are not text and are left alone (an Any's packed value among
// them). Map keys are checked but not trimmed (trimming could merge keys).
//
// rpc::Answer applies it to every unary request before the handler's work
// runs; streaming handlers call it on each message they read.

#include <google/protobuf/message.h>

#include <cstddef>

#include "absl/status/status.h"

namespace hotline::rpc {

inline constexpr size_t kMaxLineCharacters = 1000;
inline constexpr size_t kMaxMultilineCharacters = 10000;

// Trims every string field of `message` in place and checks the rule above;
// stops at the first field that breaks it.
absl::Status CleanText(google::protobuf::Message& message);

// The same for the request of a call: gRPC owns the request as a mutable
// object and hands handlers a const pointer to it; cleaning it in place,
// before any work reads it, is what the rule is about.
absl::Status CleanRequest(const google::protobuf::Message* request);

}  // namespace hotline::rpc
