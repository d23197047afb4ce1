#pragma once

// The RPCs a client may send again: those whose .proto declares
// `option idempotency_level = IDEMPOTENT` (a repeat changes nothing, e.g. a
// create with an idempotency key) or NO_SIDE_EFFECTS (reads). MakeChannel
// gives only these a retry policy.

#include <string>
#include <vector>

namespace hotline::rpc {

// "package.Service/Method" of each such RPC in the named .proto files (names as
// the generated descriptor pool knows them, e.g. "hotline/intake/v1/intake.proto").
// Files not linked into the program are skipped: their RPCs cannot be called
// from it.
std::vector<std::string> IdempotentMethods(const std::vector<std::string>& proto_files);

// The same over every .proto file of the hotline API.
const std::vector<std::string>& ApiIdempotentMethods();

}  // namespace hotline::rpc
