// The scenarios of one unary RPC each: noop (the ceiling), check-address and
// create.

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "hotline/outage/v1/outage.grpc.pb.h"
#include "tools/bench/pacer.h"
#include "tools/bench/requests.h"
#include "tools/bench/scenario.h"

namespace hotline::bench {
namespace {

namespace iv1 = hotline::intake::v1;
namespace ov1 = hotline::outage::v1;
namespace hv1 = grpc::health::v1;

Pace PaceOf(const BenchContext& bench, const ScenarioRun& run) {
  Pace pace;
  pace.rate = run.rate;
  pace.in_flight = bench.options.in_flight;
  pace.duration = bench.options.duration;
  pace.drain = bench.options.timeout + absl::Seconds(1);
  return pace;
}

// Runs one unary RPC at the scenario's pace: `launch(due, finish)` starts a
// call that calls finish(status, took) when it ends.
using Finish = std::function<void(const grpc::Status&, absl::Duration)>;
ScenarioResult RunOne(BenchContext& bench, const ScenarioRun& run, const std::string& rpc,
                      const std::function<void(absl::Time, Finish)>& launch) {
  RpcStats stats(rpc);
  Pacer pacer(PaceOf(bench, run));
  ScenarioResult result;
  result.label = run.label();
  result.elapsed = pacer.Run([&](absl::Time due) {
    launch(due, [&stats, &pacer](const grpc::Status& status, absl::Duration took) {
      stats.Record(status, took);
      pacer.Done();
    });
  });
  result.rows.push_back(stats.Summarize(result.elapsed));
  return result;
}

}  // namespace

absl::StatusOr<ScenarioResult> RunNoop(BenchContext& bench, const ScenarioRun& run) {
  auto stubs = StubsOf<hv1::Health>(bench.intake);
  return RunOne(bench, run, "Health/Check (noop)", [&](absl::Time due, Finish finish) {
    hv1::Health::Stub* stub = stubs[static_cast<size_t>(bench.NextNumber()) % stubs.size()].get();
    CallUnary<hv1::HealthCheckRequest, hv1::HealthCheckResponse>(
        hv1::HealthCheckRequest(), "", bench.options.timeout, due,
        [stub](grpc::ClientContext* c, const hv1::HealthCheckRequest* q,
               hv1::HealthCheckResponse* r, std::function<void(grpc::Status)> f) {
          stub->async()->Check(c, q, r, std::move(f));
        },
        [finish](const grpc::Status& s, const hv1::HealthCheckResponse& response,
                 absl::Duration took) {
          if (s.ok() && response.status() != hv1::HealthCheckResponse::SERVING) {
            finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "not serving"), took);
            return;
          }
          finish(s, took);
        });
  });
}

absl::StatusOr<ScenarioResult> RunCheckAddress(BenchContext& bench, const ScenarioRun& run) {
  absl::StatusOr<std::string> token = bench.Token("agent");
  if (!token.ok()) {
    return token.status();
  }
  auto stubs = StubsOf<ov1::OutageNotices>(bench.outage);
  return RunOne(bench, run, "CheckAddress", [&, token = *token](absl::Time due, Finish finish) {
    const int64_t n = bench.NextNumber();
    const auto& places = DemoPlaces();
    ov1::OutageNotices::Stub* stub = stubs[static_cast<size_t>(n) % stubs.size()].get();
    CallUnary<ov1::CheckAddressRequest, ov1::CheckAddressResponse>(
        CheckOf(places[static_cast<size_t>(n) % places.size()], n), token, bench.options.timeout,
        due,
        [stub](grpc::ClientContext* c, const ov1::CheckAddressRequest* q,
               ov1::CheckAddressResponse* r, std::function<void(grpc::Status)> f) {
          stub->async()->CheckAddress(c, q, r, std::move(f));
        },
        [finish](const grpc::Status& s, const ov1::CheckAddressResponse&, absl::Duration took) {
          finish(s, took);
        });
  });
}

absl::StatusOr<ScenarioResult> RunCreate(BenchContext& bench, const ScenarioRun& run) {
  absl::StatusOr<std::string> token = bench.Token("agent");
  if (!token.ok()) {
    return token.status();
  }
  auto stubs = StubsOf<iv1::TicketIntake>(bench.intake);
  return RunOne(bench, run, "CreateTicket", [&, token = *token](absl::Time due, Finish finish) {
    const int64_t n = bench.NextNumber();
    const auto& places = DemoPlaces();
    const DemoPlace& place = places[static_cast<size_t>(n) % places.size()];
    iv1::TicketIntake::Stub* stub = stubs[static_cast<size_t>(n) % stubs.size()].get();
    CallUnary<iv1::CreateTicketRequest, iv1::CreateTicketResponse>(
        RepairAt(absl::StrCat(bench.options.run_id, "-create-", n), n, AddressOf(place, false),
                 absl::Now()),
        token, bench.options.timeout, due,
        [stub](grpc::ClientContext* c, const iv1::CreateTicketRequest* q,
               iv1::CreateTicketResponse* r, std::function<void(grpc::Status)> f) {
          stub->async()->CreateTicket(c, q, r, std::move(f));
        },
        [finish](const grpc::Status& s, const iv1::CreateTicketResponse&, absl::Duration took) {
          finish(s, took);
        });
  });
}

}  // namespace hotline::bench
