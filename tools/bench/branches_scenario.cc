// branches: branch systems hold PullOrders streams and acknowledge what they
// get, while repair tickets are created in their villages; measures the time
// from sending CreateTicket to the order arriving on the branch's stream.

#include <grpcpp/client_context.h>

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "tools/bench/awaited.h"
#include "tools/bench/pacer.h"
#include "tools/bench/requests.h"
#include "tools/bench/scenario.h"
#include "tools/bench/stream_reader.h"

namespace hotline::bench {
namespace {

namespace dv1 = hotline::dispatch::v1;
namespace iv1 = hotline::intake::v1;

// Makes the bench branches (admin token): each covers a village of its own.
absl::Status SetUpBranches(BenchContext& bench, const std::vector<std::string>& ids) {
  absl::StatusOr<std::string> admin = bench.Token("admin");
  if (!admin.ok()) {
    return admin.status();
  }
  auto stub = dv1::Dispatch::NewStub(bench.dispatch.Next());
  for (const std::string& id : ids) {
    grpc::ClientContext context;
    PrepareContext(context, *admin, bench.options.timeout);
    dv1::Branch stored;
    grpc::Status s = stub->UpsertBranch(&context, BenchBranch(id), &stored);
    if (!s.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "UpsertBranch ", id, ": ", StatusCodeName(s.error_code()), " ", s.error_message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ScenarioResult> RunBranches(BenchContext& bench, const ScenarioRun& run) {
  const Options& o = bench.options;
  absl::StatusOr<std::string> agent = bench.Token("agent");
  if (!agent.ok()) {
    return agent.status();
  }
  size_t count = bench.branch_tokens.size();
  if (o.branches > 0) {
    count = std::min(count, static_cast<size_t>(o.branches));
  }
  if (count == 0) {
    return absl::FailedPreconditionError(
        "branches needs branch tokens: --branch-tokens=FILE with 'branch_id token' lines");
  }
  std::vector<std::string> ids;
  for (size_t i = 0; i < count; ++i) {
    ids.push_back(bench.branch_tokens[i].first);
  }
  if (absl::Status s = SetUpBranches(bench, ids); !s.ok()) {
    return s;
  }

  RpcStats creates("CreateTicket");
  RpcStats arrivals("ticket→branch stream");
  RpcStats acks("AckOrder");
  Awaited awaited;  // the creates whose order has not reached its branch, by key
  auto pull_stubs = StubsOf<dv1::BranchOrders>(bench.dispatch);
  using BranchPuller = StreamReader<dv1::PullOrdersRequest, dv1::PullOrdersResponse>;
  std::vector<std::unique_ptr<BranchPuller>> pullers;
  // Acks in flight, so that none outlives the scenario.
  absl::Mutex ack_mu;
  int acks_running = 0;
  for (size_t i = 0; i < count; ++i) {
    const std::string& token = bench.branch_tokens[i].second;
    auto* stub = pull_stubs[i % pull_stubs.size()].get();
    pullers.push_back(std::make_unique<BranchPuller>(
        dv1::PullOrdersRequest(),
        [&, stub, token = token](const dv1::PullOrdersResponse& response, absl::Time arrived) {
          const dv1::Delivery& delivery = response.delivery();
          if (auto due = awaited.Take(KeyOfDescription(delivery.order().description()))) {
            arrivals.RecordOk(arrived - *due);
          }
          dv1::AckOrderRequest ack;
          ack.set_order_id(delivery.order().order_id());
          ack.set_delivery_id(delivery.delivery_id());
          {
            absl::MutexLock lock(&ack_mu);
            ++acks_running;
          }
          CallUnary<dv1::AckOrderRequest, dv1::AckOrderResponse>(
              std::move(ack), token, o.timeout, absl::Now(),
              [stub](grpc::ClientContext* c, const dv1::AckOrderRequest* q,
                     dv1::AckOrderResponse* r, std::function<void(grpc::Status)> f) {
                stub->async()->AckOrder(c, q, r, std::move(f));
              },
              [&](const grpc::Status& s, const dv1::AckOrderResponse&, absl::Duration took) {
                acks.Record(s, took);
                absl::MutexLock lock(&ack_mu);
                --acks_running;
              });
        }));
    // Streams live past the scenario's end by the time allowed to drain.
    pullers.back()->Start(
        [stub](grpc::ClientContext* c, const dv1::PullOrdersRequest* q,
               grpc::ClientReadReactor<dv1::PullOrdersResponse>* r) {
          stub->async()->PullOrders(c, q, r);
        },
        token, o.duration + o.timeout + absl::Seconds(60));
  }
  // Let the streams reach dispatch before the first ticket.
  absl::SleepFor(absl::Seconds(1));
  bench.measure_from_here();

  auto intake_stubs = StubsOf<iv1::TicketIntake>(bench.intake);
  Pace pace;
  pace.rate = run.rate;
  pace.in_flight = o.in_flight;
  pace.duration = o.duration;
  pace.drain = o.timeout + absl::Seconds(1);
  Pacer pacer(pace);
  ScenarioResult result;
  result.label = run.label();
  result.elapsed = pacer.Run([&](absl::Time due) {
    const int64_t n = bench.NextNumber();
    const std::string key = absl::StrCat(o.run_id, "-branch-", n);
    const std::string& branch = ids[static_cast<size_t>(n) % ids.size()];
    awaited.Add(key, due);
    auto* stub = intake_stubs[static_cast<size_t>(n) % intake_stubs.size()].get();
    CallUnary<iv1::CreateTicketRequest, iv1::CreateTicketResponse>(
        RepairAt(key, n, AddressOfBranch(branch), absl::Now()), *agent, o.timeout, due,
        [stub](grpc::ClientContext* c, const iv1::CreateTicketRequest* q,
               iv1::CreateTicketResponse* r, std::function<void(grpc::Status)> f) {
          stub->async()->CreateTicket(c, q, r, std::move(f));
        },
        [&, key](const grpc::Status& s, const iv1::CreateTicketResponse&, absl::Duration took) {
          creates.Record(s, took);
          if (!s.ok()) {
            awaited.Forget(key);
          }
          pacer.Done();
        });
  });
  // Orders still on their way get the call timeout to arrive.
  awaited.WaitEmpty(o.timeout);
  StopReaders(pullers, absl::Seconds(10));  // then none arrives while the rest is counted
  const size_t missing = awaited.size();
  for (size_t i = 0; i < missing; ++i) {
    arrivals.RecordError("NOT_DELIVERED");
  }
  {
    absl::MutexLock lock(&ack_mu);
    auto idle = [&]() { return acks_running == 0; };
    ack_mu.AwaitWithTimeout(absl::Condition(&idle), o.timeout);
  }
  result.rows.push_back(creates.Summarize(result.elapsed));
  result.rows.push_back(arrivals.Summarize(result.elapsed));
  result.rows.push_back(acks.Summarize(result.elapsed));
  result.note = absl::StrCat(count, " branch streams");
  if (missing > 0) {
    result.note += absl::StrCat("; ", missing, " orders did not reach their branch within ",
                                absl::FormatDuration(o.timeout));
  }
  return result;
}

}  // namespace hotline::bench
