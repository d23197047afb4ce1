#include "libs/rpc/unparsed_request.h"

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace hotline::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

constexpr absl::string_view kWhy =
    "a string field that is not valid UTF-8, or bytes that are not its encoding";

std::string NotValid(absl::string_view what, absl::string_view type) {
  return absl::StrCat(what, ": not a valid ", type, " message (", kWhy, ")");
}

// "/hotline.intake.v1.TicketIntake/CreateTicket" -> its input type's name.
std::string InputTypeOf(const char* method) {
  if (method == nullptr) {
    return "request";
  }
  std::string name = absl::StrReplaceAll(absl::StripPrefix(method, "/"), {{"/", "."}});
  const google::protobuf::MethodDescriptor* found =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  return found == nullptr ? "request" : found->input_type()->full_name();
}

class UnparsedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit UnparsedRequestInterceptor(ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr &&
        (info_->type() == ServerRpcInfo::Type::UNARY ||
         info_->type() == ServerRpcInfo::Type::SERVER_STREAMING)) {
      unparsed_ = true;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status sent = methods->GetSendStatus();
      if (sent.error_code() == grpc::StatusCode::UNIMPLEMENTED && sent.error_message().empty()) {
        methods->ModifySendStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                               NotValid("request", InputTypeOf(info_->method()))));
      }
    }
    methods->Proceed();
  }

 private:
  ServerRpcInfo* const info_;
  bool unparsed_ = false;
};

class UnparsedRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new UnparsedRequestInterceptor(info);
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeUnparsedRequestInterceptorFactory() {
  return std::make_unique<UnparsedRequestInterceptorFactory>();
}

absl::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message,
                          absl::string_view what) {
  std::vector<grpc::Slice> slices;
  std::string data;
  if (bytes.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      data.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    if (message.ParseFromString(data)) {
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(NotValid(what, message.GetDescriptor()->full_name()));
}

}  // namespace hotline::rpc
