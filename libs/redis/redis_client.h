#pragma once

// A small synchronous Redis client on top of hiredis 0.14.
//
// Redis holds live state only (queues, agent states, dashboard counters), so
// the client is built to survive Redis going away: it connects lazily, drops
// its connection on any I/O error or timeout, and reconnects on the next call.
// Callers see UNAVAILABLE while Redis is down and success again once it is
// back, with no restart of the process.

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct redisContext;

namespace hotline::redis {

struct RedisOptions {
  // "host:port" (IPv6 literals in brackets: "[::1]:6379").
  std::string address = "127.0.0.1:6379";
  // Logical database, SELECTed after every (re)connect.
  int db = 0;
  // Bound on establishing the TCP connection.
  absl::Duration connect_timeout = absl::Seconds(1);
  // Bound on each socket read/write of a command; a command that gets no
  // reply within it (a slow server, or a blocking command such as BLPOP with
  // a longer timeout) fails with UNAVAILABLE and the connection is dropped.
  absl::Duration command_timeout = absl::Seconds(2);
};

// One decoded reply. Error replies never appear here: they become a Status.
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus };

  Type type = Type::kNil;
  std::string str;                   // kString (binary-safe) and kStatus ("OK", "PONG").
  long long integer = 0;             // kInteger.
  std::vector<RedisReply> elements;  // kArray.

  bool operator==(const RedisReply& other) const = default;
};

// Thread-safe: one connection guarded by a mutex, so concurrent calls are
// serialised (a slow command delays the others by up to command_timeout).
// Where that matters (a blocking pull), give that work a client of its own.
// While Redis is down every call tries to connect once: refused connections
// fail at once, an unreachable host after connect_timeout. Never throws.
//
// Error codes of every call:
//   INVALID_ARGUMENT     an empty command, or a malformed `address`.
//   UNAVAILABLE          cannot connect, an I/O error, a timeout, or Redis
//                        replied LOADING/BUSY/MASTERDOWN/TRYAGAIN (a transient
//                        server state). Retrying later may succeed.
//   FAILED_PRECONDITION  any other error reply (WRONGTYPE, ERR ...), with
//                        Redis' message; retrying the same command will not
//                        help. The connection stays usable.
//
// Subscribing commands (SUBSCRIBE, MONITOR) are not supported: the connection
// is strictly request/response. Blocking ones (BLPOP) work when their own
// timeout is below command_timeout, and hold the connection meanwhile.
//
// Writing to a connection that Redis closed raises SIGPIPE; the first client
// constructed sets SIGPIPE to SIG_IGN if it still has the default disposition
// (which would kill the process), so that such writes fail with EPIPE.
class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  ~RedisClient();

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command, e.g. {"SET", key, value}. Arguments are binary-safe.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Sends all commands in one write, then reads all replies: one round trip.
  // Not atomic (wrap in MULTI/EXEC for that). If any reply is an error the
  // call fails with the code above and a message naming the index of the
  // first failing command; the other commands still ran.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // PING; OK if Redis answered PONG.
  absl::Status Ping();

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  // Connects and SELECTs the database if there is no live connection.
  absl::Status EnsureConnectedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Drops the connection after an I/O error; returns UNAVAILABLE describing it.
  absl::Status DropLocked(absl::string_view what, absl::Time started)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const RedisOptions options_;
  std::string host_;
  int port_ = 0;
  absl::Status address_status_;  // Not OK if options_.address is malformed.

  absl::Mutex mutex_;
  ContextPtr context_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace hotline::redis
