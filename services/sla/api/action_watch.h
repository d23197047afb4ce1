#pragma once

// WatchEvents: a server stream of the actions sla fires (warnings, breaches,
// urgings, supervision cases), for shift leaders' desktops.
//
// The stream starts after `after_sequence` (with `only_new`, after the last
// action recorded when it starts) and sends every later action of the unit,
// oldest first,
// reading them from PostgreSQL: any replica's stream sees every replica's
// actions. It reads when the ActionFeed wakes it (this replica's timer, or
// another's NOTIFY), on the handler pool, never on gRPC's threads; one read
// and one write are in flight at most, and StartWrite and Finish are called
// without the reactor's lock held. A client that reconnects with the last
// sequence it received misses nothing.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hotline/sla/v1/sla.grpc.pb.h"
#include "libs/rpc/handler_pool.h"
#include "services/sla/desk/action_feed.h"

namespace hotline::sla {

// Reads the actions after a sequence (for one unit, "" every unit), at most
// a page; and the last sequence recorded.
struct ActionSource {
  std::function<absl::StatusOr<std::vector<v1::SlaAction>>(int64_t after, const std::string& unit)>
      after;
  std::function<absl::StatusOr<int64_t>()> last;
};

// Starts the stream, or finishes it at once with `allowed` when that is an
// error. The reactor deletes itself when done.
grpc::ServerWriteReactor<v1::SlaAction>* StartActionWatch(ActionSource source, ActionFeed& feed,
                                                          rpc::HandlerPool& handlers,
                                                          const v1::WatchEventsRequest& request,
                                                          const absl::Status& allowed);

}  // namespace hotline::sla
