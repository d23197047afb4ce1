#pragma once

// The live call queue in Redis (layout in live_queue.h): sends the commands
// that keep it, reads it back, and rebuilds it.
//
// Thread-safe (the RedisClient serialises commands). Errors: those of
// redis::RedisClient (UNAVAILABLE while Redis is down); INTERNAL for a reply
// of an unexpected shape.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/redis/redis_client.h"
#include "services/intake/calls/domain/live_queue.h"

namespace hotline::intake {

class LiveQueueRedis {
 public:
  LiveQueueRedis(redis::RedisClient& redis, std::string prefix)
      : redis_(redis), keys_(std::move(prefix)) {}

  const LiveKeys& keys() const { return keys_; }

  // Sends `commands` in one round trip (no-op when empty).
  absl::Status Apply(const std::vector<RedisCommand>& commands);

  // Whether the ready marker is there (false after Redis lost its data).
  absl::StatusOr<bool> IsBuilt();

  // Replaces the live queue with `truth` and sets the marker, atomically
  // (MULTI/EXEC): readers see the queue before or after, never between.
  absl::Status Rebuild(const LiveTruth& truth, absl::Time now);

  // Every queue named in P:queues, sorted by name (including empty ones).
  absl::StatusOr<std::vector<LiveQueue>> ReadAll();

  // SelectQueues(ReadAll-like, queue), reading only the queue asked for when
  // one is given.
  absl::StatusOr<std::vector<LiveQueue>> Read(const std::string& queue);

 private:
  absl::StatusOr<std::vector<LiveQueue>> ReadQueues(const std::vector<std::string>& queues);

  redis::RedisClient& redis_;
  LiveKeys keys_;
};

}  // namespace hotline::intake
