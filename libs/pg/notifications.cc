#include "libs/pg/notifications.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/log/log.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"

namespace hotline::pg {

void Notify(pqxx::transaction_base& tx, const std::string& channel, const std::string& payload) {
  Exec(tx, "SELECT pg_notify($1, $2)", channel, payload);
}
namespace {

constexpr absl::string_view kComponent = "pg.notifications";
// How long one round waits for notifications before checking for a stop.
constexpr long kWaitMicros = 500000;  // NOLINT(runtime/int): libpqxx's type
// How often an idle connection is checked with a query.
constexpr absl::Duration kCheckEvery = absl::Seconds(10);

}  // namespace

class NotificationListener::Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& conn, const std::string& channel, const std::vector<Handler>& handlers)
      : pqxx::notification_receiver(conn, channel), handlers_(handlers) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override {
    for (const Handler& handler : handlers_) {
      handler(payload);
    }
  }

 private:
  const std::vector<Handler>& handlers_;
};

NotificationListener::NotificationListener(std::string uri)
    : uri_(std::move(uri)),
      worker_({"pg.notifications", absl::Milliseconds(200), absl::Seconds(5)},
              [this] { return Round(); }) {}

NotificationListener::~NotificationListener() { Stop(); }

void NotificationListener::Listen(const std::string& channel, Handler handler) {
  handlers_[channel].push_back(std::move(handler));
}

void NotificationListener::Start() {
  if (!handlers_.empty()) {
    worker_.Start();
  }
}

void NotificationListener::Stop() {
  worker_.Stop();
  receivers_.clear();
  connection_.reset();
}

absl::Status NotificationListener::Connect() {
  receivers_.clear();
  connection_.reset();
  try {
    connection_ = std::make_unique<pqxx::connection>(uri_);
    for (const auto& [channel, handlers] : handlers_) {
      receivers_.push_back(std::make_unique<Receiver>(*connection_, channel, handlers));
    }
    // LISTEN is sent lazily by libpqxx; a query makes sure it was.
    pqxx::nontransaction(*connection_).exec1("SELECT 1");
  } catch (...) {
    receivers_.clear();
    connection_.reset();
    return StatusFromCurrentException("listening for notifications");
  }
  log::Debug(kComponent, "listening on ", handlers_.size(), " channels");
  // Whatever was notified while we were not listening: look now.
  for (const auto& [channel, handlers] : handlers_) {
    for (const Handler& handler : handlers) {
      handler("");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> NotificationListener::Round() {
  if (connection_ == nullptr || !connection_->is_open()) {
    if (absl::Status s = Connect(); !s.ok()) {
      return s;
    }
    last_check_ = absl::Now();
  }
  try {
    connection_->await_notification(0, kWaitMicros);
    if (absl::Now() - last_check_ >= kCheckEvery) {
      pqxx::nontransaction(*connection_).exec1("SELECT 1");
      last_check_ = absl::Now();
    }
  } catch (...) {
    receivers_.clear();
    connection_.reset();
    return StatusFromCurrentException("waiting for notifications");
  }
  return absl::ZeroDuration();
}

}  // namespace hotline::pg
