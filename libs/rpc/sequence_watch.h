#pragma once

// A resumable server stream of records numbered by a growing sequence (sla's
// WatchEvents, outage's WatchNotices): the one way a service streams "every
// record after N, and each new one as it is recorded".
//
//   grpc::ServerWriteReactor<v1::NoticeEvent>* OutageService::WatchNotices(
//       grpc::CallbackServerContext* context, const v1::WatchNoticesRequest* request) {
//     absl::Status allowed = ... authorise, rpc::CleanRequest(request), validate ...;
//     rpc::SequenceSource<v1::NoticeEvent> source;
//     source.after = [this](int64_t after, int limit) { ... SELECT ... WHERE sequence > after
//                                                       ORDER BY sequence LIMIT limit ... };
//     source.last = [this] { ... SELECT max(sequence) ... };
//     source.sequence = [](const v1::NoticeEvent& event) { return event.sequence(); };
//     return rpc::SequenceWatch<v1::NoticeEvent>::Start(
//         std::move(source), feed_, handlers_,
//         {.after_sequence = request->after_sequence(), .only_new = request->only_new()},
//         allowed);
//   }
//
// and the writer wakes `feed_` (a WakeFeed, libs/rpc/wake_feed.h) after each
// commit, here and through its NOTIFY on the other replicas.
//
// What a client gets:
// - Start. Every message with a sequence greater than `after_sequence`
//   (0: from the first); with `only_new`, greater than `source.last()` when
//   the stream's first read runs (just after the call starts), and
//   `after_sequence` is ignored.
// - Order and resume. Messages come in ascending order of sequence, each once.
//   A client that reconnects with the sequence of the last message it
//   received misses nothing and gets nothing twice.
// - Liveness. The stream reads again at every wake of the feed, so a message
//   recorded and woken for reaches every open stream of every replica. A
//   stream is never closed by the server while things go well; it ends when
//   the client cancels (or its deadline passes, or the server shuts down),
//   or with the first error.
// - Errors end the stream: INVALID_ARGUMENT "after_sequence: must not be
//   negative"; `allowed` when it is not OK (the handler's authorisation and
//   validation); RESOURCE_EXHAUSTED when the handler pool refuses a read; a
//   source's error through ToGrpcStatus (an exception from a source becomes
//   INTERNAL, as does a page out of order).
//
// What the source must guarantee, for the above to hold:
// - `after(after, limit)` returns the messages with a sequence greater than
//   `after`, in ascending order, at most `limit` (a full page is read again
//   at once). Filtering (sla's unit) is the source's: a filtered stream's
//   cursor is the sequence of the last message it passed, and resuming after
//   it is exact as well.
// - Sequences become visible in order: once a reader can see sequence N, no
//   smaller sequence may commit later (sla's action inserts hold one advisory
//   lock until their commit). A store whose sequences commit out of order
//   (a plain bigserial written by concurrent transactions) would let a stream
//   skip a message for good.
// - `last()` is the greatest sequence recorded, 0 when none.
//
// Flow. One read and one write are in flight at most. A read runs on the
// HandlerPool, never on gRPC's threads, and reads one page (`page` messages);
// a full page is followed by another read at once. A wake that comes while a
// read runs, or while the stream still holds a page to send, is remembered
// and read when that read is done or the queue is sent, so a slow client
// holds at most about two pages in memory, never the store's backlog, and no
// wake is lost. StartWrite and Finish are called without the stream's lock
// held; a read is scheduled before a write starts (a write may end the call
// and free the stream at once). Finish waits for the read and the write in
// flight.
//
// Threads. The source's functions run on the handler pool, one at a time for
// a stream (streams run theirs concurrently, so they must be thread-safe),
// outside any call deadline (a stream lasts for hours): their store's own
// time limits apply. They must not call back into the stream. The feed may
// be woken from any thread; a wake only schedules a read. The feed, the pool
// and what the source refers to must outlive every stream (the service's
// parts do).

#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/handler_pool.h"
#include "libs/rpc/wake_feed.h"
#include "libs/status/status.h"

namespace hotline::rpc {

// Messages read at once by default.
inline constexpr int kSequenceWatchPage = 100;

// Where a SequenceWatch reads; see the contract above.
template <typename Message>
struct SequenceSource {
  // The messages after sequence `after`, ascending, at most `limit`.
  std::function<absl::StatusOr<std::vector<Message>>(int64_t after, int limit)> after;
  // The greatest sequence recorded (0 when none).
  std::function<absl::StatusOr<int64_t>()> last;
  // A message's sequence.
  std::function<int64_t(const Message&)> sequence;
};

// Where a stream starts: the request's cursor.
struct SequenceStart {
  int64_t after_sequence = 0;  // the last sequence the client received
  bool only_new = false;       // from the last recorded instead
};

template <typename Message>
class SequenceWatch final : public grpc::ServerWriteReactor<Message> {
 public:
  // Starts the stream, or finishes it at once with `allowed` when that is an
  // error (then the source is never called). The reactor deletes itself when
  // done.
  static grpc::ServerWriteReactor<Message>* Start(SequenceSource<Message> source, WakeFeed& feed,
                                                  HandlerPool& handlers, SequenceStart start,
                                                  const absl::Status& allowed,
                                                  int page = kSequenceWatchPage) {
    return new SequenceWatch(std::move(source), feed, handlers, start, allowed, page);
  }

  void OnWriteDone(bool ok) override {
    Step step;
    bool read_more = false;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        cancelled_ = true;
      }
      if (cancelled_) {
        step = FinishLocked(grpc::Status::CANCELLED);
      } else if (pending_finish_.has_value()) {
        step = FinishLocked(*pending_finish_);
      } else {
        step = NextWriteLocked();
        read_more = queue_.empty() && wake_again_;
      }
    }
    // Wake first: once the write has started, it may complete, finish the
    // call and delete this reactor at once; a read scheduled before it keeps
    // the reactor alive (Finish waits for it).
    if (read_more) {
      Wake();
    }
    Take(step);
  }

  void OnCancel() override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      step = FinishLocked(grpc::Status::CANCELLED);
    }
    Take(step);
  }

  void OnDone() override {
    if (link_) {
      // Waits for a wake that is calling this stream, and turns later ones
      // away: the feed may still hold a copy of the link.
      link_->Detach();
      feed_.Remove(feed_id_);
    }
    delete this;
  }

 private:
  // What the feed holds: it outlives the reactor, and then ignores wake-ups.
  class Link {
   public:
    explicit Link(SequenceWatch* watch) : watch_(watch) {}
    void Wake() {
      absl::MutexLock lock(&mu_);
      if (watch_ != nullptr) {
        watch_->Wake();
      }
    }
    void Detach() {
      absl::MutexLock lock(&mu_);
      watch_ = nullptr;
    }

   private:
    absl::Mutex mu_;
    SequenceWatch* watch_ ABSL_GUARDED_BY(mu_);
  };

  struct Step {
    bool write = false;
    std::optional<grpc::Status> finish;
  };

  SequenceWatch(SequenceSource<Message> source, WakeFeed& feed, HandlerPool& handlers,
                SequenceStart start, const absl::Status& allowed, int page)
      : source_(std::move(source)), feed_(feed), handlers_(handlers), page_(page > 0 ? page : 1) {
    absl::Status status = allowed;
    if (status.ok() && start.after_sequence < 0) {
      status = absl::InvalidArgumentError("after_sequence: must not be negative");
    }
    if (!status.ok()) {
      finished_ = true;
      this->Finish(ToGrpcStatus(status));
      return;
    }
    cursor_ = start.after_sequence;
    need_last_ = start.only_new;
    link_ = std::make_shared<Link>(this);
    feed_id_ = feed_.Add([link = link_] { link->Wake(); });
    Wake();
  }

  // Schedules a read unless one runs (then it reads again when done) or the
  // stream still has a page to send.
  void Wake() {
    {
      absl::MutexLock lock(&mu_);
      if (finished_ || cancelled_ || pending_finish_.has_value()) {
        return;
      }
      if (reading_ || queue_.size() >= static_cast<size_t>(page_)) {
        wake_again_ = true;
        return;
      }
      reading_ = true;
      wake_again_ = false;
    }
    if (!handlers_.TrySchedule([this] { Read(); })) {
      Step step;
      {
        absl::MutexLock lock(&mu_);
        reading_ = false;
        step = FinishLocked(ToGrpcStatus(PoolFull(handlers_)));
      }
      Take(step);
    }
  }

  // What a read found: the messages, and the cursor after them.
  struct Page {
    std::vector<Message> messages;
    int64_t cursor = 0;
  };

  // The source's calls, and the check of their contract.
  absl::StatusOr<Page> ReadPage(int64_t after, bool need_last) const {
    if (need_last) {
      HOTLINE_ASSIGN_OR_RETURN(after, source_.last());
    }
    Page page;
    HOTLINE_ASSIGN_OR_RETURN(page.messages, source_.after(after, page_));
    page.cursor = after;
    for (const Message& message : page.messages) {
      const int64_t sequence = source_.sequence(message);
      if (sequence <= page.cursor) {
        return absl::InternalError(absl::StrCat("watch source: sequence ", sequence, " read after ",
                                                page.cursor, ", out of order"));
      }
      page.cursor = sequence;
    }
    return page;
  }

  // On the handler pool: one page after the cursor.
  void Read() {
    int64_t after = 0;
    bool need_last = false;
    {
      absl::MutexLock lock(&mu_);
      after = cursor_;
      need_last = need_last_;
    }
    absl::StatusOr<Page> page =
        CatchExceptions("watch source", [&] { return ReadPage(after, need_last); });
    Step step;
    bool again = false;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (page.ok()) {
        need_last_ = false;
        cursor_ = page->cursor;
        for (Message& message : page->messages) {
          queue_.push_back(std::move(message));
        }
      }
      if (cancelled_) {
        step = FinishLocked(grpc::Status::CANCELLED);
      } else if (!page.ok()) {
        step = FinishLocked(ToGrpcStatus(page.status()));
      } else if (pending_finish_.has_value()) {
        step = FinishLocked(*pending_finish_);
      } else {
        step = NextWriteLocked();
        again = wake_again_ || page->messages.size() >= static_cast<size_t>(page_);
      }
    }
    if (again) {
      Wake();  // before the write, as in OnWriteDone
    }
    Take(step);
  }

  Step NextWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step;
    if (!writing_ && !queue_.empty() && !finished_) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      step.write = true;
    }
    return step;
  }

  // Finishes now when nothing is in flight; otherwise when the last of the
  // read and the write completes.
  Step FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step;
    if (finished_) {
      return step;
    }
    if (reading_ || writing_) {
      if (!pending_finish_.has_value()) {
        pending_finish_ = status;
      }
      return step;
    }
    finished_ = true;
    step.finish = status;
    return step;
  }

  // current_ is only touched by the one write in flight (writing_).
  void Take(const Step& step) {
    if (step.write) {
      this->StartWrite(&current_);
    }
    if (step.finish.has_value()) {
      this->Finish(*step.finish);
    }
  }

  const SequenceSource<Message> source_;
  WakeFeed& feed_;
  HandlerPool& handlers_;
  const int page_;
  std::shared_ptr<Link> link_;
  int feed_id_ = 0;

  absl::Mutex mu_;
  int64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  bool need_last_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_again_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> pending_finish_ ABSL_GUARDED_BY(mu_);
  std::deque<Message> queue_ ABSL_GUARDED_BY(mu_);
  Message current_;
};

}  // namespace hotline::rpc
