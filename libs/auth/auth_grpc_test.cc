// Bearer-token authentication and the access table as a client sees them,
// over a real loopback gRPC server.

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "libs/auth/access.h"
#include "libs/auth/token_store.h"
#include "libs/status/status.h"

namespace hotline::auth {
namespace {

constexpr char kMethod[] = "/hotline.outage.v1.OutageNotices/PublishNotice";
constexpr char kDeliverEvents[] = "/hotline.common.v1.EventSink/DeliverEvents";

// Answers every method: authenticates the caller, checks the access table
// for the method called, and on success returns one empty message with the
// caller's name in the trailing metadata.
class GuardedService : public grpc::CallbackGenericService {
 public:
  explicit GuardedService(TokenStore store) : store_(std::move(store)) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new Reactor(store_, context);
  }

 private:
  class Reactor : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(const TokenStore& store, grpc::GenericCallbackServerContext* context) {
      absl::StatusOr<Principal> principal = AuthorizeCall(store, *context, context->method());
      if (!principal.ok()) {
        Finish(ToGrpcStatus(principal.status()));
        return;
      }
      context->AddTrailingMetadata("principal", principal->name);
      grpc::Slice empty("");
      reply_ = grpc::ByteBuffer(&empty, 1);
      StartWriteAndFinish(&reply_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    grpc::ByteBuffer reply_;
  };

  TokenStore store_;
};

class AuthOverGrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TokenStore> store =
        TokenStore::Parse(absl::StrCat(HashToken("agent-token"), " agent alice\n",         //
                                       HashToken("dispatch-token"), " dispatcher dora\n",  //
                                       HashToken("admin-token"), " admin ops\n",           //
                                       HashToken("service-token"), " service intake\n"));
    ASSERT_TRUE(store.ok()) << store.status();
    service_ = std::make_unique<GuardedService>(*std::move(store));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
  }

  struct Result {
    grpc::Status status;
    std::string principal;  // from the trailing metadata
  };

  // Calls `method` with `authorization` metadata (none if empty).
  Result Call(const std::string& authorization, const std::string& method = kMethod) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!authorization.empty()) {
      context.AddMetadata("authorization", authorization);
    }
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    Result result;
    absl::Notification done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) {
                     result.status = std::move(status);
                     done.Notify();
                   });
    done.WaitForNotification();
    auto it = context.GetServerTrailingMetadata().find("principal");
    if (it != context.GetServerTrailingMetadata().end()) {
      result.principal = std::string(it->second.data(), it->second.size());
    }
    return result;
  }

  std::unique_ptr<GuardedService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(AuthOverGrpcTest, MissingOrMalformedTokenIsUnauthenticated) {
  for (const std::string& header : {std::string(""), std::string("Basic YWxpY2U6c2VjcmV0"),
                                    std::string("Bearer"), std::string("Bearer   ")}) {
    Result result = Call(header);
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << header;
    EXPECT_EQ(result.status.error_message(), "missing bearer token") << header;
  }
}

TEST_F(AuthOverGrpcTest, UnknownTokenIsUnauthenticatedAndNotEchoed) {
  Result result = Call("Bearer guessed-token-123");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(result.status.error_message(), "unknown token");
  EXPECT_EQ(result.status.error_message().find("guessed"), std::string::npos);
}

TEST_F(AuthOverGrpcTest, ValidTokenWithTheWrongRoleIsPermissionDenied) {
  Result result = Call("Bearer agent-token");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(result.status.error_message(), "role agent may not publish outage notices");
}

TEST_F(AuthOverGrpcTest, AllowedRoleAndAdminGetThrough) {
  Result dispatcher = Call("Bearer dispatch-token");
  ASSERT_TRUE(dispatcher.status.ok()) << dispatcher.status.error_message();
  EXPECT_EQ(dispatcher.principal, "dora");
  Result admin = Call("bearer admin-token");  // the scheme is case-insensitive
  ASSERT_TRUE(admin.status.ok()) << admin.status.error_message();
  EXPECT_EQ(admin.principal, "ops");
}

TEST_F(AuthOverGrpcTest, OnlyTheServicePrincipalDeliversEventsNotAdmin) {
  Result admin = Call("Bearer admin-token", kDeliverEvents);
  EXPECT_EQ(admin.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(admin.status.error_message(), "role admin may not deliver events");
  Result service = Call("Bearer service-token", kDeliverEvents);
  ASSERT_TRUE(service.status.ok()) << service.status.error_message();
  EXPECT_EQ(service.principal, "intake");
}

TEST_F(AuthOverGrpcTest, AMethodOutsideTheTableIsRefusedEvenToAdmin) {
  ::testing::internal::CaptureStderr();
  Result admin = Call("Bearer admin-token", "/hotline.test.Outage/Publish");
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(admin.status.error_code(), grpc::StatusCode::INTERNAL);
  // A server fault: the client reads an id, the log says which rule is missing.
  const std::string& message = admin.status.error_message();
  ASSERT_TRUE(absl::StartsWith(message, "internal error (id ")) << message;
  const std::string id = message.substr(19, 16);
  EXPECT_TRUE(absl::StrContains(log, absl::StrCat("error id ", id,
                                                  " answered as INTERNAL: no access rule for "
                                                  "/hotline.test.Outage/Publish")))
      << log;
}

}  // namespace
}  // namespace hotline::auth
