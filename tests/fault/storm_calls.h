#pragma once

// The telephony side of a storm: calls offered to the repair queue, queued
// and abandoned, each event sent to intake's RecordCallEvent with the
// service token and retried under its own event id until it answers OK.
// The ids of the events it answered OK for are kept.

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "tests/e2e/dispatch_e2e_helpers.h"
#include "tests/fixtures/backend.h"

namespace hotline::testing::storm {

class StormCalls {
 public:
  StormCalls(const Backend& backend, absl::Duration pace) : backend_(backend), pace_(pace) {
    thread_ = std::thread([this] { Run(); });
  }
  ~StormCalls() { Finish(); }

  void Finish() {
    finish_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  // Event ids intake answered OK for.
  std::set<std::string> Recorded() {
    absl::MutexLock lock(&mu_);
    return recorded_;
  }
  int Calls() const { return calls_; }

 private:
  void Run() {
    auto stub = intake::v1::CallCenter::NewStub(backend_.Channel("intake"));
    for (int n = 0; !finish_; ++n) {
      const std::string call_id = absl::StrCat("storm-call-", n);
      const absl::Time offered_at = absl::Now() - absl::Minutes(1);
      intake::v1::CallEvent offered = Event(call_id, "offered", offered_at);
      offered.mutable_offered()->set_route(intake::v1::CALL_ROUTE_AGENT);
      offered.mutable_offered()->set_channel(common::v1::CHANNEL_PHONE);
      intake::v1::CallEvent queued = Event(call_id, "queued", offered_at + absl::Seconds(5));
      queued.mutable_queued();
      intake::v1::CallEvent abandoned = Event(call_id, "abandoned", offered_at + absl::Seconds(35));
      abandoned.mutable_abandoned()->set_stage(intake::v1::ABANDON_STAGE_QUEUED);
      abandoned.mutable_abandoned()->set_wait_seconds(30);
      for (const intake::v1::CallEvent& e : {offered, queued, abandoned}) {
        Send(*stub, e);
      }
      ++calls_;
      absl::SleepFor(pace_);
    }
  }

  static intake::v1::CallEvent Event(const std::string& call_id, const std::string& kind,
                                     absl::Time at) {
    intake::v1::CallEvent e;
    e.set_event_id(absl::StrCat(call_id, ".", kind));
    e.set_call_id(call_id);
    e.set_queue("repair");
    *e.mutable_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
    return e;
  }

  void Send(intake::v1::CallCenter::Stub& stub, const intake::v1::CallEvent& event) {
    const absl::Time end = absl::Now() + absl::Seconds(90);
    while (absl::Now() < end) {
      intake::v1::RecordCallEventResponse response;
      auto context = dispatch_e2e::Call(backend_.Token("service"), absl::Seconds(3));
      if (stub.RecordCallEvent(context.get(), event, &response).ok()) {
        absl::MutexLock lock(&mu_);
        recorded_.insert(event.event_id());
        return;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  const Backend& backend_;
  const absl::Duration pace_;
  std::atomic<bool> finish_{false};
  std::atomic<int> calls_{0};
  std::thread thread_;
  absl::Mutex mu_;
  std::set<std::string> recorded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::testing::storm
