// The call centre end to end, against the five real service binaries: a day
// of call events in the proportions of the 2004 county year (domain.md),
// duplicated and out of order, sent in batches; the figures from
// GetCallStats, from the scraped Prometheus counters and from the
// generator's own tally agree exactly. Also roles and input checks.

#include <grpcpp/client_context.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "services/intake/calls/testdata/call_day.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

using intake::v1::CallCenter;
using intake::v1::CallEvent;
using intake::v1::CallEventBatch;
using intake::v1::CallStats;

// 2026-07-15, a summer day.
const absl::Time kDayStart =
    absl::FromCivil(absl::CivilDay(2026, 7, 15), absl::FixedTimeZone(8 * 3600));

class CallsTest : public SharedBackendTest {
 protected:
  std::unique_ptr<CallCenter::Stub> Stub() {
    return CallCenter::NewStub(backend_->Channel("intake"));
  }
  static void Authorize(grpc::ClientContext& context, const std::string& role) {
    context.AddMetadata("authorization", "Bearer " + backend_->Token(role));
  }

  // Sends `events` as batches of `batch_size` on one StreamCallEvents stream.
  intake::v1::StreamCallEventsResponse Stream(const std::vector<CallEvent>& events,
                                              size_t batch_size, grpc::Status* status) {
    auto stub = Stub();
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::StreamCallEventsResponse response;
    auto writer = stub->StreamCallEvents(&context, &response);
    for (size_t i = 0; i < events.size(); i += batch_size) {
      CallEventBatch batch;
      for (size_t j = i; j < std::min(events.size(), i + batch_size); ++j) {
        *batch.add_events() = events[j];
      }
      if (!writer->Write(batch)) {
        break;
      }
    }
    writer->WritesDone();
    *status = writer->Finish();
    return response;
  }

  CallStats Stats(const std::string& queue, grpc::Status* status) {
    auto stub = Stub();
    grpc::ClientContext context;
    Authorize(context, "supervisor");
    intake::v1::GetCallStatsRequest request;
    request.mutable_period()->mutable_from()->set_seconds(absl::ToUnixSeconds(kDayStart));
    request.mutable_period()->mutable_to()->set_seconds(
        absl::ToUnixSeconds(kDayStart + absl::Hours(24)));
    request.set_queue(queue);
    CallStats stats;
    *status = stub->GetCallStats(&context, request, &stats);
    return stats;
  }
};

// The cumulative count of histogram `name` at bucket `le`.
double Bucket(const std::string& text, const std::string& name, double le) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, name + "_bucket{")) {
      continue;
    }
    size_t at = line.find("le=\"");
    size_t end = line.find('"', at + 4);
    double bound = 0;
    double value = 0;
    if (at != absl::string_view::npos &&
        absl::SimpleAtod(line.substr(at + 4, end - at - 4), &bound) && bound == le &&
        absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) {
      return value;
    }
  }
  return -1;
}

TEST_F(CallsTest, ADayOfTheCountyYearGivesTheSameAnswerRateEverywhere) {
  intake::testdata::CallDayGenerator generator(95598, kDayStart);
  intake::testdata::CallDay day = generator.Generate();
  const intake::testdata::CallDayTally& t = day.tally;
  // The day by hand from the year: 72,500 / 365, 374,930 / 365, 8,309 / 365.
  ASSERT_EQ(t.ivr, 199);
  ASSERT_EQ(t.answered, 1027);
  ASSERT_EQ(t.abandoned, 23);
  ASSERT_EQ(t.offered, 1249);
  ASSERT_EQ(t.asked_for_agent, 1050);
  ASSERT_GT(t.transfer_events, 0);
  ASSERT_GT(t.mutes_over_30s, 0);

  int copies = 0;
  std::vector<CallEvent> arrival = generator.DuplicateAndShuffle(day.events, 8, &copies);
  ASSERT_GT(copies, 100);
  // Two CTI links at once, each with half of the shuffled day in batches.
  const size_t half = arrival.size() / 2;
  std::vector<CallEvent> first(arrival.begin(), arrival.begin() + half);
  std::vector<CallEvent> second(arrival.begin() + half, arrival.end());
  grpc::Status status1, status2;
  intake::v1::StreamCallEventsResponse r1, r2;
  std::thread other([&] { r2 = Stream(second, 250, &status2); });
  r1 = Stream(first, 200, &status1);
  other.join();
  ASSERT_TRUE(status1.ok()) << status1.error_message() << backend_->Log("intake");
  ASSERT_TRUE(status2.ok()) << status2.error_message() << backend_->Log("intake");
  EXPECT_EQ(r1.recorded() + r2.recorded(), static_cast<int64_t>(day.events.size()));
  EXPECT_EQ(r1.duplicates() + r2.duplicates(), copies);

  // A late resend of some events, one at a time: all duplicates.
  auto stub = Stub();
  for (int i = 0; i < 5; ++i) {
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::RecordCallEventResponse response;
    grpc::Status s = stub->RecordCallEvent(&context, day.events[i * 97], &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(response.duplicate());
    EXPECT_EQ(response.call().call_id(), day.events[i * 97].call_id());
  }
  // An id resent with other content is no duplicate: refused, named, counted.
  {
    CallEvent forged = day.events[97];
    forged.set_call_id("forged-call");
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::RecordCallEventResponse response;
    grpc::Status s = stub->RecordCallEvent(&context, forged, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_NE(s.error_message().find(forged.event_id()), std::string::npos) << s.error_message();
    absl::StatusOr<std::string> text = backend_->ScrapeMetrics("intake");
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(SumSeries(*text, "hotline_call_events_conflicting_total"), 1);
  }

  grpc::Status status;
  CallStats stats = Stats("", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stats.offered(), t.offered);
  EXPECT_EQ(stats.asked_for_agent(), t.asked_for_agent);
  EXPECT_EQ(stats.answered_by_agent(), t.answered);
  EXPECT_EQ(stats.answered_by_ivr(), t.ivr);
  EXPECT_EQ(stats.abandoned(), t.abandoned);
  EXPECT_EQ(stats.abandoned_while_queued(), t.abandoned_queued);
  EXPECT_EQ(stats.abandoned_while_ringing(), t.abandoned_ringing);
  EXPECT_EQ(stats.human_answer_rate(), 1027.0 / 1050.0);
  EXPECT_NEAR(stats.human_answer_rate(), 374930.0 / (374930.0 + 8309.0), 0.001);
  EXPECT_EQ(stats.ring_threshold_seconds(), 9);
  EXPECT_EQ(stats.answered_within_threshold(), t.answered_within_9s);
  EXPECT_EQ(stats.answered_within_threshold_share(),
            static_cast<double>(t.answered_within_9s) / t.answered);
  EXPECT_EQ(stats.talked(), t.talked);
  EXPECT_EQ(stats.talk_seconds_total(), t.talk_seconds_total);
  EXPECT_EQ(stats.average_talk_seconds(), static_cast<double>(t.talk_seconds_total) / t.talked);
  EXPECT_NEAR(stats.average_talk_seconds(), 150, 10);
  EXPECT_EQ(stats.transferred(), t.transferred_calls);
  EXPECT_EQ(stats.transfer_rate(), static_cast<double>(t.transferred_calls) / t.answered);
  EXPECT_EQ(stats.mutes(), t.mutes);
  EXPECT_EQ(stats.mute_limit_seconds(), 30);
  EXPECT_EQ(stats.mutes_over_limit(), t.mutes_over_30s);

  CallStats repair = Stats("repair", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(repair.offered(), t.offered_by_queue.at("repair"));
  CallStats general = Stats("general", &status);
  EXPECT_EQ(repair.offered() + general.offered(), t.offered);

  auto text = backend_->ScrapeMetrics("intake");
  ASSERT_TRUE(text.ok()) << text.status();
  const std::string& m = *text;
  const std::string file = absl::StrCat(::testing::TempDir(), "/calls-metrics.txt");
  std::ofstream(file) << m;
  CommandResult check = RunCommand("promtool check metrics < " + file);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(SumSeries(m, "hotline_calls_offered_total"), t.offered);
  EXPECT_EQ(SumSeries(m, "hotline_calls_offered_total", {"queue=\"repair\""}),
            t.offered_by_queue.at("repair"));
  const double agent = SumSeries(m, "hotline_calls_answered_total", {"by=\"agent\""});
  const double requested = SumSeries(m, "hotline_calls_agent_requested_total");
  EXPECT_EQ(agent, t.answered);
  EXPECT_EQ(requested, t.asked_for_agent);
  EXPECT_EQ(SumSeries(m, "hotline_calls_answered_total", {"by=\"ivr\""}), t.ivr);
  EXPECT_EQ(SumSeries(m, "hotline_calls_abandoned_total"), t.abandoned);
  // The PromQL answer rate is GetCallStats' to the last bit.
  EXPECT_EQ(agent / requested, stats.human_answer_rate());
  EXPECT_EQ(SumSeries(m, "hotline_call_ring_seconds_count"), t.answered);
  EXPECT_EQ(Bucket(m, "hotline_call_ring_seconds", 9), t.answered_within_9s);
  EXPECT_EQ(SumSeries(m, "hotline_call_talk_seconds_count"), t.talked);
  EXPECT_EQ(SumSeries(m, "hotline_call_talk_seconds_sum"), t.talk_seconds_total);
  EXPECT_EQ(Bucket(m, "hotline_call_talk_seconds", 150), t.talked_within_150s);
  EXPECT_GT(t.talked_within_150s, 0);
  EXPECT_LT(t.talked_within_150s, t.talked);
  EXPECT_EQ(SumSeries(m, "hotline_call_wait_seconds_count"), t.answered + t.abandoned);
  EXPECT_EQ(SumSeries(m, "hotline_call_transfers_total"), t.transfer_events);
  EXPECT_EQ(SumSeries(m, "hotline_call_mute_seconds_count"), t.mutes);
  EXPECT_EQ(Bucket(m, "hotline_call_mute_seconds", 30), t.mutes - t.mutes_over_30s);

  // One call's timeline, whatever order its events came in.
  grpc::ClientContext context;
  Authorize(context, "supervisor");
  intake::v1::GetCallRequest request;
  request.set_call_id(day.events[0].call_id());
  intake::v1::CallRecord call;
  ASSERT_TRUE(stub->GetCall(&context, request, &call).ok());
  ASSERT_GT(call.timeline_size(), 1);
  for (int i = 1; i < call.timeline_size(); ++i) {
    EXPECT_LE(call.timeline(i - 1).at().seconds(), call.timeline(i).at().seconds());
  }
  EXPECT_TRUE(call.ended());
  EXPECT_FALSE(call.waiting());
}

TEST_F(CallsTest, RolesAreChecked) {
  auto stub = Stub();
  CallEvent event;
  event.set_event_id("roles-e1");
  event.set_call_id("roles-c1");
  event.set_queue("repair");
  event.mutable_at()->set_seconds(absl::ToUnixSeconds(kDayStart));
  event.mutable_queued();
  for (const char* role : {"agent", "supervisor", "shift_leader", "branch"}) {
    grpc::ClientContext context;
    Authorize(context, role);
    intake::v1::RecordCallEventResponse response;
    EXPECT_EQ(stub->RecordCallEvent(&context, event, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
  }
  {
    grpc::ClientContext context;
    intake::v1::RecordCallEventResponse response;
    EXPECT_EQ(stub->RecordCallEvent(&context, event, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext context;
    Authorize(context, "agent");
    intake::v1::StreamCallEventsResponse response;
    auto writer = stub->StreamCallEvents(&context, &response);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  for (const char* role : {"agent", "service", "branch"}) {
    grpc::ClientContext context;
    Authorize(context, role);
    intake::v1::GetLiveQueueRequest request;
    intake::v1::GetLiveQueueResponse response;
    EXPECT_EQ(stub->GetLiveQueue(&context, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
    grpc::ClientContext stats_context;
    Authorize(stats_context, role);
    intake::v1::GetCallStatsRequest stats_request;
    CallStats stats;
    EXPECT_EQ(stub->GetCallStats(&stats_context, stats_request, &stats).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
  }
  for (const char* role : {"supervisor", "shift_leader", "admin"}) {
    grpc::ClientContext context;
    Authorize(context, role);
    intake::v1::GetLiveQueueRequest request;
    intake::v1::GetLiveQueueResponse response;
    EXPECT_TRUE(stub->GetLiveQueue(&context, request, &response).ok()) << role;
  }
  // An agent sets its own state (its token's name), not another's.
  intake::v1::SetAgentStateRequest own;
  own.set_agent_id("e2e-agent");
  own.set_state(intake::v1::AGENT_STATE_LOGGED_IN);
  own.add_queues("repair");
  {
    grpc::ClientContext context;
    Authorize(context, "agent");
    intake::v1::SetAgentStateResponse response;
    grpc::Status s = stub->SetAgentState(&context, own, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(response.state(), intake::v1::AGENT_STATE_LOGGED_IN);
  }
  {
    intake::v1::SetAgentStateRequest other = own;
    other.set_agent_id("agent-07");
    grpc::ClientContext context;
    Authorize(context, "agent");
    intake::v1::SetAgentStateResponse response;
    EXPECT_EQ(stub->SetAgentState(&context, other, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    Authorize(context, "supervisor");
    intake::v1::SetAgentStateResponse response;
    EXPECT_EQ(stub->SetAgentState(&context, own, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(CallsTest, BadInputIsRefusedNamingTheFieldAndStoresNothing) {
  auto stub = Stub();
  CallEvent good;
  good.set_event_id("bad-e1");
  good.set_call_id("bad-c1");
  good.set_queue("repair");
  good.mutable_at()->set_seconds(absl::ToUnixSeconds(kDayStart));
  good.mutable_queued();
  CallEvent bad = good;
  bad.set_event_id("bad-e2");
  bad.mutable_answered()->set_agent_id("agent-01");
  bad.mutable_answered()->set_ring_seconds(-3);
  {
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::RecordCallEventResponse response;
    grpc::Status s = stub->RecordCallEvent(&context, bad, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(s.error_message(), "answered.ring_seconds")) << s.error_message();
  }
  // A time ahead of the server's clock (a CTI clock gone wrong) would make
  // every later real event look stale: refused.
  {
    CallEvent ahead = good;
    ahead.set_event_id("bad-e3");
    ahead.mutable_at()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::RecordCallEventResponse response;
    grpc::Status s = stub->RecordCallEvent(&context, ahead, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_TRUE(absl::StrContains(s.error_message(), "at: must not be more than"))
        << s.error_message();
  }
  {
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::SetAgentStateRequest request;
    request.set_agent_id("agent-ahead");
    request.set_state(intake::v1::AGENT_STATE_LOGGED_IN);
    request.add_queues("repair");
    request.mutable_at()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
    intake::v1::SetAgentStateResponse response;
    grpc::Status s = stub->SetAgentState(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_TRUE(absl::StrContains(s.error_message(), "at: must not be more than"))
        << s.error_message();
  }
  {
    grpc::Status s;
    Stream({good, bad}, 10, &s);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(),
              "batch 1: events[1].answered.ring_seconds: must be between 0 and 86400 (got -3)");
  }
  {
    grpc::ClientContext context;
    Authorize(context, "supervisor");
    intake::v1::GetCallRequest request;
    request.set_call_id("bad-c1");
    intake::v1::CallRecord call;
    EXPECT_EQ(stub->GetCall(&context, request, &call).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    Authorize(context, "supervisor");
    intake::v1::GetCallStatsRequest request;
    request.mutable_period()->mutable_from()->set_seconds(absl::ToUnixSeconds(kDayStart));
    CallStats stats;
    grpc::Status s = stub->GetCallStats(&context, request, &stats);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(), "period.to: required");
  }
  {
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::SetAgentStateRequest request;
    request.set_agent_id("agent-01");
    request.set_state(intake::v1::AGENT_STATE_LOGGED_IN);
    intake::v1::SetAgentStateResponse response;
    grpc::Status s = stub->SetAgentState(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(), "queues: required when logging in");
  }
}

}  // namespace
}  // namespace hotline::testing
