// The sla service with the other four, over gRPC, on real PostgreSQL and
// Redis, with test clocks instead of waiting: a repair order nobody
// acknowledges breaches its dispatch clock, the breach reaches a WatchEvents
// stream, the urging reaches the ticket's history in intake, and the ticket
// is overdue in both services; a complaint's due time skips a public
// holiday; milestones that fell due while sla was down fire once after it
// starts; two sla replicas fire every milestone once.

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "hotline/common/v1/test_clock.grpc.pb.h"
#include "hotline/sla/v1/sla.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers
namespace sv1 = hotline::sla::v1;
namespace iv1 = hotline::intake::v1;

// Polls `done` until it holds or `timeout` passes.
template <typename Fn>
bool Eventually(Fn done, absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time end = absl::Now() + timeout;
  while (absl::Now() < end) {
    if (done()) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return done();
}

// A WatchEvents stream read on its own thread.
class Watch {
 public:
  Watch(const Backend& backend, const std::string& service, int64_t after_sequence) {
    stub_ = sv1::SlaTracker::NewStub(backend.Channel(service));
    context_ = Call(backend.Token("shift_leader"), absl::Minutes(5));
    sv1::WatchEventsRequest request;
    request.set_after_sequence(after_sequence);
    reader_ = stub_->WatchEvents(context_.get(), request);
    thread_ = std::thread([this] {
      sv1::SlaAction action;
      while (reader_->Read(&action)) {
        std::lock_guard<std::mutex> lock(mu_);
        actions_.push_back(action);
      }
    });
  }
  ~Watch() {
    context_->TryCancel();
    thread_.join();
  }

  // The actions received so far about `ticket_id`.
  std::vector<sv1::SlaAction> Of(const std::string& ticket_id) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<sv1::SlaAction> out;
    for (const sv1::SlaAction& a : actions_) {
      if (a.clock().ticket_id() == ticket_id) {
        out.push_back(a);
      }
    }
    return out;
  }

 private:
  std::unique_ptr<sv1::SlaTracker::Stub> stub_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<sv1::SlaAction>> reader_;
  std::mutex mu_;
  std::vector<sv1::SlaAction> actions_;
  std::thread thread_;
};

std::vector<std::string> Kinds(const std::vector<sv1::SlaAction>& actions) {
  std::vector<std::string> out;
  for (const sv1::SlaAction& a : actions) {
    out.push_back(sv1::ActionKind_Name(a.kind()));
  }
  return out;
}

BackendOptions WithTestClocks() {
  BackendOptions options;
  options.extra_env["intake"] = {"HOTLINE_TEST_CLOCK=true"};
  options.extra_env["sla"] = {"HOTLINE_TEST_CLOCK=true"};
  return options;
}

grpc::Status SetTime(const Backend& backend, const std::string& service, absl::Time at) {
  auto stub = common::v1::TestClock::NewStub(backend.Channel(service));
  common::v1::SetTimeRequest request;
  *request.mutable_now() = ToProtoTime(at);
  common::v1::TestClockTime time;
  auto context = Call(backend.Token("admin"));
  return stub->SetTime(context.get(), request, &time);
}

absl::StatusOr<iv1::CreateTicketResponse> CreateRepair(const Backend& backend,
                                                       const std::string& key, int house) {
  auto intake = iv1::TicketIntake::NewStub(backend.Channel("intake"));
  iv1::CreateTicketResponse created;
  auto context = Call(backend.Token("agent"));
  grpc::Status status =
      intake->CreateTicket(context.get(), RepairInTheCrewsTerritory(key, house), &created);
  if (!status.ok()) {
    return absl::InternalError(status.error_message());
  }
  return created;
}

std::vector<sv1::Clock> ClocksOf(const Backend& backend, const std::string& ticket_id) {
  auto sla = sv1::SlaTracker::NewStub(backend.Channel("sla"));
  sv1::GetClocksRequest request;
  request.set_ticket_id(ticket_id);
  sv1::GetClocksResponse response;
  auto context = Call(backend.Token("shift_leader"));
  grpc::Status status = sla->GetClocks(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.clocks().begin(), response.clocks().end()};
}

// The ticket's history entries written from sla's actions.
std::vector<iv1::HistoryEntry> DeadlineHistory(const Backend& backend,
                                               const std::string& ticket_id) {
  auto intake = iv1::TicketIntake::NewStub(backend.Channel("intake"));
  iv1::GetHistoryRequest request;
  request.set_ticket_id(ticket_id);
  request.mutable_page()->set_page_size(500);
  iv1::GetHistoryResponse response;
  auto context = Call(backend.Token("shift_leader"));
  grpc::Status status = intake->GetHistory(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<iv1::HistoryEntry> out;
  for (const iv1::HistoryEntry& e : response.entries()) {
    if (e.action() == iv1::HISTORY_ACTION_DEADLINE) {
      out.push_back(e);
    }
  }
  return out;
}

// --- a repair nobody acknowledges --------------------------------------------

class SlaBreachTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = Backend::Start(WithTestClocks());
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = started->release();
    dv1::Branch saved;
    grpc::Status status = RegisterRepairCrew(*backend_, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  static void TearDownTestSuite() { delete backend_; }

  static Backend* backend_;
};

Backend* SlaBreachTest::backend_ = nullptr;

TEST_F(SlaBreachTest, ARepairNobodyAcknowledgesBreachesIsUrgedAndListedOverdue) {
  Watch watch(*backend_, "sla", 0);
  absl::StatusOr<iv1::CreateTicketResponse> created = CreateRepair(*backend_, "sla-breach-1", 8);
  ASSERT_TRUE(created.ok()) << created.status();
  const iv1::Ticket& ticket = created->ticket();
  const absl::Time created_at = FromProtoTime(ticket.created_at());
  ASSERT_EQ(ticket.deadlines_size(), 1) << ticket.DebugString();
  EXPECT_EQ(ticket.deadlines(0).kind(), iv1::DEADLINE_KIND_SEND_ORDER);
  EXPECT_EQ(FromProtoTime(ticket.deadlines(0).due_at()), created_at + absl::Minutes(5))
      << "sla's dispatch policy: 5 minutes round the clock";
  EXPECT_FALSE(ticket.deadlines_pending());

  // The order reaches BR-1, which never acknowledges it. Six minutes later
  // on both services' clocks:
  ASSERT_TRUE(Eventually([&] { return ClocksOf(*backend_, ticket.ticket_id()).size() >= 2; }))
      << "the dispatch and arrival clocks start from intake's and dispatch's events\n"
      << backend_->Log("sla");
  const absl::Time later = absl::Now() + absl::Minutes(6);
  ASSERT_TRUE(SetTime(*backend_, "sla", later).ok());
  ASSERT_TRUE(SetTime(*backend_, "intake", later).ok());

  ASSERT_TRUE(Eventually([&] { return watch.Of(ticket.ticket_id()).size() >= 4; }))
      << "actions seen: " << ::testing::PrintToString(Kinds(watch.Of(ticket.ticket_id())));
  const std::vector<sv1::SlaAction> actions = watch.Of(ticket.ticket_id());
  EXPECT_EQ(Kinds(actions), (std::vector<std::string>{"ACTION_KIND_WARNING", "ACTION_KIND_WARNING",
                                                      "ACTION_KIND_BREACH", "ACTION_KIND_URGING"}));
  EXPECT_EQ(actions[2].clock().stage(), sv1::STAGE_DISPATCH);
  EXPECT_EQ(FromProtoTime(actions[2].at()), created_at + absl::Minutes(5));

  // A desktop that reconnects with the last sequence it saw gets the rest.
  Watch resumed(*backend_, "sla", actions[1].sequence());
  ASSERT_TRUE(Eventually([&] { return resumed.Of(ticket.ticket_id()).size() >= 2; }));
  EXPECT_EQ(resumed.Of(ticket.ticket_id())[0].sequence(), actions[2].sequence());
  absl::StatusOr<std::string> metrics = backend_->ScrapeMetrics("sla");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(
      SumSeries(*metrics, "hotline_sla_breaches_total", {"stage=\"dispatch\"", "type=\"repair\""}),
      1)
      << *metrics;
  EXPECT_EQ(SumSeries(*metrics, "hotline_sla_escalations_total", {"level=\"urging\""}), 1);
  EXPECT_EQ(SumSeries(*metrics, "hotline_sla_warnings_total", {"stage=\"dispatch\""}), 2);
  // Supervisors see the one clock past due, under its responsible unit.
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<std::string> now = backend_->ScrapeMetrics("sla");
    return now.ok() && SumSeries(*now, "hotline_sla_overdue_clocks", {}) == 1;
  })) << *backend_->ScrapeMetrics("sla");

  // The urging is in the ticket's history at intake.
  ASSERT_TRUE(Eventually([&] {
    for (const iv1::HistoryEntry& e : DeadlineHistory(*backend_, ticket.ticket_id())) {
      if (absl::StrContains(e.detail(), "urging")) {
        return true;
      }
    }
    return false;
  })) << backend_->Log("intake");

  // Overdue in sla ...
  auto sla = sv1::SlaTracker::NewStub(backend_->Channel("sla"));
  sv1::ListOverdueRequest overdue_request;
  overdue_request.set_stage(sv1::STAGE_DISPATCH);
  sv1::ListOverdueResponse overdue;
  auto context = Call(backend_->Token("shift_leader"));
  ASSERT_TRUE(sla->ListOverdue(context.get(), overdue_request, &overdue).ok());
  bool listed = false;
  for (const sv1::Clock& c : overdue.clocks()) {
    listed = listed || c.ticket_id() == ticket.ticket_id();
  }
  EXPECT_TRUE(listed) << overdue.DebugString();

  // ... and in intake's overdue filter.
  auto intake = iv1::TicketIntake::NewStub(backend_->Channel("intake"));
  iv1::ListTicketsRequest list;
  list.set_overdue_only(true);
  iv1::ListTicketsResponse tickets;
  context = Call(backend_->Token("shift_leader"));
  ASSERT_TRUE(intake->ListTickets(context.get(), list, &tickets).ok());
  listed = false;
  for (const iv1::Ticket& t : tickets.tickets()) {
    listed = listed || t.ticket_id() == ticket.ticket_id();
  }
  EXPECT_TRUE(listed);
}

TEST_F(SlaBreachTest, BadClockMovesAreRefusedNamingTheFieldAndChangeNothing) {
  auto sla = sv1::SlaTracker::NewStub(backend_->Channel("sla"));
  sv1::StartClockRequest start;
  start.set_idempotency_key("sla-bad-moves-1");
  start.set_ticket_id("6a1f0c2e-9d3b-4e5f-8a7b-1c2d3e4f5a6b");
  start.set_ticket_type(common::v1::TICKET_TYPE_COMPLAINT);
  start.set_stage(sv1::STAGE_CUSTOMER_REPLY);
  sv1::StartClockResponse started;
  auto context = Call(backend_->Token("agent"));
  grpc::Status status = sla->StartClock(context.get(), start, &started);
  ASSERT_TRUE(status.ok()) << status.error_message();

  sv1::StopClockRequest stop;
  stop.mutable_clock()->set_ticket_id(start.ticket_id());
  stop.mutable_clock()->set_stage(sv1::STAGE_CUSTOMER_REPLY);
  *stop.mutable_stopped_at() =
      ToProtoTime(FromProtoTime(started.clock().started_at()) - absl::Hours(1));
  sv1::ClockResponse stopped;
  context = Call(backend_->Token("agent"));
  status = sla->StopClock(context.get(), stop, &stopped);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "stopped_at: before the clock's start"))
      << status.error_message();

  sv1::ResumeClockRequest resume;
  *resume.mutable_clock() = stop.clock();
  context = Call(backend_->Token("agent"));
  status = sla->ResumeClock(context.get(), resume, &stopped);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << "not paused";

  std::vector<sv1::Clock> clocks = ClocksOf(*backend_, start.ticket_id());
  ASSERT_EQ(clocks.size(), 1u);
  EXPECT_EQ(clocks[0].state(), sv1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(clocks[0].due_at().seconds(), started.clock().due_at().seconds());
}

// --- a complaint before a public holiday --------------------------------------

TEST(SlaCalendarTest, AComplaintOnTheFridayBeforeAHolidayShowsTheWorkingDayDueTime) {
  auto started = Backend::Start(WithTestClocks());
  ASSERT_TRUE(started.ok()) << started.status();
  const Backend& backend = **started;
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));

  // Monday 2027-04-05 is a public holiday (Qingming).
  auto sla = sv1::SlaTracker::NewStub(backend.Channel("sla"));
  sv1::SetCalendarRequest calendar;
  calendar.mutable_calendar()->add_holidays("2027-04-05");
  sv1::Calendar saved;
  auto context = Call(backend.Token("admin"));
  grpc::Status status = sla->SetCalendar(context.get(), calendar, &saved);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const absl::Time friday = absl::FromCivil(absl::CivilSecond(2027, 4, 2, 15, 0, 0), shanghai);
  ASSERT_TRUE(SetTime(backend, "intake", friday).ok());
  ASSERT_TRUE(SetTime(backend, "sla", friday).ok());

  auto intake = iv1::TicketIntake::NewStub(backend.Channel("intake"));
  iv1::CreateTicketRequest request;
  request.set_idempotency_key("sla-complaint-1");
  request.set_type(common::v1::TICKET_TYPE_COMPLAINT);
  request.set_channel(common::v1::CHANNEL_PHONE);
  request.mutable_customer()->set_name("Li Lei");
  request.mutable_customer()->set_phone("13812345678");
  request.set_description("the bill doubled without reason");
  request.mutable_details()->mutable_complaint()->set_category(iv1::COMPLAINT_CATEGORY_BUSINESS);
  iv1::CreateTicketResponse created;
  context = Call(backend.Token("agent"));
  status = intake->CreateTicket(context.get(), request, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(created.ticket().deadlines_size(), 1) << created.ticket().DebugString();
  EXPECT_EQ(created.ticket().deadlines(0).kind(), iv1::DEADLINE_KIND_RESULT);
  // Two working days: the rest of Friday, no weekend, no holiday Monday,
  // all of Tuesday, Wednesday to 15:00.
  // (The test clock runs on from Friday 15:00 while the ticket is taken.)
  const absl::Duration taken_after = FromProtoTime(created.ticket().created_at()) - friday;
  EXPECT_EQ(FromProtoTime(created.ticket().deadlines(0).due_at()),
            absl::FromCivil(absl::CivilSecond(2027, 4, 7, 15, 0, 0), shanghai) + taken_after);
}

// --- restart and replicas ------------------------------------------------------

// Waits until every clock of the repairs is supervised, then checks that
// each fired its five actions once, in sla and in intake's history.
void ExpectEachRepairEscalatedOnce(const Backend& backend, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    ASSERT_TRUE(Eventually([&] {
      for (const sv1::Clock& c : ClocksOf(backend, id)) {
        if (c.stage() == sv1::STAGE_DISPATCH) {
          return c.escalation() == sv1::ESCALATION_SUPERVISED;
        }
      }
      return false;
    })) << id
        << "\n"
        << backend.Log("sla");
  }
  Watch all(backend, "sla", 0);  // every action from the first
  for (const std::string& id : ids) {
    ASSERT_TRUE(Eventually([&] { return DeadlineHistory(backend, id).size() >= 5; }))
        << id << "\n"
        << backend.Log("intake");
  }
  absl::SleepFor(absl::Seconds(2));  // time for a duplicate to show, were there one
  for (const std::string& id : ids) {
    std::vector<std::string> dispatch_kinds;
    for (const sv1::SlaAction& a : all.Of(id)) {
      if (a.clock().stage() == sv1::STAGE_DISPATCH) {
        dispatch_kinds.push_back(sv1::ActionKind_Name(a.kind()));
      }
    }
    EXPECT_EQ(dispatch_kinds,
              (std::vector<std::string>{"ACTION_KIND_WARNING", "ACTION_KIND_WARNING",
                                        "ACTION_KIND_BREACH", "ACTION_KIND_URGING",
                                        "ACTION_KIND_SUPERVISION"}))
        << id;
    EXPECT_EQ(DeadlineHistory(backend, id).size(), all.Of(id).size()) << id;
  }
}

TEST(SlaRestartTest, MilestonesThatFellDueWhileSlaWasDownFireOnceAfterItStarts) {
  auto started = Backend::Start(WithTestClocks());
  ASSERT_TRUE(started.ok()) << started.status();
  Backend& backend = **started;
  dv1::Branch saved;
  ASSERT_TRUE(RegisterRepairCrew(backend, &saved).ok());
  std::vector<std::string> ids;
  for (int house = 1; house <= 3; ++house) {
    absl::StatusOr<iv1::CreateTicketResponse> created =
        CreateRepair(backend, absl::StrCat("sla-restart-", house), house);
    ASSERT_TRUE(created.ok()) << created.status();
    ids.push_back(created->ticket().ticket_id());
  }
  for (const std::string& id : ids) {
    ASSERT_TRUE(Eventually([&] { return !ClocksOf(backend, id).empty(); }));
  }
  // Killed; an hour passes (on its clock once it is back) before it runs again.
  ASSERT_TRUE(backend.Stop("sla", SIGKILL).ok());
  ASSERT_TRUE(backend.Restart("sla").ok());
  ASSERT_TRUE(SetTime(backend, "sla", absl::Now() + absl::Hours(1)).ok());
  ExpectEachRepairEscalatedOnce(backend, ids);
}

TEST(SlaReplicaTest, TwoReplicasOnOneDatabaseFireEveryMilestoneOnce) {
  auto started = Backend::Start(WithTestClocks());
  ASSERT_TRUE(started.ok()) << started.status();
  Backend& backend = **started;
  dv1::Branch saved;
  ASSERT_TRUE(RegisterRepairCrew(backend, &saved).ok());
  absl::StatusOr<std::string> replica = backend.StartReplica("sla");
  ASSERT_TRUE(replica.ok()) << replica.status();
  std::vector<std::string> ids;
  for (int house = 1; house <= 6; ++house) {
    absl::StatusOr<iv1::CreateTicketResponse> created =
        CreateRepair(backend, absl::StrCat("sla-replica-", house), house);
    ASSERT_TRUE(created.ok()) << created.status();
    ids.push_back(created->ticket().ticket_id());
  }
  for (const std::string& id : ids) {
    ASSERT_TRUE(Eventually([&] { return !ClocksOf(backend, id).empty(); }));
  }
  const absl::Time later = absl::Now() + absl::Hours(1);
  ASSERT_TRUE(SetTime(backend, "sla", later).ok());
  ASSERT_TRUE(SetTime(backend, *replica, later).ok());
  ExpectEachRepairEscalatedOnce(backend, ids);
}

}  // namespace
}  // namespace hotline::testing
