#pragma once

// Transport security for servers and clients: TLS, mutual TLS, or plaintext
// where that is safe (loopback) or explicitly allowed.

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hotline::auth {

struct TlsOptions {
  std::string cert_file;        // PEM certificate chain of the server
  std::string key_file;         // PEM private key matching cert_file
  std::string client_ca_file;   // PEM CA bundle; when set, clients must present
                                // a certificate signed by it (mutual TLS)
  bool allow_insecure = false;  // plaintext even on a non-loopback address
};

// Server credentials for `listen_address` (e.g. "0.0.0.0:50051"):
// - cert_file + key_file: TLS; with client_ca_file as well, mutual TLS that
//   requires and verifies a client certificate.
// - neither: plaintext, only when IsLoopbackAddress(listen_address) or
//   allow_insecure; otherwise FAILED_PRECONDITION saying to set a
//   certificate or allow_insecure.
// INVALID_ARGUMENT naming the file when a file is missing, unreadable or not
// valid PEM, when the key does not match the certificate, or when only one of
// cert_file/key_file is set, or client_ca_file without them.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsOptions& options, absl::string_view listen_address);

struct ClientTlsOptions {
  std::string ca_file;    // PEM CA bundle that signed the server's certificate
  std::string cert_file;  // client certificate for mutual TLS (optional)
  std::string key_file;   // its private key
};

// Channel credentials: empty ca_file gives plaintext (insecure) credentials;
// otherwise TLS verifying the server against ca_file, presenting
// cert_file/key_file when set. INVALID_ARGUMENT naming the file when one is
// missing or unreadable, when only one of cert_file/key_file is set, or when a
// client certificate is given without ca_file.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ClientTlsOptions& options);

// True for listen addresses that only this machine can reach: 127.x.x.x,
// localhost and [::1], with or without ":port", and "unix:" sockets. False
// for wildcards ("0.0.0.0", "[::]"), other hosts and anything unparsable.
bool IsLoopbackAddress(absl::string_view address);

}  // namespace hotline::auth
