// hotline-record-calls: records made-up calls at intake's call centre
// (hotline.intake.v1.CallCenter), as the telephony side would, timed in the
// last minutes: for trying the call figures, dashboards and Prometheus' rules
// on a running backend (`tools/dev up`).
//
//   hotline-record-calls --token-file=FILE [--target=127.0.0.1:50051]
//       [--queue=general] [--answered=N] [--abandoned=N] [--ivr=N]
//       [--ring-seconds=S] [--talk-seconds=S]
//
// The token must be a `service` token (tools/dev keeps one in
// .dev/service-token). Every run makes new call ids, so its calls are counted.
// Exits 0 when intake stored every event.

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"

namespace {

namespace v1 = hotline::intake::v1;

constexpr char kUsage[] =
    "usage: hotline-record-calls --token-file=FILE [--target=HOST:PORT] [--queue=NAME]\n"
    "           [--answered=N] [--abandoned=N] [--ivr=N] [--ring-seconds=S] [--talk-seconds=S]\n"
    "Records N calls answered by an agent, N abandoned in the queue and N served by the\n"
    "automatic voice line at intake's call centre (default target 127.0.0.1:50051, queue\n"
    "general, 1 answered, 0 abandoned, 0 ivr, 5 s ring, 120 s talk). FILE holds a service\n"
    "token.\n";

struct Options {
  std::string target = "127.0.0.1:50051";
  std::string token_file;
  std::string queue = "general";
  std::map<std::string, int> numbers = {
      {"answered", 1}, {"abandoned", 0}, {"ivr", 0}, {"ring-seconds", 5}, {"talk-seconds", 120}};
};

// Parses --name=value arguments into `options`; false (with a message) on a bad one.
bool Parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--") || !absl::StrContains(arg, '=')) {
      std::fprintf(stderr, "hotline-record-calls: unexpected argument %s\n%s", argv[i], kUsage);
      return false;
    }
    const size_t eq = arg.find('=');
    const std::string name(arg.substr(0, eq));
    const std::string value(arg.substr(eq + 1));
    if (name == "target") {
      options.target = value;
    } else if (name == "token-file") {
      options.token_file = value;
    } else if (name == "queue") {
      options.queue = value;
    } else if (options.numbers.count(name) > 0) {
      int n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 0 || n > 100000) {
        std::fprintf(stderr, "hotline-record-calls: --%s: '%s' is not a number 0..100000\n",
                     name.c_str(), value.c_str());
        return false;
      }
      options.numbers[name] = n;
    } else {
      std::fprintf(stderr, "hotline-record-calls: unknown option --%s\n%s", name.c_str(), kUsage);
      return false;
    }
  }
  if (options.token_file.empty()) {
    std::fprintf(stderr, "hotline-record-calls: --token-file is required\n%s", kUsage);
    return false;
  }
  return true;
}

// Builds the events of one call.
class CallWriter {
 public:
  CallWriter(std::string call_id, std::string queue, std::vector<v1::CallEvent>& out)
      : call_id_(std::move(call_id)), queue_(std::move(queue)), out_(out) {}

  v1::CallEvent& Add(absl::Time at, bool with_queue = false) {
    v1::CallEvent& e = out_.emplace_back();
    e.set_event_id(absl::StrCat(call_id_, "-e", ++n_));
    e.set_call_id(call_id_);
    if (with_queue) {
      e.set_queue(queue_);
    }
    const int64_t micros = absl::ToUnixMicros(at);
    e.mutable_at()->set_seconds(micros / 1000000);
    e.mutable_at()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    return e;
  }

  void Offered(absl::Time at, v1::CallRoute route) {
    v1::CallOffered* offered = Add(at, true).mutable_offered();
    offered->set_route(route);
    offered->set_channel(hotline::common::v1::CHANNEL_PHONE);
  }

 private:
  std::string call_id_;
  std::string queue_;
  std::vector<v1::CallEvent>& out_;
  int n_ = 0;
};

std::vector<v1::CallEvent> MakeCalls(const Options& options, absl::Time now) {
  const int ring = options.numbers.at("ring-seconds");
  const int talk = options.numbers.at("talk-seconds");
  const int wait = 3;
  // Every call has ended by now.
  const absl::Time first = now - absl::Seconds(1 + wait + ring + talk + 1);
  const std::string prefix = absl::StrCat("rc-", absl::ToUnixMicros(now), "-");
  std::vector<v1::CallEvent> events;
  int calls = 0;
  auto next = [&](absl::Time* t) {
    *t = first - absl::Seconds(calls);
    return absl::StrCat(prefix, calls++);
  };
  absl::Time t;
  for (int i = 0; i < options.numbers.at("answered"); ++i) {
    CallWriter call(next(&t), options.queue, events);
    call.Offered(t, v1::CALL_ROUTE_AGENT);
    call.Add(t + absl::Seconds(1), true).mutable_queued();
    const std::string agent = absl::StrCat("agent-", i % 10);
    call.Add(t + absl::Seconds(1 + wait)).mutable_ringing()->set_agent_id(agent);
    v1::CallAnswered* answered = call.Add(t + absl::Seconds(1 + wait + ring)).mutable_answered();
    answered->set_agent_id(agent);
    answered->set_ring_seconds(ring);
    answered->set_wait_seconds(wait);
    call.Add(t + absl::Seconds(1 + wait + ring + talk)).mutable_ended()->set_talk_seconds(talk);
  }
  for (int i = 0; i < options.numbers.at("abandoned"); ++i) {
    CallWriter call(next(&t), options.queue, events);
    call.Offered(t, v1::CALL_ROUTE_AGENT);
    call.Add(t + absl::Seconds(1), true).mutable_queued();
    v1::CallAbandoned* abandoned = call.Add(t + absl::Seconds(1 + wait)).mutable_abandoned();
    abandoned->set_stage(v1::ABANDON_STAGE_QUEUED);
    abandoned->set_wait_seconds(wait);
    call.Add(t + absl::Seconds(1 + wait)).mutable_ended()->set_talk_seconds(0);
  }
  for (int i = 0; i < options.numbers.at("ivr"); ++i) {
    CallWriter call(next(&t), options.queue, events);
    call.Offered(t, v1::CALL_ROUTE_IVR);
    call.Add(t + absl::Seconds(30)).mutable_ivr_finished()->set_topic(v1::IVR_TOPIC_OTHER);
    call.Add(t + absl::Seconds(31)).mutable_ended()->set_talk_seconds(0);
  }
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Options options;
  if (!Parse(argc, argv, options)) {
    return 2;
  }
  std::ifstream file(options.token_file);
  std::stringstream read;
  read << file.rdbuf();
  const std::string token(absl::StripAsciiWhitespace(read.str()));
  if (!file || token.empty()) {
    std::fprintf(stderr, "hotline-record-calls: no token in %s\n", options.token_file.c_str());
    return 2;
  }

  const std::vector<v1::CallEvent> events = MakeCalls(options, absl::Now());
  auto stub = v1::CallCenter::NewStub(
      grpc::CreateChannel(options.target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::StreamCallEventsResponse response;
  auto writer = stub->StreamCallEvents(&context, &response);
  constexpr size_t kBatch = 500;
  for (size_t i = 0; i < events.size(); i += kBatch) {
    v1::CallEventBatch batch;
    for (size_t j = i; j < events.size() && j < i + kBatch; ++j) {
      *batch.add_events() = events[j];
    }
    if (!writer->Write(batch)) {
      break;
    }
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "hotline-record-calls: %s: %s\n", options.target.c_str(),
                 status.error_message().c_str());
    return 1;
  }
  std::printf("recorded %lld of %zu events (%lld duplicates)\n",
              static_cast<long long>(response.recorded()), events.size(),
              static_cast<long long>(response.duplicates()));
  return response.recorded() == static_cast<int64_t>(events.size()) ? 0 : 1;
}
