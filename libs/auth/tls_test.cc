// TLS and mutual TLS over real loopback gRPC, with certificates made at test
// start by the openssl command-line tool.

#include "libs/auth/tls.h"

#include <gmock/gmock.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "libs/probe/probe.h"

namespace hotline::auth {
namespace {

using ::hotline::probe::CheckHealth;
using ::testing::HasSubstr;

// Option builders (GCC warns about designated initializers that skip fields).
TlsOptions Server(std::string cert, std::string key, std::string client_ca = "") {
  TlsOptions options;
  options.cert_file = std::move(cert);
  options.key_file = std::move(key);
  options.client_ca_file = std::move(client_ca);
  return options;
}

TlsOptions Insecure() {
  TlsOptions options;
  options.allow_insecure = true;
  return options;
}

ClientTlsOptions Client(std::string ca, std::string cert = "", std::string key = "") {
  ClientTlsOptions options;
  options.ca_file = std::move(ca);
  options.cert_file = std::move(cert);
  options.key_file = std::move(key);
  return options;
}

constexpr char kOpensslConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
)";

// A throwaway PKI: "ca" signs "server" (for localhost and 127.0.0.1) and
// "client"; "other_ca" signs "stranger", a client certificate "ca" never saw.
class Pki {
 public:
  Pki() {
    char dir_template[] = "/tmp/hotline-tls-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = dir_template;
    std::ofstream(Path("openssl.cnf")) << kOpensslConfig;
    ok_ = MakeCa("ca") && MakeCa("other_ca") && MakeLeaf("server", "ca", "server_ext") &&
          MakeLeaf("client", "ca", "client_ext") && MakeLeaf("stranger", "other_ca", "client_ext");
  }
  ~Pki() {
    if (!dir_.empty()) {
      std::system(absl::StrCat("rm -rf '", dir_, "'").c_str());
    }
  }

  bool ok() const { return ok_; }
  std::string Path(absl::string_view name) const { return absl::StrCat(dir_, "/", name); }
  std::string Cert(absl::string_view name) const { return Path(absl::StrCat(name, ".crt")); }
  std::string Key(absl::string_view name) const { return Path(absl::StrCat(name, ".key")); }

 private:
  bool Run(const std::string& command) {
    std::string full = absl::StrCat("cd '", dir_, "' && ", command, " >>openssl.log 2>&1");
    if (std::system(full.c_str()) != 0) {
      ADD_FAILURE() << "failed: " << command << " (see " << Path("openssl.log") << ")";
      return false;
    }
    return true;
  }
  bool MakeCa(const std::string& name) {
    return Run(absl::StrCat(
        "openssl req -x509 -config openssl.cnf -extensions ca_ext -newkey ec "
        "-pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=hotline test ",
        name, "' -keyout ", name, ".key -out ", name, ".crt"));
  }
  bool MakeLeaf(const std::string& name, const std::string& ca, const std::string& extensions) {
    return Run(absl::StrCat("openssl req -new -config openssl.cnf -newkey ec "
                            "-pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=",
                            name, "' -keyout ", name, ".key -out ", name, ".csr")) &&
           Run(absl::StrCat("openssl x509 -req -in ", name, ".csr -CA ", ca, ".crt -CAkey ", ca,
                            ".key -set_serial 0x", name.size(), "1 -days 2 -extfile openssl.cnf ",
                            "-extensions ", extensions, " -out ", name, ".crt"));
  }

  std::string dir_;
  bool ok_ = false;
};

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new Pki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(pki_->ok()); }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
  }

  // Starts a server with gRPC's default health service on 127.0.0.1.
  void StartServer(const TlsOptions& options) {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
        MakeServerCredentials(options, "127.0.0.1:0");
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port_);
    // A server needs one service of its own to poll for the health service.
    builder.RegisterCallbackGenericService(&unimplemented_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  // The health status as a client with `options` sees it, connecting to
  // 127.0.0.1 and expecting the server certificate to name `server_name`
  // (by default the IP address itself).
  absl::StatusOr<std::string> HealthAs(const ClientTlsOptions& options,
                                       const std::string& server_name = "") {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        MakeChannelCredentials(options);
    if (!credentials.ok()) {
      return credentials.status();
    }
    grpc::ChannelArguments args;
    if (!server_name.empty()) {
      args.SetSslTargetNameOverride(server_name);
    }
    return CheckHealth(
        grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_), *credentials, args));
  }

  TlsOptions MutualTls() const {
    return Server(pki_->Cert("server"), pki_->Key("server"), pki_->Cert("ca"));
  }

  static Pki* pki_;
  grpc::CallbackGenericService unimplemented_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

Pki* TlsTest::pki_ = nullptr;

TEST_F(TlsTest, MutualTlsAcceptsAClientCertificateSignedByTheCa) {
  StartServer(MutualTls());
  ClientTlsOptions client = Client(pki_->Cert("ca"), pki_->Cert("client"), pki_->Key("client"));
  EXPECT_EQ(HealthAs(client).value_or("error"), "SERVING");
  EXPECT_EQ(HealthAs(client, "localhost").value_or("error"), "SERVING");
  // The certificate names localhost and 127.0.0.1, nothing else.
  EXPECT_EQ(HealthAs(client, "intake.example").status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutACertificate) {
  StartServer(MutualTls());
  absl::StatusOr<std::string> health = HealthAs(Client(pki_->Cert("ca")));
  EXPECT_EQ(health.status().code(), absl::StatusCode::kUnavailable) << health.status();
}

TEST_F(TlsTest, MutualTlsRefusesAClientCertificateFromAnotherCa) {
  StartServer(MutualTls());
  absl::StatusOr<std::string> health =
      HealthAs(Client(pki_->Cert("ca"), pki_->Cert("stranger"), pki_->Key("stranger")));
  EXPECT_EQ(health.status().code(), absl::StatusCode::kUnavailable) << health.status();
}

TEST_F(TlsTest, MutualTlsRefusesPlaintextClients) {
  StartServer(MutualTls());
  EXPECT_EQ(HealthAs({}).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, ServerTlsIsVerifiedByTheClient) {
  StartServer(Server(pki_->Cert("server"), pki_->Key("server")));
  EXPECT_EQ(HealthAs(Client(pki_->Cert("ca"))).value_or("error"), "SERVING");
  // A client that trusts another CA does not talk to this server.
  EXPECT_EQ(HealthAs(Client(pki_->Cert("other_ca"))).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, PlaintextOnlyOnLoopbackUnlessAllowed) {
  for (absl::string_view address : {"127.0.0.1:50051", "127.8.9.10:1", "localhost:50051",
                                    "[::1]:50051", "unix:/tmp/hotline.sock"}) {
    EXPECT_TRUE(MakeServerCredentials({}, address).ok()) << address;
  }
  for (absl::string_view address : {"0.0.0.0:50051", "[::]:50051", "10.1.2.3:50051",
                                    "intake.example:50051", "127.0.0.1.example:1"}) {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> refused =
        MakeServerCredentials({}, address);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << address;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("allow_insecure"));
    EXPECT_TRUE(MakeServerCredentials(Insecure(), address).ok()) << address;
  }
}

TEST_F(TlsTest, FileProblemsNameTheFile) {
  const std::string missing = pki_->Path("missing.pem");
  struct Case {
    TlsOptions options;
    std::string names;
  };
  for (const Case& c : std::vector<Case>{
           {Server(missing, pki_->Key("server")), missing},
           {Server(pki_->Cert("server"), missing), missing},
           // A key that belongs to another certificate.
           {Server(pki_->Cert("server"), pki_->Key("client")), pki_->Key("client")},
           // Not PEM at all.
           {Server(pki_->Path("openssl.cnf"), pki_->Key("server")), pki_->Path("openssl.cnf")},
           {Server(pki_->Cert("server"), pki_->Key("server"), missing), missing},
           {Server(pki_->Cert("server"), ""), pki_->Cert("server")},
           {Server("", "", pki_->Cert("ca")), pki_->Cert("ca")},
       }) {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> result =
        MakeServerCredentials(c.options, "127.0.0.1:0");
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.names;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(c.names));
  }
}

TEST_F(TlsTest, ClientCredentialProblemsNameTheFile) {
  EXPECT_TRUE(MakeChannelCredentials({}).ok());
  const std::string missing = pki_->Path("missing.pem");
  for (const ClientTlsOptions& options : std::vector<ClientTlsOptions>{
           Client(missing),
           Client(pki_->Cert("ca"), pki_->Cert("client")),
           Client("", pki_->Cert("client"), pki_->Key("client")),
           Client(pki_->Cert("ca"), pki_->Cert("client"), missing),
       }) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> result =
        MakeChannelCredentials(options);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(result.status().message()),
                ::testing::AnyOf(HasSubstr(missing), HasSubstr(pki_->Cert("client"))));
  }
}

}  // namespace
}  // namespace hotline::auth
