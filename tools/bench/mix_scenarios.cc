// steady and storm: the calls of a hotline day in the mix of the 2004 county
// year (shared domain.md, "Call handling figures"), scaled to a call rate.
// Of 455,739 calls: 15.9% the automatic voice line (46.3% of those outage
// notice queries), 82.3% answered by an agent, 1.8% abandoned. Of the agent
// calls: queries 29%, consultations 21%, repairs 11.2%, applications 0.3%,
// complaints and reports 0.4%, theft reports 0.3%, other 37.2% (no ticket).
// Every call's events go to intake's call centre; an agent call makes its
// ticket; a repair call and a voice-line outage query check the address.
//
// storm: calls at --storm-factor times the rate, half the agent calls
// repairs, and 70% of the repairs from five transformer areas (whole areas
// without power), so intake meets repeats of open repairs.

#include <atomic>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "hotline/outage/v1/outage.grpc.pb.h"
#include "tools/bench/event_stream.h"
#include "tools/bench/pacer.h"
#include "tools/bench/requests.h"
#include "tools/bench/scenario.h"

namespace hotline::bench {
namespace {

namespace iv1 = hotline::intake::v1;
namespace ov1 = hotline::outage::v1;

struct Mix {
  double calls_per_second = 0;
  double repair_share = 0.112;  // of the agent calls
  double hot_area_share = 0;    // of the repairs: in the five hot transformer areas
};

// The other agent calls' kinds and their shares (domain.md), without repairs.
struct KindShare {
  TicketKind kind;
  double percent;
  bool makes_ticket;
};
const std::vector<KindShare>& OtherKinds() {
  static const std::vector<KindShare> kinds = {
      {TicketKind::kQuery, 29, true},        {TicketKind::kConsultation, 21, true},
      {TicketKind::kApplication, 0.3, true}, {TicketKind::kComplaint, 0.2, true},
      {TicketKind::kReport, 0.2, true},      {TicketKind::kTheftReport, 0.3, true},
      {TicketKind::kQuery, 37.2, false},  // other: answered, no ticket
  };
  return kinds;
}

// Call events gathered from the calls and sent every 100 ms as one stream.
class EventFeed {
 public:
  EventFeed(BenchContext& bench, std::string token)
      : bench_(bench), token_(std::move(token)), stubs_(StubsOf<iv1::CallCenter>(bench.intake)) {}

  void Add(std::vector<iv1::CallEvent> events) {
    absl::MutexLock lock(&mu_);
    for (auto& e : events) {
      pending_.push_back(std::move(e));
    }
  }

  // Sends what is pending every 100 ms until `stop`, then the rest; waits
  // for the streams to end.
  void Run(absl::Notification& stop) {
    while (!stop.WaitForNotificationWithTimeout(absl::Milliseconds(100))) {
      Flush();
    }
    Flush();
    absl::MutexLock lock(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ == 0; };
    mu_.AwaitWithTimeout(absl::Condition(&idle), bench_.options.timeout + absl::Seconds(1));
  }

  RpcStats streams{"StreamCallEvents"};
  RpcStats stored{"call events stored", /*has_latency=*/false};

 private:
  void Flush() {
    std::vector<iv1::CallEvent> events;
    {
      absl::MutexLock lock(&mu_);
      events.swap(pending_);
      if (events.empty()) {
        return;
      }
      ++running_;
    }
    std::vector<iv1::CallEventBatch> batches;
    for (size_t i = 0; i < events.size(); ++i) {
      if (i % static_cast<size_t>(bench_.options.batch) == 0) {
        batches.emplace_back();
      }
      *batches.back().add_events() = std::move(events[i]);
    }
    const int64_t sent = static_cast<int64_t>(events.size());
    const absl::Time start = absl::Now();
    EventStream::Start(
        *stubs_[static_cast<size_t>(bench_.NextNumber()) % stubs_.size()], token_,
        bench_.options.timeout, std::move(batches),
        [this, start, sent](const grpc::Status& s, const iv1::StreamCallEventsResponse& r) {
          streams.Record(s, absl::Now() - start);
          if (s.ok()) {
            stored.AddItems(r.recorded());
            for (int64_t i = r.recorded(); i < sent; ++i) {
              stored.RecordError("NOT_RECORDED");
            }
          }
          absl::MutexLock lock(&mu_);
          --running_;
        });
  }

  BenchContext& bench_;
  const std::string token_;
  std::vector<std::unique_ptr<iv1::CallCenter::Stub>> stubs_;
  absl::Mutex mu_;
  std::vector<iv1::CallEvent> pending_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;
};

absl::StatusOr<ScenarioResult> RunMix(BenchContext& bench, const ScenarioRun& run, const Mix& mix) {
  const Options& o = bench.options;
  absl::StatusOr<std::string> agent = bench.Token("agent");
  absl::StatusOr<std::string> service = bench.Token("service");
  if (!agent.ok() || !service.ok()) {
    return agent.ok() ? service.status() : agent.status();
  }
  RpcStats calls("calls (the mix)");
  RpcStats creates("CreateTicket");
  RpcStats checks("CheckAddress");
  EventFeed feed(bench, *service);
  absl::Notification stop_feed;
  std::thread feeder([&] { feed.Run(stop_feed); });
  auto intake_stubs = StubsOf<iv1::TicketIntake>(bench.intake);
  auto outage_stubs = StubsOf<ov1::OutageNotices>(bench.outage);
  absl::BitGen random;
  Pace pace;
  pace.rate = run.rate > 0 ? run.rate : mix.calls_per_second;
  pace.in_flight = o.in_flight;
  pace.duration = o.duration;
  pace.drain = o.timeout + absl::Seconds(1);
  Pacer pacer(pace);
  const auto& places = DemoPlaces();

  ScenarioResult result;
  result.label = run.label();
  result.elapsed = pacer.Run([&](absl::Time due) {
    const int64_t n = bench.NextNumber();
    const std::string call_id = absl::StrCat(o.run_id, "-mix-", n);
    const double end_pick = absl::Uniform(random, 0.0, 100.0);
    const CallEnd end = end_pick < 15.9
                            ? CallEnd::kVoiceLine
                            : (end_pick < 98.2 ? CallEnd::kAnswered : CallEnd::kAbandoned);
    std::vector<iv1::CallEvent> events;
    AppendCallEvents(call_id, end, absl::Now(), events);
    feed.Add(std::move(events));

    // What the call asks of the services.
    bool check = false, ticket = false;
    TicketKind kind = TicketKind::kQuery;
    if (end == CallEnd::kVoiceLine) {
      check = absl::Bernoulli(random, 0.463);
    } else if (end == CallEnd::kAnswered) {
      if (absl::Bernoulli(random, mix.repair_share)) {
        kind = TicketKind::kRepair;
        ticket = check = true;
      } else {
        double pick = absl::Uniform(random, 0.0, 88.2);
        for (const KindShare& k : OtherKinds()) {
          if (pick < k.percent) {
            kind = k.kind;
            ticket = k.makes_ticket;
            break;
          }
          pick -= k.percent;
        }
      }
    }
    const bool hot = kind == TicketKind::kRepair && absl::Bernoulli(random, mix.hot_area_share);
    const DemoPlace& place = hot ? places[static_cast<size_t>(n) % 5]
                                 : places[absl::Uniform<size_t>(random, 0, places.size())];
    // The call's unit of work ends when its calls have.
    auto left = std::make_shared<std::atomic<int>>(1 + (check ? 1 : 0) + (ticket ? 1 : 0));
    auto one_done = [&, left, due] {
      if (left->fetch_sub(1) == 1) {
        calls.RecordOk(absl::Now() - due);
        pacer.Done();
      }
    };
    if (check) {
      auto* stub = outage_stubs[static_cast<size_t>(n) % outage_stubs.size()].get();
      CallUnary<ov1::CheckAddressRequest, ov1::CheckAddressResponse>(
          CheckOf(place, n), *agent, o.timeout, due,
          [stub](grpc::ClientContext* c, const ov1::CheckAddressRequest* q,
                 ov1::CheckAddressResponse* r, std::function<void(grpc::Status)> f) {
            stub->async()->CheckAddress(c, q, r, std::move(f));
          },
          [&, one_done](const grpc::Status& s, const ov1::CheckAddressResponse&,
                        absl::Duration took) {
            checks.Record(s, took);
            one_done();
          });
    }
    if (ticket) {
      iv1::CreateTicketRequest request =
          TicketOfKind(kind, absl::StrCat(call_id, "-ticket"), n, random, absl::Now());
      if (hot) {
        // A whole area without power: the transformer area is known.
        *request.mutable_address() = AddressOf(place, true);
        request.mutable_address()->set_street(absl::StrCat(n, " Bench Road"));
        request.mutable_details()->mutable_repair()->set_extent(iv1::FAULT_EXTENT_AREA);
      }
      auto* stub = intake_stubs[static_cast<size_t>(n) % intake_stubs.size()].get();
      CallUnary<iv1::CreateTicketRequest, iv1::CreateTicketResponse>(
          std::move(request), *agent, o.timeout, due,
          [stub](grpc::ClientContext* c, const iv1::CreateTicketRequest* q,
                 iv1::CreateTicketResponse* r, std::function<void(grpc::Status)> f) {
            stub->async()->CreateTicket(c, q, r, std::move(f));
          },
          [&, one_done](const grpc::Status& s, const iv1::CreateTicketResponse&,
                        absl::Duration took) {
            creates.Record(s, took);
            one_done();
          });
    }
    one_done();
  });
  stop_feed.Notify();
  feeder.join();
  for (RpcStats* stats : {&calls, &creates, &checks, &feed.streams, &feed.stored}) {
    result.rows.push_back(stats->Summarize(result.elapsed));
  }
  result.note = absl::StrCat("target ", pace.rate, " calls/s");
  return result;
}

}  // namespace

absl::StatusOr<ScenarioResult> RunSteady(BenchContext& bench, const ScenarioRun& run) {
  Mix mix;
  mix.calls_per_second = bench.options.calls_per_second;
  return RunMix(bench, run, mix);
}

absl::StatusOr<ScenarioResult> RunStorm(BenchContext& bench, const ScenarioRun& run) {
  Mix mix;
  mix.calls_per_second = bench.options.calls_per_second * bench.options.storm_factor;
  mix.repair_share = 0.5;
  mix.hot_area_share = 0.7;
  return RunMix(bench, run, mix);
}

}  // namespace hotline::bench
