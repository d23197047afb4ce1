#pragma once

// gRPC C++ answers a request it cannot parse into the method's message type
// (a proto3 string field that is not valid UTF-8, a broken encoding) with
// UNIMPLEMENTED and an empty message: the callback handler's RunHandler makes
// that answer itself when deserialisation failed, before any code of ours
// runs. This interceptor sees the failed parse (the received message is null
// for a unary or server-streaming call) and turns that answer into
//   INVALID_ARGUMENT "request: not a valid <type> message (...)"
// RpcServer::Start installs it first on every server, ahead of the metrics
// interceptor, so metrics count the corrected code.
//
// Client- and bidi-streaming calls see a message that cannot be parsed as the
// end of the stream (gRPC's reader reports both alike); such a handler reads
// raw bytes and parses them with ParseMessage below.

#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "absl/status/status.h"

namespace hotline::rpc {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeUnparsedRequestInterceptorFactory();

// Parses `bytes` into `message`; INVALID_ARGUMENT "<what>: not a valid <type>
// message (...)" when they are not one.
absl::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message,
                          absl::string_view what = "request");

}  // namespace hotline::rpc
