#pragma once

// "Is this address inside an active outage notice?" asked of the outage
// service (hotline.outage.v1.OutageNotices/CheckAddress) for every new repair.
//
// The check never fails a create: when the outage service cannot answer
// (unreachable, too slow, UNIMPLEMENTED, no address or token configured) the
// answer is OUTAGE_CHECK_SKIPPED with the reason, and the repair goes on to
// the duplicate check and routing; the ticket and its history record that
// the check was skipped.
//
// Thread-safe.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/intake/v1/intake.pb.h"
#include "hotline/outage/v1/outage.grpc.pb.h"

namespace hotline::intake {

class AddressOutageCheck {
 public:
  virtual ~AddressOutageCheck() = default;
  // CLEAR, AFFECTED (notice_id, restore_at) or SKIPPED (skipped_reason).
  virtual v1::OutageLink Check(const common::v1::Address& address, absl::Time at) = 0;
};

class OutageServiceCheck final : public AddressOutageCheck {
 public:
  // Calls over `channel` with `service_token` as bearer, waiting at most
  // `timeout` per call.
  OutageServiceCheck(std::shared_ptr<grpc::Channel> channel, std::string service_token,
                     absl::Duration timeout);

  v1::OutageLink Check(const common::v1::Address& address, absl::Time at) override;

 private:
  std::unique_ptr<outage::v1::OutageNotices::Stub> stub_;
  std::string service_token_;
  absl::Duration timeout_;
};

// For a service that cannot reach outage at all (no address or no service
// token configured): every check is SKIPPED with `reason`.
class SkippedOutageCheck final : public AddressOutageCheck {
 public:
  explicit SkippedOutageCheck(std::string reason) : reason_(std::move(reason)) {}
  v1::OutageLink Check(const common::v1::Address& address, absl::Time at) override;

 private:
  std::string reason_;
};

}  // namespace hotline::intake
