#pragma once

// Between the dispatch API's messages and the domain types of branch.h,
// progress.h, order_rules.h and lease_store.h. No validation here: the
// domain's rules do that.

#include "hotline/dispatch/v1/dispatch.pb.h"
#include "services/dispatch/domain/branch.h"
#include "services/dispatch/domain/order_rules.h"
#include "services/dispatch/domain/progress.h"
#include "services/dispatch/store/lease_store.h"

namespace hotline::dispatch {

Branch BranchFromProto(const v1::Branch& proto);
v1::Branch BranchToProto(const Branch& branch);

ProgressReport ReportFromProto(const v1::ReportProgressRequest& request);
ReturnRequest ReturnFromProto(const v1::ReturnOrderRequest& request);

v1::Delivery DeliveryToProto(const Delivery& delivery);

}  // namespace hotline::dispatch
