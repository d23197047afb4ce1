#pragma once

// The fingerprint of a request, stored beside its idempotency key: a retry
// (the same request) has the same digest; a different request reusing the
// key has another, and is refused. "<type>:sha256:<hex>" of the message's
// deterministic serialization.

#include <google/protobuf/message.h>

#include <string>

namespace hotline::rpc {

std::string RequestDigest(const google::protobuf::Message& message);

}  // namespace hotline::rpc
