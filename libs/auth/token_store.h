#pragma once

// Bearer-token authentication against a file that stores only token hashes.
//
// File format, one token per line (blank lines and lines starting with '#'
// are ignored; fields are separated by spaces or tabs):
//
//   sha256:<64 hex digits> <role> <name> [branch_id]
//
// <role> is a name accepted by ParseRole; branch_id is required for the
// "branch" role and not allowed for any other. `hotline-token-hash TOKEN`
// prints the first field for a token. The plain token never appears in the
// file, in logs or in error messages.

#include <grpcpp/server_context.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/call_rate.h"
#include "libs/auth/role.h"

namespace hotline::auth {

// "sha256:" followed by the lower-case hex SHA-256 of `token`.
std::string HashToken(absl::string_view token);

// Immutable after loading; all methods are const and safe to call from many
// threads at once. Cheap to move, copyable.
class TokenStore {
 public:
  // Reads and parses the file at `path`. INVALID_ARGUMENT naming the path
  // when it cannot be read, or "<path>:<line>: <problem>" for a bad line.
  static absl::StatusOr<TokenStore> LoadFile(const std::string& path);

  // Parses file contents. INVALID_ARGUMENT "line <n>: <problem>" for a
  // malformed line (wrong field count, bad hash, unknown role, branch role
  // without branch_id, branch_id on another role, duplicate hash).
  static absl::StatusOr<TokenStore> Parse(absl::string_view text);

  // Authenticates the `authorization: Bearer <token>` metadata of a call.
  // UNAUTHENTICATED "missing bearer token" when the header is absent or not a
  // non-empty Bearer credential; UNAUTHENTICATED "unknown token" when no
  // entry matches.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

  // The same for a token already taken out of its header. The comparison
  // runs in constant time over every entry, whichever matches.
  absl::StatusOr<Principal> AuthenticateToken(absl::string_view bearer_token) const;

  // The number of tokens loaded.
  size_t size() const { return entries_.size(); }

  // Limits each caller's call rate from now on (CallRateLimiter); set once,
  // before serving. Copies of the store share the limits.
  void LimitCallRate(CallRateOptions options) {
    limiter_ = std::make_shared<CallRateLimiter>(options);
  }
  // OK, or RESOURCE_EXHAUSTED when `principal` is over its rate (always OK
  // without LimitCallRate).
  absl::Status AdmitCall(const Principal& principal) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Entry {
    Digest digest;
    Principal principal;
  };

  std::vector<Entry> entries_;
  std::shared_ptr<CallRateLimiter> limiter_;
};

}  // namespace hotline::auth
