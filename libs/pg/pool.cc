#include "libs/pg/pool.h"

#include <poll.h>

#include <algorithm>
#include <pqxx/nontransaction>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/deadline/request_deadline.h"
#include "libs/log/log.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/errors.h"

namespace hotline::pg {
namespace {

constexpr absl::string_view kComponent = "pg.pool";

// True when an idle connection can no longer serve a query. No query is in
// flight on an idle connection, so anything readable on its socket (EOF, or
// the FATAL notice a server sends when it shuts down) means it is finished.
bool LooksDead(const pqxx::connection& conn) {
  if (!conn.is_open() || conn.sock() < 0) {
    return true;
  }
  pollfd fd{conn.sock(), POLLIN, 0};
  return ::poll(&fd, 1, 0) != 0;
}

}  // namespace

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      conn_(std::move(other.conn_)),
      broken_(other.broken_),
      session_statement_timeout_(other.session_statement_timeout_) {}

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Return();
    pool_ = std::exchange(other.pool_, nullptr);
    conn_ = std::move(other.conn_);
    broken_ = other.broken_;
    session_statement_timeout_ = other.session_statement_timeout_;
  }
  return *this;
}

Pool::Lease::~Lease() { Return(); }

void Pool::Lease::Return() {
  if (pool_ != nullptr && conn_ != nullptr) {
    bool broken = broken_ || !conn_->is_open();
    pool_->Release(std::move(conn_), broken, session_statement_timeout_);
  }
  pool_ = nullptr;
}

const PoolOptions& Pool::Lease::pool_options() const { return pool_->options(); }

Pool::Pool(PoolOptions options)
    : options_([&] {
        options.size = std::max(options.size, 1);
        return std::move(options);
      }()),
      conninfo_(WithConnectTimeout(options_.uri, options_.acquire_timeout)) {}

Pool::~Pool() = default;

bool Pool::CanAcquire() const { return !idle_.empty() || open_ < options_.size; }

absl::StatusOr<Pool::Lease> Pool::Acquire() {
  const absl::Time deadline = std::min(absl::Now() + options_.acquire_timeout, deadline::Current());
  while (true) {
    std::unique_ptr<pqxx::connection> conn;
    absl::Duration statement_timeout = options_.statement_timeout;
    {
      absl::MutexLock lock(&mu_);
      if (!mu_.AwaitWithDeadline(absl::Condition(this, &Pool::CanAcquire), deadline)) {
        return absl::DeadlineExceededError(
            absl::StrCat("no PostgreSQL connection became free in time (pool size ", options_.size,
                         ", waited at most ", absl::FormatDuration(options_.acquire_timeout), ")"));
      }
      if (!idle_.empty()) {
        conn = std::move(idle_.back().conn);
        statement_timeout = idle_.back().statement_timeout;
        idle_.pop_back();
      } else {
        ++open_;  // Reserve the slot while connecting outside the lock.
      }
    }
    if (conn == nullptr) {
      absl::StatusOr<std::unique_ptr<pqxx::connection>> opened = Open();
      if (!opened.ok()) {
        absl::MutexLock lock(&mu_);
        --open_;
        return opened.status();
      }
      return Lease(this, std::move(*opened), options_.statement_timeout);
    }
    if (!LooksDead(*conn)) {
      return Lease(this, std::move(conn), statement_timeout);
    }
    log::Info(kComponent, "discarding a closed idle connection");
    Release(std::move(conn), /*broken=*/true, statement_timeout);
  }
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> Pool::Open() {
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo_);
    pqxx::nontransaction setup(*conn);
    setup.exec0(absl::StrCat(
        "SET statement_timeout = ", absl::ToInt64Milliseconds(options_.statement_timeout),
        "; SET lock_timeout = ", absl::ToInt64Milliseconds(options_.lock_timeout)));
    setup.commit();
    return conn;
  } catch (...) {
    absl::Status s = StatusFromCurrentException("connecting to PostgreSQL");
    // Whatever libpq's reason, the caller can only wait and retry.
    return absl::UnavailableError(s.message());
  }
}

void Pool::Release(std::unique_ptr<pqxx::connection> conn, bool broken,
                   absl::Duration statement_timeout) {
  if (broken) {
    conn.reset();  // Closes the socket outside the lock.
    absl::MutexLock lock(&mu_);
    --open_;
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(Idle{std::move(conn), statement_timeout});
}

absl::Status Pool::Ping() {
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) {
    return lease.status();
  }
  try {
    pqxx::nontransaction tx(lease->connection());
    tx.exec1("SELECT 1");
    return absl::OkStatus();
  } catch (...) {
    lease->MarkBroken();
    return StatusFromCurrentException("ping");
  }
}

Pool::Stats Pool::stats() const {
  absl::MutexLock lock(&mu_);
  return Stats{open_, static_cast<int>(idle_.size())};
}

}  // namespace hotline::pg
