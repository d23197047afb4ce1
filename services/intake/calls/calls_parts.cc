#include "services/intake/calls/calls_parts.h"

#include "hotline/intake/v1/call_center.grpc.pb.h"

namespace hotline::intake {

absl::Status AddCallCenterParts(runtime::ServiceContext&, runtime::ServiceParts& parts) {
  // Until the intake issue lands the generated service answers UNIMPLEMENTED.
  parts.services.push_back(std::make_unique<v1::CallCenter::CallbackService>());
  return absl::OkStatus();
}

}  // namespace hotline::intake
