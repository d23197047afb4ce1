#include "libs/status/status.h"

#include <cstdint>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_format.h"
#include "libs/log/log.h"

namespace hotline {
namespace {

constexpr char kServerDetailUrl[] = "type.hotline/server-detail";

// What a client reads instead of a message it must not see.
absl::string_view Summary(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
      return "the service cannot reach its storage; retry with backoff";
    case absl::StatusCode::kAborted:
      return "the change conflicted with a concurrent one; retry";
    case absl::StatusCode::kDeadlineExceeded:
      return "storage did not answer in time";
    case absl::StatusCode::kAlreadyExists:
      return "the record already exists";
    default:
      return "internal error";
  }
}

std::string NewErrorId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

bool HidesMessage(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return HasServerDetail(status);
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  const auto code = static_cast<grpc::StatusCode>(status.code());
  if (!HidesMessage(status)) {
    return grpc::Status(code, std::string(status.message()));
  }
  std::string id = NewErrorId();
  log::Error("rpc", "error id ", id, " answered as ", absl::StatusCodeToString(status.code()), ": ",
             status.message());
  return grpc::Status(code, absl::StrCat(Summary(status.code()), " (id ", id, ")"));
}

absl::Status MarkServerDetail(absl::Status status) {
  if (!status.ok()) {
    status.SetPayload(kServerDetailUrl, absl::Cord());
  }
  return status;
}

bool HasServerDetail(const absl::Status& status) {
  return status.GetPayload(kServerDetailUrl).has_value();
}

absl::Status PrefixMessage(absl::string_view prefix, const absl::Status& status) {
  if (status.ok()) {
    return status;
  }
  absl::Status out(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace hotline
