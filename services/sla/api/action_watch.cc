#include "services/sla/api/action_watch.h"

#include <deque>
#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libs/rpc/answer.h"
#include "libs/status/status.h"

namespace hotline::sla {
namespace {

// Actions read at once; the next read waits until the stream has sent them.
constexpr size_t kPage = 100;

class ActionWatch final : public grpc::ServerWriteReactor<v1::SlaAction> {
 public:
  ActionWatch(ActionSource source, ActionFeed& feed, rpc::HandlerPool& handlers,
              const v1::WatchEventsRequest& request, const absl::Status& allowed)
      : source_(std::move(source)), feed_(feed), handlers_(handlers), unit_(request.unit()) {
    if (!allowed.ok()) {
      finished_ = true;
      Finish(ToGrpcStatus(allowed));
      return;
    }
    cursor_ = request.after_sequence();
    need_last_ = request.only_new();
    link_ = std::make_shared<Link>(this);
    feed_id_ = feed_.Add([link = link_] { link->Wake(); });
    Wake();
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
      link_->Detach();
      feed_.Remove(feed_id_);
    }
    delete this;
  }

 private:
  // What the feed holds: it outlives the reactor, and then ignores wake-ups.
  class Link {
   public:
    explicit Link(ActionWatch* watch) : watch_(watch) {}
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
    ActionWatch* watch_ ABSL_GUARDED_BY(mu_);
  };

  struct Step {
    bool write = false;
    std::optional<grpc::Status> finish;
  };

  // Schedules a read unless one runs (then it reads again when done) or the
  // stream still has a page to send.
  void Wake() {
    {
      absl::MutexLock lock(&mu_);
      if (finished_ || cancelled_ || pending_finish_.has_value()) {
        return;
      }
      if (reading_ || queue_.size() >= kPage) {
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
        step = FinishLocked(ToGrpcStatus(rpc::PoolFull(handlers_)));
      }
      Take(step);
    }
  }

  void Read() {
    int64_t after = 0;
    bool need_last = false;
    {
      absl::MutexLock lock(&mu_);
      after = cursor_;
      need_last = need_last_;
    }
    absl::Status error;
    std::vector<v1::SlaAction> got;
    if (need_last) {
      absl::StatusOr<int64_t> last = source_.last();
      if (last.ok()) {
        after = *last;
      } else {
        error = last.status();
      }
    }
    if (error.ok()) {
      absl::StatusOr<std::vector<v1::SlaAction>> read = source_.after(after, unit_);
      if (read.ok()) {
        got = std::move(*read);
      } else {
        error = read.status();
      }
    }
    Step step;
    bool again = false;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (error.ok()) {
        need_last_ = false;
        cursor_ = after;
        for (v1::SlaAction& action : got) {
          cursor_ = action.sequence();
          queue_.push_back(std::move(action));
        }
      }
      if (cancelled_) {
        step = FinishLocked(grpc::Status::CANCELLED);
      } else if (!error.ok()) {
        step = FinishLocked(ToGrpcStatus(error));
      } else if (pending_finish_.has_value()) {
        step = FinishLocked(*pending_finish_);
      } else {
        step = NextWriteLocked();
        again = wake_again_ || got.size() == kPage;
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
      StartWrite(&current_);
    }
    if (step.finish.has_value()) {
      Finish(*step.finish);
    }
  }

  const ActionSource source_;
  ActionFeed& feed_;
  rpc::HandlerPool& handlers_;
  const std::string unit_;
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
  std::deque<v1::SlaAction> queue_ ABSL_GUARDED_BY(mu_);
  v1::SlaAction current_;
};

}  // namespace

grpc::ServerWriteReactor<v1::SlaAction>* StartActionWatch(ActionSource source, ActionFeed& feed,
                                                          rpc::HandlerPool& handlers,
                                                          const v1::WatchEventsRequest& request,
                                                          const absl::Status& allowed) {
  return new ActionWatch(std::move(source), feed, handlers, request, allowed);
}

}  // namespace hotline::sla
