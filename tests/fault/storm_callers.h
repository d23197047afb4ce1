#pragma once

// The callers of a storm: agents creating repair tickets, each with its own
// idempotency key, retried with the same key after any failure (a service
// killed, PostgreSQL restarting, a deadline passed) until intake accepts it
// or a bound passes. What each caller saw is kept: the key, and the ticket id
// of the one answer that said OK.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "tests/e2e/dispatch_e2e_helpers.h"
#include "tests/fault/storm_branches.h"

namespace hotline::testing::storm {

namespace iv1 = hotline::intake::v1;

// Repair number `n`: a "no power" call at a house, feeder and transformer
// area of its own (so no two are merged as urgings or grouped as one fault),
// in the county of branch StormBranches()[n % 3].
inline iv1::CreateTicketRequest StormRepair(int n) {
  iv1::CreateTicketRequest r;
  r.set_idempotency_key(absl::StrCat("storm-", n));
  r.set_type(common::v1::TICKET_TYPE_REPAIR);
  r.set_channel(common::v1::CHANNEL_PHONE);
  r.mutable_customer()->set_name("Zhang Wei");
  r.mutable_customer()->set_phone("13912345678");
  common::v1::Address& a = *r.mutable_address();
  a.set_province(kStormProvince);
  a.set_city(kStormCity);
  a.set_county(BranchOfRepair(n).county);
  a.set_township("Storm Town");
  a.set_village_or_community("Storm Village");
  a.set_street(absl::StrCat(n, " Gale Road"));
  a.set_feeder(absl::StrCat("F-STORM-", n));
  a.set_transformer_area(absl::StrCat("TA-STORM-", n));
  a.set_area_class(common::v1::AREA_CLASS_RURAL);
  r.set_description("no power since the storm");
  iv1::RepairDetails& repair = *r.mutable_details()->mutable_repair();
  repair.set_symptom(iv1::REPAIR_SYMPTOM_NO_POWER);
  repair.set_extent(iv1::FAULT_EXTENT_BUILDING);
  repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
  *repair.mutable_fault_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::Now() - absl::Minutes(10)));
  repair.set_fault_category(iv1::FAULT_CATEGORY_OTHER);
  repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  return r;
}

// What a caller saw for one repair.
struct CallerOutcome {
  int n = 0;
  bool accepted = false;  // an answer said OK
  std::string ticket_id;  // from that answer
  iv1::CreateOutcome outcome = iv1::CREATE_OUTCOME_UNSPECIFIED;
  int attempts = 0;
};

// `threads` agents creating repairs 0, 1, 2 ... one after another (pausing
// `pace` between repairs) until Finish(). Each attempt has `attempt_deadline`;
// a repair is given up after `give_up`.
class StormCallers {
 public:
  StormCallers(const Backend& backend, int threads, absl::Duration pace,
               absl::Duration attempt_deadline = absl::Seconds(3),
               absl::Duration give_up = absl::Seconds(90))
      : backend_(backend), pace_(pace), attempt_deadline_(attempt_deadline), give_up_(give_up) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Run(); });
    }
  }
  ~StormCallers() { Finish(); }

  // Stops taking new repairs and waits for those under way to end.
  void Finish() {
    finish_ = true;
    for (std::thread& t : threads_) {
      if (t.joinable()) {
        t.join();
      }
    }
  }

  int AcceptedSoFar() const { return accepted_; }

  std::vector<CallerOutcome> Outcomes() {
    absl::MutexLock lock(&mu_);
    std::vector<CallerOutcome> out;
    for (const auto& [n, outcome] : outcomes_) {
      out.push_back(outcome);
    }
    return out;
  }

 private:
  void Run() {
    auto stub = iv1::TicketIntake::NewStub(backend_.Channel("intake"));
    while (!finish_) {
      CallerOutcome outcome;
      outcome.n = next_++;
      const iv1::CreateTicketRequest request = StormRepair(outcome.n);
      const absl::Time end = absl::Now() + give_up_;
      while (absl::Now() < end) {
        ++outcome.attempts;
        iv1::CreateTicketResponse response;
        auto context = dispatch_e2e::Call(backend_.Token("agent"), attempt_deadline_);
        if (stub->CreateTicket(context.get(), request, &response).ok()) {
          outcome.accepted = true;
          outcome.ticket_id = response.ticket().ticket_id();
          outcome.outcome = response.outcome();
          ++accepted_;
          break;
        }
        absl::SleepFor(absl::Milliseconds(100));
      }
      {
        absl::MutexLock lock(&mu_);
        outcomes_[outcome.n] = outcome;
      }
      absl::SleepFor(pace_);
    }
  }

  const Backend& backend_;
  const absl::Duration pace_;
  const absl::Duration attempt_deadline_;
  const absl::Duration give_up_;
  std::atomic<bool> finish_{false};
  std::atomic<int> next_{0};
  std::atomic<int> accepted_{0};
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  std::map<int, CallerOutcome> outcomes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::testing::storm
