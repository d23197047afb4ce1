#include "services/dispatch/api/pull_sessions.h"

#include <deque>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/dispatch/api/proto_convert.h"

namespace hotline::dispatch {
namespace {

using Writer = grpc::ServerWriteReactor<v1::PullOrdersResponse>;

// How a stream ends when the service stops: UNAVAILABLE, which branch systems
// treat as "reconnect"; deliveries not yet acknowledged come again on the
// resumed stream.
grpc::Status Stopping() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "dispatch is stopping: reconnect and resume with your last cursor");
}

class StreamSession final : public PullSession {
 public:
  StreamSession(PullHub& hub, std::string branch_id, PullCursor cursor, bool resume,
                int max_outstanding)
      : PullSession(std::move(branch_id), std::move(cursor), resume, max_outstanding, std::nullopt),
        hub_(hub) {}

  void Attach(Writer* reactor) { reactor_ = reactor; }

  bool Closed() override {
    absl::MutexLock lock(&mu_);
    return finished_ || cancelled_;
  }

  bool Busy() override {
    absl::MutexLock lock(&mu_);
    return writing_;
  }

  void Deliver(std::vector<Delivery> deliveries, const std::string& cursor) override {
    const v1::PullOrdersResponse* next = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (finished_ || cancelled_) {
        return;  // the leases run out and the orders go to another puller
      }
      for (const Delivery& d : deliveries) {
        v1::PullOrdersResponse& message = backlog_.emplace_back();
        *message.mutable_delivery() = DeliveryToProto(d);
        message.set_cursor(cursor);
      }
      if (writing_ || backlog_.empty()) {
        return;
      }
      writing_ = true;
      next = &backlog_.front();
    }
    reactor_->StartWrite(next);
  }

  void Expire(const std::string&) override {}

  void End(const std::string&) override {
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      ending_ = true;
      if (!writing_ && !finished_) {
        finished_ = true;
        finish = true;
      }
    }
    if (finish) {
      reactor_->Finish(Stopping());
    }
  }

  void WriteDone(bool ok) {
    const v1::PullOrdersResponse* next = nullptr;
    bool finish = false;
    bool idle = false;
    bool ending_now = false;
    {
      absl::MutexLock lock(&mu_);
      ending_now = ending_ && ok && !cancelled_;
      backlog_.pop_front();
      if (!ok || cancelled_ || ending_) {
        writing_ = false;
        finish = !finished_;
        finished_ = true;
      } else if (!backlog_.empty()) {
        next = &backlog_.front();
      } else {
        writing_ = false;
        idle = true;
      }
    }
    if (finish) {
      reactor_->Finish(ending_now ? Stopping()
                                  : grpc::Status(grpc::StatusCode::CANCELLED, "the stream ended"));
    } else if (next != nullptr) {
      reactor_->StartWrite(next);
    } else if (idle) {
      hub_.Wake(branch_id());  // ready for more
    }
  }

  void Cancelled() {
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      if (!writing_ && !finished_) {
        finished_ = true;
        finish = true;
      }
    }
    if (finish) {
      reactor_->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream ended"));
    }
  }

 private:
  PullHub& hub_;
  // Valid until finished_ is set and no write is pending (then gRPC may
  // delete it); StartWrite and Finish are called outside mu_.
  Writer* reactor_ = nullptr;
  absl::Mutex mu_;
  std::deque<v1::PullOrdersResponse> backlog_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;  // the service is stopping
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class StreamReactor final : public Writer {
 public:
  explicit StreamReactor(std::shared_ptr<StreamSession> session) : session_(std::move(session)) {}
  void OnWriteDone(bool ok) override { session_->WriteDone(ok); }
  void OnCancel() override { session_->Cancelled(); }
  void OnDone() override { delete this; }

 private:
  std::shared_ptr<StreamSession> session_;
};

class PollSession final : public PullSession {
 public:
  PollSession(std::string branch_id, PullCursor cursor, bool resume, int max_orders,
              absl::Time deadline, v1::PollOrdersResponse* response)
      : PullSession(std::move(branch_id), std::move(cursor), resume, max_orders, deadline),
        response_(response) {}

  void Attach(grpc::ServerUnaryReactor* reactor) { reactor_ = reactor; }

  bool Closed() override {
    absl::MutexLock lock(&mu_);
    return finished_;
  }
  bool Busy() override { return false; }

  void Deliver(std::vector<Delivery> deliveries, const std::string& cursor) override {
    {
      absl::MutexLock lock(&mu_);
      if (finished_) {
        return;  // a cursor-resumed poll gets these again
      }
      finished_ = true;
      for (const Delivery& d : deliveries) {
        *response_->add_deliveries() = DeliveryToProto(d);
      }
      response_->set_cursor(cursor);
    }
    reactor_->Finish(grpc::Status::OK);
  }

  void Expire(const std::string& cursor) override { Deliver({}, cursor); }
  void End(const std::string& cursor) override { Deliver({}, cursor); }

  void Cancelled() {
    {
      absl::MutexLock lock(&mu_);
      if (finished_) {
        return;
      }
      finished_ = true;
    }
    reactor_->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the poll was cancelled"));
  }

 private:
  v1::PollOrdersResponse* response_;
  grpc::ServerUnaryReactor* reactor_ = nullptr;
  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class PollReactor final : public grpc::ServerUnaryReactor {
 public:
  explicit PollReactor(std::shared_ptr<PollSession> session) : session_(std::move(session)) {}
  void OnCancel() override { session_->Cancelled(); }
  void OnDone() override { delete this; }

 private:
  std::shared_ptr<PollSession> session_;
};

}  // namespace

grpc::ServerWriteReactor<v1::PullOrdersResponse>* StartPullStream(PullHub& hub,
                                                                  std::string branch_id,
                                                                  PullCursor cursor, bool resume,
                                                                  int max_outstanding) {
  auto session = std::make_shared<StreamSession>(hub, std::move(branch_id), std::move(cursor),
                                                 resume, max_outstanding);
  auto* reactor = new StreamReactor(session);
  session->Attach(reactor);
  hub.Add(session);
  return reactor;
}

grpc::ServerUnaryReactor* StartPollCall(PullHub& hub, std::string branch_id, PullCursor cursor,
                                        bool resume, int max_orders, absl::Time deadline,
                                        v1::PollOrdersResponse* response) {
  auto session = std::make_shared<PollSession>(std::move(branch_id), std::move(cursor), resume,
                                               max_orders, deadline, response);
  auto* reactor = new PollReactor(session);
  session->Attach(reactor);
  hub.Add(session);
  return reactor;
}

}  // namespace hotline::dispatch
