// calls: the telephony side's call events through StreamCallEvents, as fast
// as intake stores them (or at a rate of streams).

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tools/bench/event_stream.h"
#include "tools/bench/pacer.h"
#include "tools/bench/requests.h"
#include "tools/bench/scenario.h"

namespace hotline::bench {

namespace iv1 = hotline::intake::v1;

absl::StatusOr<ScenarioResult> RunCalls(BenchContext& bench, const ScenarioRun& run) {
  absl::StatusOr<std::string> token = bench.Token("service");
  if (!token.ok()) {
    return token.status();
  }
  const Options& o = bench.options;
  RpcStats streams(
      absl::StrCat("StreamCallEvents (", o.batches_per_stream, "x", o.batch, " events)"));
  RpcStats events("call events stored", /*has_latency=*/false);
  auto stubs = StubsOf<iv1::CallCenter>(bench.intake);
  Pace pace;
  pace.rate = run.rate;
  // A stream carries many events: fewer of them in flight than unary calls.
  pace.in_flight = std::max(1, std::min(o.in_flight, 16));
  pace.duration = o.duration;
  pace.drain = o.timeout + absl::Seconds(1);
  Pacer pacer(pace);
  ScenarioResult result;
  result.label = run.label();
  result.elapsed = pacer.Run([&](absl::Time due) {
    std::vector<iv1::CallEventBatch> batches(static_cast<size_t>(o.batches_per_stream));
    std::vector<iv1::CallEvent> made;
    const absl::Time now = absl::Now();
    int64_t sent = 0;
    for (iv1::CallEventBatch& batch : batches) {
      while (batch.events_size() < o.batch) {
        made.clear();
        AppendCallEvents(bench.NextKey("call"), CallEnd::kAnswered, now, made);
        for (iv1::CallEvent& e : made) {
          if (batch.events_size() < o.batch) {
            *batch.add_events() = std::move(e);
          }
        }
      }
      sent += batch.events_size();
    }
    const int64_t n = bench.NextNumber();
    EventStream::Start(
        *stubs[static_cast<size_t>(n) % stubs.size()], *token, o.timeout, std::move(batches),
        [&, due, sent](const grpc::Status& status, const iv1::StreamCallEventsResponse& response) {
          streams.Record(status, absl::Now() - due);
          if (status.ok()) {
            events.AddItems(response.recorded());
            if (response.recorded() < sent) {
              for (int64_t i = response.recorded(); i < sent; ++i) {
                events.RecordError("NOT_RECORDED");
              }
            }
          }
          pacer.Done();
        });
  });
  result.rows.push_back(streams.Summarize(result.elapsed));
  result.rows.push_back(events.Summarize(result.elapsed));
  return result;
}

}  // namespace hotline::bench
