#include "libs/auth/tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/status/status.h"

namespace hotline::auth {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

absl::StatusOr<std::string> ReadPemFile(absl::string_view what, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": cannot be read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad() || text.str().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": empty or unreadable"));
  }
  return text.str();
}

BioPtr MemoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

absl::StatusOr<X509Ptr> FirstCertificate(absl::string_view what, const std::string& path,
                                         const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": no PEM certificate in it"));
  }
  return cert;
}

// Reads cert_file and key_file, checking that both parse and belong together.
absl::StatusOr<std::pair<std::string, std::string>> ReadKeyPair(const std::string& cert_file,
                                                                const std::string& key_file) {
  HOTLINE_ASSIGN_OR_RETURN(std::string cert_pem, ReadPemFile("cert_file", cert_file));
  HOTLINE_ASSIGN_OR_RETURN(std::string key_pem, ReadPemFile("key_file", key_file));
  HOTLINE_ASSIGN_OR_RETURN(X509Ptr cert, FirstCertificate("cert_file", cert_file, cert_pem));
  BioPtr bio = MemoryBio(key_pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("key_file ", key_file, ": no unencrypted PEM private key in it"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("key_file ", key_file, ": does not match the certificate in ", cert_file));
  }
  return std::make_pair(std::move(cert_pem), std::move(key_pem));
}

absl::StatusOr<std::string> ReadCaBundle(absl::string_view what, const std::string& path) {
  HOTLINE_ASSIGN_OR_RETURN(std::string pem, ReadPemFile(what, path));
  HOTLINE_RETURN_IF_ERROR(FirstCertificate(what, path, pem).status());
  return pem;
}

absl::Status CheckPairIsComplete(const std::string& cert_file, const std::string& key_file) {
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError(
        cert_file.empty() ? absl::StrCat("key_file ", key_file, " is set without cert_file")
                          : absl::StrCat("cert_file ", cert_file, " is set without key_file"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") || absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  std::string host;
  if (absl::ConsumePrefix(&address, "[")) {
    size_t close = address.find(']');
    if (close == absl::string_view::npos) {
      return false;
    }
    host = std::string(address.substr(0, close));
    absl::string_view rest = address.substr(close + 1);
    if (!rest.empty() && !absl::StartsWith(rest, ":")) {
      return false;
    }
  } else if (std::count(address.begin(), address.end(), ':') > 1) {
    host = std::string(address);  // a bare IPv6 address
  } else {
    host = std::string(address.substr(0, address.find(':')));
  }
  if (absl::EqualsIgnoreCase(host, "localhost")) {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
  }
  return false;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsOptions& options, absl::string_view listen_address) {
  HOTLINE_RETURN_IF_ERROR(CheckPairIsComplete(options.cert_file, options.key_file));
  if (options.cert_file.empty()) {
    if (!options.client_ca_file.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("client_ca_file ", options.client_ca_file,
                                                     " needs cert_file and key_file as well"));
    }
    if (!options.allow_insecure && !IsLoopbackAddress(listen_address)) {
      return absl::FailedPreconditionError(
          absl::StrCat("refusing plaintext gRPC on non-loopback address ", listen_address,
                       ": set cert_file and key_file (and client_ca_file for mutual TLS), or set "
                       "allow_insecure on a network you trust"));
    }
    return grpc::InsecureServerCredentials();
  }

  HOTLINE_ASSIGN_OR_RETURN(auto pair, ReadKeyPair(options.cert_file, options.key_file));
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({pair.second, pair.first});
  if (!options.client_ca_file.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                             ReadCaBundle("client_ca_file", options.client_ca_file));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ClientTlsOptions& options) {
  HOTLINE_RETURN_IF_ERROR(CheckPairIsComplete(options.cert_file, options.key_file));
  if (options.ca_file.empty()) {
    if (!options.cert_file.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cert_file ", options.cert_file, " is set without ca_file"));
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  HOTLINE_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadCaBundle("ca_file", options.ca_file));
  if (!options.cert_file.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(auto pair, ReadKeyPair(options.cert_file, options.key_file));
    ssl.pem_cert_chain = std::move(pair.first);
    ssl.pem_private_key = std::move(pair.second);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace hotline::auth
