#pragma once

// Something a service runs beside its RPCs (an outbox relay, a queue keeper,
// a scanner). The service host starts it once the schema is migrated and
// stops it before the process exits. Start and Stop are each called once, in
// that order, from one thread; Drain at most once between them.

namespace hotline::worker {

class BackgroundWorker {
 public:
  virtual ~BackgroundWorker() = default;
  virtual void Start() = 0;
  virtual void Stop() = 0;
  // The service is stopping and drains its calls: end the long-lived calls
  // this worker serves (streams), so that their clients reconnect, to another
  // replica or after the restart, instead of waiting for the drain deadline.
  // Must not block; the worker keeps running until Stop.
  virtual void Drain() {}
};

}  // namespace hotline::worker
