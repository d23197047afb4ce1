#include "services/intake/tickets/tickets_parts.h"

#include "hotline/intake/v1/intake.grpc.pb.h"

namespace hotline::intake {

absl::Status AddTicketParts(runtime::ServiceContext&, runtime::ServiceParts& parts) {
  // Until the intake issue lands the generated service answers UNIMPLEMENTED.
  parts.services.push_back(std::make_unique<v1::TicketIntake::CallbackService>());
  return absl::OkStatus();
}

}  // namespace hotline::intake
