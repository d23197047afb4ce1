#pragma once

// Who may call which RPC: the one access table of every hotline service.
//
// The table (access.cc) has one row per RPC of every service in
// proto/hotline/ (hotline.common.v1.EventSink included), keyed by the gRPC
// full method name "/<package>.<Service>/<Method>", with the roles that may
// call it. Nobody passes by default: the admin role is listed on the rows
// operators may use and is absent from the others; EventSink.DeliverEvents is
// the `service` principal's alone (the other services' outbox relays), so no
// person can inject events. access_test.cc walks every RPC of the generated
// descriptors against every role, and fails for an RPC without a row.
//
// A handler starts with AuthorizeCall(tokens, context, "<its method>"); the
// finer rules that depend on the request (a branch reads only its own
// orders, an agent sets only its own state) stay in the handler, after it.

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "libs/auth/role.h"
#include "libs/auth/token_store.h"

namespace hotline::auth {

// One row of the access table.
struct MethodAccess {
  absl::string_view method;  // "/hotline.intake.v1.TicketIntake/CreateTicket"
  RoleSet roles;             // the roles that may call it
  absl::string_view action;  // completes "role X may not ...": "create tickets"
};

// Every row, in the order of access.cc.
absl::Span<const MethodAccess> AccessTable();

// The row of `method` (a gRPC full method name), or nullptr.
const MethodAccess* FindMethodAccess(absl::string_view method);

// OK when the table lets `principal.role` call `method`; otherwise
// PERMISSION_DENIED "role <role> may not <action>". A method without a row is
// refused to every role with INTERNAL "no access rule for <method>": a
// handler that names a method the table lacks is a bug, and it fails closed.
absl::Status Authorize(const Principal& principal, absl::string_view method);

// Authenticates the call's bearer token (TokenStore::Authenticate: its
// UNAUTHENTICATED errors), Authorize()s the caller for `method`, then takes
// the call from the caller's rate (TokenStore::AdmitCall: RESOURCE_EXHAUSTED).
// Returns the caller for the handler's finer checks.
absl::StatusOr<Principal> AuthorizeCall(const TokenStore& tokens,
                                        const grpc::ServerContextBase& context,
                                        absl::string_view method);

}  // namespace hotline::auth
