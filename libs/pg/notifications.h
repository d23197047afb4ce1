#pragma once

// PostgreSQL LISTEN/NOTIFY for waking work across processes: a transaction
// that makes work for others runs pg::Notify(tx, channel, payload), and on commit
// every listener of that channel, in this process or another replica, hears
// it within milliseconds. Used to wake outbox relays (OutboxChannel) and
// dispatch's pull hub (a new order for a branch).
//
// A NotificationListener is a background worker with its own connection
// (not one of the pool's). Handlers are registered before Start and run on
// the listener's thread, so they must be quick (wake something, return).
// When the connection is lost, it reconnects with backoff and then calls
// every handler with the payload "" ("you may have missed something"), so
// nothing waits for a notification sent while it was away.
//
// Thread safety: Listen before Start; Start and Stop from one thread.

#include <functional>
#include <map>
#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/worker/periodic_worker.h"

namespace hotline::pg {

// The sending side: NOTIFYs `channel` with `payload` inside `tx` (listeners
// hear it when `tx` commits). Errors are libpqxx's exceptions, as pg::Exec's.
void Notify(pqxx::transaction_base& tx, const std::string& channel,
            const std::string& payload = "");

class NotificationListener final : public worker::BackgroundWorker {
 public:
  using Handler = std::function<void(const std::string& payload)>;

  // `uri`: a libpq connection string or URI (as the pool's).
  explicit NotificationListener(std::string uri);
  ~NotificationListener() override;

  // Channel names are PostgreSQL identifiers: lower-case letters, digits, _.
  void Listen(const std::string& channel, Handler handler);
  bool empty() const { return handlers_.empty(); }

  void Start() override;
  void Stop() override;

 private:
  class Receiver;
  absl::StatusOr<absl::Duration> Round();
  absl::Status Connect();

  const std::string uri_;
  std::map<std::string, std::vector<Handler>> handlers_;
  // The listener's thread only:
  std::unique_ptr<pqxx::connection> connection_;
  std::vector<std::unique_ptr<Receiver>> receivers_;
  absl::Time last_check_ = absl::InfinitePast();
  worker::PeriodicWorker worker_;
};

}  // namespace hotline::pg
