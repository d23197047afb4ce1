#pragma once

// A new ticket's deadlines, asked of the sla service
// (hotline.sla.v1.SlaTracker/ComputeDeadlines) while intake takes the
// ticket, so that CreateTicket's answer shows sla's working-day due times.
// sla is where deadlines live; intake only shows them (ticket_deadlines.h
// says which stage is shown as which kind) and afterwards follows sla's
// clock events.
//
// A quote never fails a create: when sla cannot answer (unreachable, too
// slow, UNIMPLEMENTED, any other error, no address or token configured) the
// quote is "pending" with the reason, and the ticket is taken without
// deadlines, marked deadlines_pending until sla's clocks for it arrive.
//
// Thread-safe.

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/sla/v1/sla.grpc.pb.h"
#include "services/intake/tickets/domain/ticket_deadlines.h"

namespace hotline::intake {

struct DeadlineQuote {
  // The due times sla gave, as intake's kinds (DeadlinesOfQuote); empty
  // when sla gives the ticket none, or when pending.
  std::vector<TicketDeadline> deadlines;
  bool pending = false;
  std::string pending_reason;  // why sla could not be asked, when pending
};

class TicketDeadlineSource {
 public:
  virtual ~TicketDeadlineSource() = default;
  // The deadlines of a ticket of `type` taken at `at`, in `area_class`
  // (unspecified when unknown), from `channel`, in `region` (the address's
  // province, whose working-day calendar counts; "" for the national one).
  virtual DeadlineQuote Quote(common::v1::TicketType type, common::v1::AreaClass area_class,
                              common::v1::Channel channel, const std::string& region,
                              absl::Time at) = 0;
};

class SlaDeadlineSource final : public TicketDeadlineSource {
 public:
  // Calls over `channel` with `service_token` as bearer, waiting at most
  // `timeout` per call.
  SlaDeadlineSource(std::shared_ptr<grpc::Channel> channel, std::string service_token,
                    absl::Duration timeout);

  DeadlineQuote Quote(common::v1::TicketType type, common::v1::AreaClass area_class,
                      common::v1::Channel channel, const std::string& region,
                      absl::Time at) override;

 private:
  std::unique_ptr<sla::v1::SlaTracker::Stub> stub_;
  std::string service_token_;
  absl::Duration timeout_;
};

// For a service that cannot reach sla at all (no address or no service
// token configured): every quote is pending with `reason`.
class PendingDeadlineSource final : public TicketDeadlineSource {
 public:
  explicit PendingDeadlineSource(std::string reason) : reason_(std::move(reason)) {}
  DeadlineQuote Quote(common::v1::TicketType type, common::v1::AreaClass area_class,
                      common::v1::Channel channel, const std::string& region,
                      absl::Time at) override;

 private:
  std::string reason_;
};

}  // namespace hotline::intake
