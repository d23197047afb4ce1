// sla: deadline clocks at the size of a busy province. Tops sla's database up
// to --sla-open-clocks open clocks, then starts probe clocks that fall due a
// few seconds after they start and measures, on a WatchEvents stream, how
// long after its due time each probe's breach arrives; and sla's resident
// memory with all those clocks open.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "hotline/sla/v1/sla.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "libs/text/uuid.h"
#include "tools/bench/awaited.h"
#include "tools/bench/open_clocks.h"
#include "tools/bench/pacer.h"
#include "tools/bench/process_memory.h"
#include "tools/bench/scenario.h"
#include "tools/bench/stream_reader.h"

namespace hotline::bench {
namespace {

namespace sv1 = hotline::sla::v1;

// How long after its start a probe clock falls due: time for the start to
// commit before the timer may fire it.
constexpr absl::Duration kProbeLead = absl::Seconds(2);
// Probe clocks started a second when the scenario names no rate.
constexpr double kDefaultProbeRate = 100;

// The limit of the deadline rule a probe clock starts under: repair
// dispatch, which counts elapsed time (domain.md: 5 minutes).
absl::StatusOr<absl::Duration> DispatchLimit(sv1::SlaTracker::Stub& stub, const std::string& token,
                                             absl::Duration timeout) {
  grpc::ClientContext context;
  PrepareContext(context, token, timeout);
  sv1::GetPoliciesRequest request;
  request.set_stage(sv1::STAGE_DISPATCH);
  sv1::GetPoliciesResponse response;
  grpc::Status s = stub.GetPolicies(&context, request, &response);
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("GetPolicies: ", StatusCodeName(s.error_code()), " ", s.error_message()));
  }
  // The rule a repair's dispatch clock matches: for repairs, or for every
  // type; every area class; no branch override.
  std::optional<sv1::Policy> rule;
  for (const sv1::Policy& p : response.policies()) {
    const bool fits = (p.ticket_type() == common::v1::TICKET_TYPE_REPAIR ||
                       p.ticket_type() == common::v1::TICKET_TYPE_UNSPECIFIED) &&
                      p.area_class() == common::v1::AREA_CLASS_UNSPECIFIED && p.branch_id().empty();
    if (fits && (!rule.has_value() || p.ticket_type() == common::v1::TICKET_TYPE_REPAIR)) {
      rule = p;
    }
  }
  if (!rule.has_value() || rule->measure() != sv1::MEASURE_ELAPSED ||
      FromProtoDuration(rule->limit()) <= absl::ZeroDuration()) {
    return absl::FailedPreconditionError(
        "sla has no elapsed-time rule for a repair's dispatch: probe clocks cannot be timed");
  }
  return FromProtoDuration(rule->limit());
}

int SlaPid(const Options& o) {
  for (const auto& [name, pid] : o.watch) {
    if (name == "sla") {
      return pid;
    }
  }
  return 0;
}

}  // namespace

absl::StatusOr<ScenarioResult> RunSla(BenchContext& bench, const ScenarioRun& run) {
  const Options& o = bench.options;
  absl::StatusOr<std::string> service = bench.Token("service");
  if (!service.ok()) {
    return service.status();
  }
  absl::StatusOr<std::string> admin = bench.Token("admin");
  if (!admin.ok()) {
    return admin.status();
  }
  ScenarioResult result;
  result.label = run.label();
  if (o.sla_open_clocks > 0 && o.sla_pg.empty()) {
    return absl::FailedPreconditionError(
        "sla needs --sla-pg=URI (sla's database) to open --sla-open-clocks clocks, or "
        "--sla-open-clocks=0");
  }
  if (!o.sla_pg.empty()) {
    const absl::Time t0 = absl::Now();
    absl::StatusOr<int64_t> open =
        TopUpOpenClocks(o.sla_pg, o.sla_open_clocks, [&](int64_t added, int64_t to_add) {
          std::fprintf(stderr,
                       "hotline-bench: sla: %lld of %lld background clocks added (%.0f s)\n",
                       static_cast<long long>(added), static_cast<long long>(to_add),
                       absl::ToDoubleSeconds(absl::Now() - t0));
        });
    if (!open.ok()) {
      return open.status();
    }
    result.figures["sla_open_clocks"] = static_cast<double>(*open);
  }

  auto stub = sv1::SlaTracker::NewStub(bench.sla.Next());
  absl::StatusOr<absl::Duration> limit = DispatchLimit(*stub, *admin, o.timeout);
  if (!limit.ok()) {
    return limit.status();
  }

  RpcStats starts("StartClock");
  RpcStats breaches("breach noticed");
  Awaited awaited;  // the probes' tickets whose breach has not arrived, with their due time
  sv1::WatchEventsRequest only_new;
  only_new.set_only_new(true);
  using ActionWatch = StreamReader<sv1::WatchEventsRequest, sv1::SlaAction>;
  std::vector<std::unique_ptr<ActionWatch>> watch;
  watch.push_back(std::make_unique<ActionWatch>(
      only_new, [&](const sv1::SlaAction& action, absl::Time arrived) {
        if (action.kind() != sv1::ACTION_KIND_BREACH) {
          return;
        }
        if (auto due = awaited.Take(action.clock().ticket_id())) {
          breaches.RecordOk(arrived - *due);
        }
      }));
  watch[0]->Start(
      [&stub](grpc::ClientContext* c, const sv1::WatchEventsRequest* q,
              grpc::ClientReadReactor<sv1::SlaAction>* r) { stub->async()->WatchEvents(c, q, r); },
      *admin, o.duration + kProbeLead + o.timeout + absl::Seconds(60));
  // Let the stream reach sla before the first probe.
  absl::SleepFor(absl::Seconds(1));
  if (watch[0]->ended()) {
    grpc::Status s = watch[0]->WaitEnded(absl::ZeroDuration());
    return absl::FailedPreconditionError(
        absl::StrCat("WatchEvents: ", StatusCodeName(s.error_code()), " ", s.error_message()));
  }

  bench.measure_from_here();
  Pace pace;
  pace.rate = run.rate > 0 ? run.rate : kDefaultProbeRate;
  pace.in_flight = o.in_flight;
  pace.duration = o.duration;
  pace.drain = o.timeout + absl::Seconds(1);
  Pacer pacer(pace);
  result.elapsed = pacer.Run([&](absl::Time due) {
    const std::string ticket = text::NewUuid();
    const absl::Time breach_due = TruncateToMicros(due + kProbeLead);
    sv1::StartClockRequest request;
    request.set_idempotency_key(bench.NextKey("sla"));
    request.set_ticket_id(ticket);
    request.set_ticket_number("BENCH-PROBE");
    request.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
    request.set_stage(sv1::STAGE_DISPATCH);
    *request.mutable_started_at() = ToProtoTime(breach_due - *limit);
    awaited.Add(ticket, breach_due);
    CallUnary<sv1::StartClockRequest, sv1::StartClockResponse>(
        std::move(request), *service, o.timeout, due,
        [&stub](grpc::ClientContext* c, const sv1::StartClockRequest* q, sv1::StartClockResponse* r,
                std::function<void(grpc::Status)> f) {
          stub->async()->StartClock(c, q, r, std::move(f));
        },
        [&, ticket](const grpc::Status& s, const sv1::StartClockResponse&, absl::Duration took) {
          starts.Record(s, took);
          if (!s.ok()) {
            awaited.Forget(ticket);
          }
          pacer.Done();
        });
  });
  // The last probes fall due kProbeLead after their start; each gets the call
  // timeout past that to be noticed.
  awaited.WaitEmpty(kProbeLead + o.timeout);
  StopReaders(watch, absl::Seconds(10));  // then none arrives while the rest is counted
  const size_t missing = awaited.size();
  for (size_t i = 0; i < missing; ++i) {
    breaches.RecordError("NOT_NOTICED");
  }

  result.rows.push_back(starts.Summarize(result.elapsed));
  result.rows.push_back(breaches.Summarize(result.elapsed));
  std::vector<std::string> notes;
  if (auto open = result.figures.find("sla_open_clocks"); open != result.figures.end()) {
    notes.push_back(absl::StrCat(static_cast<int64_t>(open->second), " open clocks"));
  }
  notes.push_back(absl::StrCat("probe clocks due ", absl::FormatDuration(kProbeLead),
                               " after their start (rule limit ", absl::FormatDuration(*limit),
                               ")"));
  if (const int pid = SlaPid(o); pid > 0) {
    std::optional<double> rss = ProcessMemoryMegabytes(pid, "VmRSS");
    std::optional<double> peak = ProcessMemoryMegabytes(pid, "VmHWM");
    if (rss.has_value()) {
      result.figures["sla_rss_mb"] = *rss;
      notes.push_back(absl::StrFormat("sla resident memory %.0f MB", *rss));
    }
    if (peak.has_value()) {
      result.figures["sla_peak_rss_mb"] = *peak;
      notes.push_back(absl::StrFormat("peak %.0f MB", *peak));
    }
  } else {
    notes.push_back("sla's memory not read (no --watch=sla=PID)");
  }
  if (missing > 0) {
    notes.push_back(absl::StrCat(missing, " breaches not noticed within ",
                                 absl::FormatDuration(kProbeLead + o.timeout), " of the start"));
  }
  result.note = absl::StrJoin(notes, "; ");
  return result;
}

}  // namespace hotline::bench
