#pragma once

// The branches of a storm and their branch systems: each holds a PullOrders
// stream open (opening it again, from its last cursor, whenever it ends),
// acknowledges every order delivered, and has a crew work through some of
// them to COMPLETED. What each system saw succeed is kept, so a test can
// check that nothing it was told had happened was lost afterwards.

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "tests/e2e/dispatch_e2e_helpers.h"
#include "tests/fixtures/backend.h"

namespace hotline::testing::storm {

namespace dv1 = hotline::dispatch::v1;

inline constexpr char kStormProvince[] = "Storm Province";
inline constexpr char kStormCity[] = "Storm City";

struct StormBranch {
  std::string branch_id;
  std::string county;
  std::string token_role;  // Backend::Token(token_role) is its branch system's
};

inline const std::vector<StormBranch>& StormBranches() {
  static const std::vector<StormBranch> kBranches = {
      {"BR-1", "North County", "branch"},
      {"BR-2", "East County", "branch:BR-2"},
      {"BR-3", "West County", "branch:BR-3"},
  };
  return kBranches;
}

// The branch that owns repair number `n` of the storm.
inline const StormBranch& BranchOfRepair(int n) {
  return StormBranches()[static_cast<size_t>(n) % StormBranches().size()];
}

// A repair crew covering its county, saved through dispatch as an admin.
inline grpc::Status RegisterStormBranch(const Backend& backend, const StormBranch& branch) {
  dv1::Branch b;
  b.set_branch_id(branch.branch_id);
  b.set_name(branch.county + " repair crew");
  b.set_kind("repair_crew");
  b.set_duty_phone("0578-6210100");
  b.set_area_class(common::v1::AREA_CLASS_RURAL);
  b.add_ticket_types(common::v1::TICKET_TYPE_REPAIR);
  b.add_fault_scopes("public_network");
  dv1::TerritoryEntry* t = b.add_territory();
  t->set_level(dv1::TERRITORY_LEVEL_COUNTY);
  t->set_value(absl::StrCat(kStormProvince, "/", kStormCity, "/", branch.county));
  auto stub = dv1::Dispatch::NewStub(backend.Channel("dispatch"));
  auto context = dispatch_e2e::Call(backend.Token("admin"));
  dv1::Branch saved;
  return stub->UpsertBranch(context.get(), b, &saved);
}

// One branch's system. `complete(ticket_id)` says which orders its crew
// takes through CREW_ASSIGNED, DEPARTED, ARRIVED and COMPLETED.
class BranchSystem {
 public:
  BranchSystem(const Backend& backend, StormBranch branch,
               std::function<bool(const std::string&)> complete)
      : branch_(std::move(branch)),
        token_(backend.Token(branch_.token_role)),
        complete_(std::move(complete)),
        orders_(dv1::BranchOrders::NewStub(backend.Channel("dispatch"))) {
    puller_ = std::thread([this] { Pull(); });
    crew_ = std::thread([this] { Work(); });
  }
  ~BranchSystem() { Stop(); }

  void Stop() {
    stop_ = true;
    {
      absl::MutexLock lock(&mu_);
      if (stream_ != nullptr) {
        stream_->TryCancel();
      }
    }
    if (puller_.joinable()) {
      puller_.join();
    }
    if (crew_.joinable()) {
      crew_.join();
    }
  }

  const StormBranch& branch() const { return branch_; }
  // Order id -> ticket id of every order delivered on this branch's streams.
  std::map<std::string, std::string> Delivered() {
    absl::MutexLock lock(&mu_);
    return delivered_;
  }
  // Orders whose AckOrder answered OK.
  std::set<std::string> Acknowledged() {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }
  // Orders whose COMPLETED report answered OK.
  std::set<std::string> Completed() {
    absl::MutexLock lock(&mu_);
    return completed_;
  }
  // Orders the crew has still to finish.
  size_t CrewBacklog() {
    absl::MutexLock lock(&mu_);
    return crew_queue_.size() + (crew_busy_ ? 1 : 0);
  }
  int Reconnects() const { return reconnects_; }

 private:
  void Pull() {
    std::string cursor;
    while (!stop_) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + token_);
      {
        absl::MutexLock lock(&mu_);
        stream_ = &context;
      }
      dv1::PullOrdersRequest request;
      request.set_cursor(cursor);
      request.set_max_outstanding(50);
      auto reader = orders_->PullOrders(&context, request);
      dv1::PullOrdersResponse message;
      while (!stop_ && reader->Read(&message)) {
        cursor = message.cursor();
        const dv1::Order& order = message.delivery().order();
        {
          absl::MutexLock lock(&mu_);
          delivered_[order.order_id()] = order.ticket_id();
        }
        Acknowledge(message.delivery());
      }
      context.TryCancel();
      (void)reader->Finish();
      {
        absl::MutexLock lock(&mu_);
        stream_ = nullptr;
      }
      if (!stop_) {
        ++reconnects_;
        absl::SleepFor(absl::Milliseconds(200));
      }
    }
  }

  // An order that is already accepted (an earlier answer lost on the way)
  // is not acknowledged again: its next delivery, if any, is just noted.
  void Acknowledge(const dv1::Delivery& delivery) {
    dv1::AckOrderRequest ack;
    ack.set_order_id(delivery.order().order_id());
    ack.set_delivery_id(delivery.delivery_id());
    dv1::AckOrderResponse response;
    auto context = dispatch_e2e::Call(token_, absl::Seconds(3));
    if (!orders_->AckOrder(context.get(), ack, &response).ok()) {
      return;  // delivered again when the lease runs out
    }
    absl::MutexLock lock(&mu_);
    const bool first = acknowledged_.insert(ack.order_id()).second;
    if (first && complete_(delivery.order().ticket_id())) {
      crew_queue_.push_back(ack.order_id());
    }
  }

  void Work() {
    while (true) {
      std::string order_id;
      {
        absl::MutexLock lock(&mu_);
        mu_.AwaitWithTimeout(absl::Condition(
                                 +[](BranchSystem* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
                                   return !s->crew_queue_.empty() || s->stop_;
                                 },
                                 this),
                             absl::Milliseconds(200));
        if (stop_) {
          return;
        }
        if (crew_queue_.empty()) {
          continue;
        }
        order_id = crew_queue_.front();
        crew_queue_.pop_front();
        crew_busy_ = true;
      }
      const bool done = Finish(order_id);
      absl::MutexLock lock(&mu_);
      crew_busy_ = false;
      if (done) {
        completed_.insert(order_id);
      }
    }
  }

  // Reports the steps of a repair; true when COMPLETED answered OK. A step
  // refused as already reported was done by an attempt whose answer was lost.
  bool Finish(const std::string& order_id) {
    const auto step = [&](dv1::ProgressStep s) {
      dv1::ReportProgressRequest r;
      r.set_order_id(order_id);
      r.set_step(s);
      return r;
    };
    dv1::ReportProgressRequest crew = step(dv1::PROGRESS_STEP_CREW_ASSIGNED);
    crew.set_crew_lead("Wang Wu");
    crew.set_crew_phone("13900000000");
    std::vector<dv1::ReportProgressRequest> steps = {crew, step(dv1::PROGRESS_STEP_DEPARTED),
                                                     step(dv1::PROGRESS_STEP_ARRIVED),
                                                     step(dv1::PROGRESS_STEP_COMPLETED)};
    bool completed_ok = false;
    for (dv1::ReportProgressRequest& r : steps) {
      const absl::Time end = absl::Now() + absl::Seconds(60);
      while (!stop_ && absl::Now() < end) {
        if (r.step() != dv1::PROGRESS_STEP_CREW_ASSIGNED) {
          *r.mutable_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
              absl::ToUnixMicros(absl::Now()));
        }
        dv1::ReportProgressResponse response;
        auto context = dispatch_e2e::Call(token_, absl::Seconds(3));
        grpc::Status status = orders_->ReportProgress(context.get(), r, &response);
        if (status.ok()) {
          completed_ok = r.step() == dv1::PROGRESS_STEP_COMPLETED;
          break;
        }
        if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
            absl::StrContains(status.error_message(), "already")) {
          break;
        }
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
    return completed_ok;
  }

  const StormBranch branch_;
  const std::string token_;
  const std::function<bool(const std::string&)> complete_;
  std::unique_ptr<dv1::BranchOrders::Stub> orders_;
  std::atomic<bool> stop_{false};
  std::atomic<int> reconnects_{0};
  std::thread puller_;
  std::thread crew_;
  absl::Mutex mu_;
  grpc::ClientContext* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::map<std::string, std::string> delivered_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> completed_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> crew_queue_ ABSL_GUARDED_BY(mu_);
  bool crew_busy_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace hotline::testing::storm
