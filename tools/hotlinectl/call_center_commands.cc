// hotlinectl call-stats and queue: the call centre figures and live queue,
// from intake's CallCenter.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "tools/hotlinectl/command.h"
#include "tools/hotlinectl/table.h"
#include "tools/hotlinectl/values.h"

namespace hotline::ctl {
namespace {

namespace iv1 = hotline::intake::v1;

std::string Percent(double ratio) { return absl::StrFormat("%.1f%%", ratio * 100); }

absl::Status CallStats(Session& session, const ParsedArgs& args) {
  const absl::Time now = absl::Now();
  HOTLINE_ASSIGN_OR_RETURN(absl::Time from,
                           ParseTimeValue("from", args.Get("from", "now-24h"), now));
  HOTLINE_ASSIGN_OR_RETURN(absl::Time to, ParseTimeValue("to", args.Get("to", "now"), now));
  iv1::GetCallStatsRequest request;
  *request.mutable_period()->mutable_from() = ToProtoTime(from);
  *request.mutable_period()->mutable_to() = ToProtoTime(to);
  request.set_queue(args.Get("queue"));
  if (args.Has("ring-threshold")) {
    HOTLINE_ASSIGN_OR_RETURN(int s, ParseCount("ring-threshold", args.Get("ring-threshold")));
    request.set_ring_threshold_seconds(s);
  }
  if (args.Has("mute-limit")) {
    HOTLINE_ASSIGN_OR_RETURN(int s, ParseCount("mute-limit", args.Get("mute-limit")));
    request.set_mute_limit_seconds(s);
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<iv1::CallCenter>("intake"));
  iv1::CallStats stats;
  auto call = session.NewCall();
  HOTLINE_RETURN_IF_ERROR(RpcError(stub->GetCallStats(call.get(), request, &stats)));
  if (session.json()) {
    session.PrintJson(stats);
    return absl::OkStatus();
  }
  auto n = [](int64_t v) { return absl::StrCat(v); };
  session.out() << RenderFields({
      {"period", absl::StrCat(TimeCell(request.period().from(), session.zone()), " to ",
                              TimeCell(request.period().to(), session.zone()))},
      {"queue", request.queue().empty() ? "all" : request.queue()},
      {"offered", n(stats.offered())},
      {"asked for an agent", n(stats.asked_for_agent())},
      {"answered by an agent", n(stats.answered_by_agent())},
      {"answered by the IVR", n(stats.answered_by_ivr())},
      {"abandoned", absl::StrCat(stats.abandoned(), " (", stats.abandoned_while_queued(),
                                 " queued, ", stats.abandoned_while_ringing(), " ringing)")},
      {"human answer rate", Percent(stats.human_answer_rate())},
      {absl::StrCat("answered within ", stats.ring_threshold_seconds(), "s"),
       absl::StrCat(stats.answered_within_threshold(), " (",
                    Percent(stats.answered_within_threshold_share()), ")")},
      {"average talk",
       absl::StrFormat("%.0fs over %d calls", stats.average_talk_seconds(), stats.talked())},
      {"transferred", absl::StrCat(stats.transferred(), " (", Percent(stats.transfer_rate()), ")")},
      {"mutes", absl::StrCat(stats.mutes(), " (", stats.mutes_over_limit(), " over ",
                             stats.mute_limit_seconds(), "s)")},
  });
  return absl::OkStatus();
}

absl::Status Queue(Session& session, const ParsedArgs& args) {
  iv1::GetLiveQueueRequest request;
  request.set_queue(args.Get("queue"));
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<iv1::CallCenter>("intake"));
  iv1::GetLiveQueueResponse response;
  auto call = session.NewCall();
  HOTLINE_RETURN_IF_ERROR(RpcError(stub->GetLiveQueue(call.get(), request, &response)));
  if (session.json()) {
    session.PrintJson(response);
    return absl::OkStatus();
  }
  session.out() << "as of " << TimeCell(response.as_of(), session.zone()) << "\n";
  Table table({"QUEUE", "WAITING", "LONGEST WAIT", "AGENTS"});
  for (const iv1::LiveQueue& q : response.queues()) {
    std::vector<std::string> agents;
    for (const iv1::AgentsInState& a : q.agents()) {
      agents.push_back(absl::StrCat(EnumText(a.state()), " ", a.agent_ids_size()));
    }
    table.AddRow({q.queue(), absl::StrCat(q.calls_waiting()),
                  DurationCell(absl::Seconds(q.longest_wait_seconds())),
                  absl::StrJoin(agents, ", ")});
  }
  session.out() << table.Render();
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> CallCenterCommands() {
  Command stats;
  stats.name = "call-stats";
  stats.summary = "the call centre's figures over a period (intake GetCallStats)";
  stats.flags = {
      {"from", "TIME", "start of the period (default now-24h)"},
      {"to", "TIME", "end of the period (default now)"},
      {"queue", "QUEUE", "one queue (default all)"},
      {"ring-threshold", "SECONDS", "answered within this many seconds (default the service's, 9)"},
      {"mute-limit", "SECONDS", "mutes longer than this count (default the service's, 30)"},
  };
  stats.default_role = "shift_leader";
  stats.run = CallStats;

  Command queue;
  queue.name = "queue";
  queue.summary = "the live queue: calls waiting and agents by state (intake GetLiveQueue)";
  queue.flags = {{"queue", "QUEUE", "one queue (default all)"}};
  queue.default_role = "shift_leader";
  queue.run = Queue;
  return {stats, queue};
}

}  // namespace hotline::ctl
