#pragma once

// Where "something new was recorded" meets the streams of this process that
// must read it (rpc::SequenceWatch): the writer, after its commit, and the
// NOTIFY of other replicas' writers call Wake(); each registered watcher is
// then told to read what is new from the store, which is the truth for every
// replica. A wake carries nothing: the watcher reads after its own cursor, so
// a wake too many costs a read and a wake merged with another loses nothing.
//
// A service keeps one feed per kind of record and wires it to its NOTIFY
// channel (libs/pg/notifications.h) beside its writer:
//
//   context.notifications().Listen(kNoticesChannel,
//                                  [&feed](const std::string&) { feed.Wake(); });
//   ... commit (the transaction ran pg_notify(kNoticesChannel, '')) ...
//   feed.Wake();  // this replica's streams, without waiting for the NOTIFY
//
// The listener calls every handler once after it reconnects, so a NOTIFY lost
// while it was away still wakes the streams.
//
// Nothing here knows gRPC: a desk that records may hold the feed.
//
// Thread-safe: every method may be called from any thread.

#include <functional>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace hotline::rpc {

class WakeFeed {
 public:
  WakeFeed() = default;
  WakeFeed(const WakeFeed&) = delete;
  WakeFeed& operator=(const WakeFeed&) = delete;

  // `wake` is called at every Wake() until Remove(id), on the waking thread
  // and without the feed's lock held; it must be quick (schedule a read,
  // return). A Wake() that began before Remove(id) may still call it after
  // Remove returns: a watcher that goes away guards itself (SequenceWatch
  // does).
  int Add(std::function<void()> wake);
  void Remove(int id);
  void Wake();

  // Watchers registered (for tests and metrics).
  int size() const;

 private:
  mutable absl::Mutex mu_;
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int, std::function<void()>> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::rpc
