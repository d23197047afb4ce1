#pragma once

// Something a service runs beside its RPCs (an outbox relay, a queue keeper,
// a scanner). The service host starts it once the schema is migrated and
// stops it before the process exits. Start and Stop are each called once, in
// that order, from one thread.

namespace hotline::worker {

class BackgroundWorker {
 public:
  virtual ~BackgroundWorker() = default;
  virtual void Start() = 0;
  virtual void Stop() = 0;
};

}  // namespace hotline::worker
