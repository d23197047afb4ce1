#include "libs/auth/token_store.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace hotline::auth {
namespace {

constexpr absl::string_view kHashPrefix = "sha256:";
constexpr absl::string_view kBearerPrefix = "bearer ";

std::array<unsigned char, 32> Sha256(absl::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  // EVP_Digest only fails on allocation failure; a zero digest then matches
  // no entry, since no file line can hold it without knowing a preimage.
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

bool ParseDigest(absl::string_view field, std::array<unsigned char, 32>& digest) {
  if (!absl::ConsumePrefix(&field, kHashPrefix) || field.size() != 2 * digest.size()) {
    return false;
  }
  for (size_t i = 0; i < digest.size(); ++i) {
    int high = HexValue(field[2 * i]);
    int low = HexValue(field[2 * i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return true;
}

absl::Status LineError(int line, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", problem));
}

}  // namespace

std::string HashToken(absl::string_view token) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kHashPrefix);
  for (unsigned char byte : Sha256(token)) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

absl::StatusOr<TokenStore> TokenStore::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat("token file ", path, ": cannot be read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::InvalidArgumentError(absl::StrCat("token file ", path, ": read error"));
  }
  absl::StatusOr<TokenStore> store = Parse(text.str());
  if (!store.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("token file ", path, ": ", store.status().message()));
  }
  return store;
}

absl::StatusOr<TokenStore> TokenStore::Parse(absl::string_view text) {
  TokenStore store;
  std::vector<int> entry_lines;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() < 3 || fields.size() > 4) {
      return LineError(line_number,
                       "expected \"sha256:<64 hex digits> <role> <name> [branch_id]\"");
    }
    Entry entry;
    if (!ParseDigest(fields[0], entry.digest)) {
      return LineError(line_number, "first field must be sha256: followed by 64 hex digits");
    }
    absl::StatusOr<Role> role = ParseRole(fields[1]);
    if (!role.ok()) {
      return LineError(line_number, role.status().message());
    }
    entry.principal.role = *role;
    entry.principal.name = std::string(fields[2]);
    if (fields.size() == 4) {
      entry.principal.branch_id = std::string(fields[3]);
    }
    if (*role == Role::kBranch && entry.principal.branch_id.empty()) {
      return LineError(line_number, "role branch needs a branch_id as the fourth field");
    }
    if (*role != Role::kBranch && !entry.principal.branch_id.empty()) {
      return LineError(line_number,
                       absl::StrCat("role ", fields[1], " takes no branch_id (only branch does)"));
    }
    for (size_t i = 0; i < store.entries_.size(); ++i) {
      if (store.entries_[i].digest == entry.digest) {
        return LineError(line_number, absl::StrCat("same token hash as line ", entry_lines[i]));
      }
    }
    store.entries_.push_back(std::move(entry));
    entry_lines.push_back(line_number);
  }
  return store;
}

absl::StatusOr<Principal> TokenStore::Authenticate(const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing bearer token");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(value, kBearerPrefix)) {
    return absl::UnauthenticatedError("missing bearer token");
  }
  value.remove_prefix(kBearerPrefix.size());
  return AuthenticateToken(absl::StripAsciiWhitespace(value));
}

absl::StatusOr<Principal> TokenStore::AuthenticateToken(absl::string_view bearer_token) const {
  if (bearer_token.empty()) {
    return absl::UnauthenticatedError("missing bearer token");
  }
  const Digest digest = Sha256(bearer_token);
  const Entry* match = nullptr;
  // Look at every entry, so the time taken does not tell which one matched.
  for (const Entry& entry : entries_) {
    if (CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0) {
      match = &entry;
    }
  }
  if (match == nullptr) {
    return absl::UnauthenticatedError("unknown token");
  }
  return match->principal;
}

absl::Status TokenStore::AdmitCall(const Principal& principal) const {
  return limiter_ == nullptr ? absl::OkStatus() : limiter_->Admit(principal, absl::Now());
}

}  // namespace hotline::auth
