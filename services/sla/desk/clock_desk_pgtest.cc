// The clock desk and the timer against a real PostgreSQL: clocks started and
// stopped by intake's and dispatch's events, milestones fired once (also with
// two timers on one database), and the RPC moves.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "libs/clock/clock.h"
#include "libs/events/publisher.h"
#include "libs/pg/migrations.h"
#include "libs/pg/notifications.h"
#include "libs/pg/transaction.h"
#include "libs/proto_time/proto_time.h"
#include "services/sla/desk/clock_desk.h"
#include "services/sla/desk/clock_timer.h"
#include "services/sla/domain/policy.h"
#include "sla_migrations.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::sla {
namespace {

// Monday 2026-12-07 10:00 in Asia/Shanghai.
absl::Time Monday10() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilSecond(2026, 12, 7, 10, 0, 0), zone);
}

class ClockDeskTest : public ::testing::Test {
 protected:
  ClockDeskTest() : clock_(Monday10()) {}

  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("sla_desk");
    uri_ = options.uri;
    options.size = 6;
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "sla", sla_migrations()).ok());
    metrics_ = std::make_unique<SlaMetrics>(registry_);
    desk_ = std::make_unique<ClockDesk>(*pool_, settings_, clock_, *metrics_);
    ASSERT_TRUE(desk_->Seed(DefaultPolicies(), "default", std::nullopt, "").ok());
    timer_ = MakeTimer();
  }

  std::unique_ptr<ClockTimer> MakeTimer() {
    return std::make_unique<ClockTimer>(*pool_, *desk_, *metrics_, feed_, clock_,
                                        absl::Milliseconds(50), 3, nullptr);
  }

  absl::Status Apply(const common::v1::Event& event) {
    return pg::WithTransaction(*pool_,
                               [&](pqxx::work& tx) { return desk_->ApplyEvent(tx, event); });
  }

  common::v1::Event Created(const std::string& ticket_id, common::v1::TicketType type,
                            absl::Time at) {
    intake::v1::TicketCreated t;
    t.set_ticket_id(ticket_id);
    t.set_ticket_number(absl::StrCat("GD-20261207-", ++number_));
    t.set_type(type);
    t.set_channel(common::v1::CHANNEL_PHONE);
    t.mutable_address()->set_area_class(common::v1::AREA_CLASS_URBAN);
    *t.mutable_created_at() = ToProtoTime(at);
    return Envelope("ticket.created", ticket_id, t);
  }

  common::v1::Event Order(const std::string& topic, const std::string& ticket_id,
                          const std::string& branch, absl::Time at,
                          const std::string& returned_by = "") {
    dispatch::v1::OrderEvent o;
    o.set_order_id(absl::StrCat("order-", ticket_id));
    o.set_ticket_id(ticket_id);
    o.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
    o.set_area_class(common::v1::AREA_CLASS_URBAN);
    o.set_branch_id(branch);
    o.set_returned_by(returned_by);
    o.set_superior_branch_id("BR-DISTRICT");
    *o.mutable_occurred_at() = ToProtoTime(at);
    return Envelope(topic, ticket_id, o);
  }

  common::v1::Event Envelope(const std::string& topic, const std::string& key,
                             const google::protobuf::Message& payload) {
    common::v1::Event e;
    e.set_event_id(events::NewUuid());
    e.set_topic(topic);
    e.set_key(key);
    e.set_sequence(++sequence_);
    e.mutable_payload()->PackFrom(payload);
    return e;
  }

  ClockRecord ClockOf(const std::string& ticket_id, v1::Stage stage, const std::string& unit) {
    absl::StatusOr<std::vector<ClockRecord>> clocks = desk_->Clocks(ticket_id);
    EXPECT_TRUE(clocks.ok()) << clocks.status();
    for (const ClockRecord& c : *clocks) {
      if (c.stage == stage && c.unit == unit) {
        return c;
      }
    }
    ADD_FAILURE() << "no " << v1::Stage_Name(stage) << " clock for '" << unit << "'";
    return ClockRecord();
  }

  // Rows of the outbox to intake with `topic`.
  int64_t Outbox(const std::string& topic) {
    absl::StatusOr<int64_t> n =
        pg::WithTransactionResult<int64_t>(*pool_, [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
          return tx.exec_params1("SELECT count(*) FROM sla.outbox WHERE topic = $1", topic)[0]
              .as<int64_t>();
        });
    EXPECT_TRUE(n.ok()) << n.status();
    return n.value_or(-1);
  }

  // Kinds of the actions recorded for a clock, in order.
  std::vector<std::string> Actions(const std::string& clock_id) {
    absl::StatusOr<std::vector<std::string>> kinds =
        pg::WithTransactionResult<std::vector<std::string>>(
            *pool_, [&](pqxx::work& tx) -> absl::StatusOr<std::vector<std::string>> {
              std::vector<std::string> out;
              for (const pqxx::row& row : tx.exec_params(
                       "SELECT kind FROM sla.actions WHERE clock_id = $1::uuid ORDER BY sequence",
                       clock_id)) {
                out.push_back(row[0].as<std::string>());
              }
              return out;
            });
    EXPECT_TRUE(kinds.ok()) << kinds.status();
    return kinds.value_or(std::vector<std::string>{});
  }

  SlaSettings settings_;
  clock::ManualClock clock_;
  prometheus::Registry registry_;
  std::string uri_;
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<SlaMetrics> metrics_;
  rpc::WakeFeed feed_;
  std::unique_ptr<ClockDesk> desk_;
  std::unique_ptr<ClockTimer> timer_;
  int number_ = 0;
  int64_t sequence_ = 0;
};

TEST_F(ClockDeskTest, ARepairNobodyDispatchesWarnsBreachesIsUrgedAndSupervisedOnce) {
  const std::string ticket = events::NewUuid();
  ASSERT_TRUE(Apply(Created(ticket, common::v1::TICKET_TYPE_REPAIR, clock_.Now())).ok());
  ClockRecord clock = ClockOf(ticket, v1::STAGE_DISPATCH, "");
  EXPECT_EQ(clock.state, v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(clock.due_at, clock_.Now() + absl::Minutes(5));
  EXPECT_EQ(Outbox("sla.clock"), 1) << "intake learns the ticket's due time";

  clock_.Advance(absl::Minutes(2));  // 40%: nothing yet
  EXPECT_EQ(timer_->FireAllDue().value_or(-1), 0);
  clock_.Advance(absl::Minutes(2) + absl::Seconds(30));  // 90%: both warnings
  EXPECT_EQ(timer_->FireAllDue().value_or(-1), 2);
  clock_.Advance(absl::Seconds(31));  // past due: breach and urging
  EXPECT_EQ(timer_->FireAllDue().value_or(-1), 2);
  EXPECT_EQ(timer_->FireAllDue().value_or(-1), 0) << "fired once";
  clock = ClockOf(ticket, v1::STAGE_DISPATCH, "");
  EXPECT_TRUE(clock.breached);
  EXPECT_EQ(clock.escalation, v1::ESCALATION_BREACHED);

  clock_.Advance(absl::Minutes(30));  // the supervision case
  EXPECT_EQ(timer_->FireAllDue().value_or(-1), 1);
  EXPECT_EQ(Actions(clock.clock_id),
            (std::vector<std::string>{"warning", "warning", "breach", "urging", "supervision"}));
  EXPECT_EQ(Outbox("sla.action"), 5) << "every action reaches the ticket's history";

  absl::StatusOr<OverduePage> overdue = desk_->Overdue({}, "", 10);
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  ASSERT_EQ(overdue->clocks.size(), 1u);
  EXPECT_EQ(overdue->clocks[0].ticket_id, ticket);
}

TEST_F(ClockDeskTest, TwoTimersOnOneDatabaseFireEveryMilestoneOnce) {
  std::vector<std::string> tickets;
  for (int i = 0; i < 20; ++i) {
    tickets.push_back(events::NewUuid());
    ASSERT_TRUE(Apply(Created(tickets.back(), common::v1::TICKET_TYPE_REPAIR, clock_.Now())).ok());
  }
  clock_.Advance(absl::Hours(1));  // every milestone of every clock is due
  std::unique_ptr<ClockTimer> other = MakeTimer();
  std::atomic<int> fired{0};
  std::thread a([&] { fired += timer_->FireAllDue().value_or(-1000); });
  std::thread b([&] { fired += other->FireAllDue().value_or(-1000); });
  a.join();
  b.join();
  EXPECT_EQ(fired.load(), 20 * 5);
  EXPECT_EQ(Outbox("sla.action"), 20 * 5);
  for (const std::string& ticket : tickets) {
    EXPECT_EQ(Actions(ClockOf(ticket, v1::STAGE_DISPATCH, "").clock_id).size(), 5u);
  }
}

TEST_F(ClockDeskTest, TheAcknowledgementStopsTheDispatchClockAndAReturnRestartsArrival) {
  const std::string ticket = events::NewUuid();
  const absl::Time created = clock_.Now();
  ASSERT_TRUE(Apply(Created(ticket, common::v1::TICKET_TYPE_REPAIR, created)).ok());
  ASSERT_TRUE(Apply(Order("order.dispatched", ticket, "BR-A", created + absl::Minutes(3))).ok());
  EXPECT_EQ(ClockOf(ticket, v1::STAGE_DISPATCH, "").state, v1::CLOCK_STATE_RUNNING)
      << "the order is not sent until the branch has it";
  ASSERT_TRUE(Apply(Order("order.accepted", ticket, "BR-A", created + absl::Minutes(4))).ok());
  ClockRecord dispatch_clock = ClockOf(ticket, v1::STAGE_DISPATCH, "");
  EXPECT_EQ(dispatch_clock.stopped_at, created + absl::Minutes(4));
  EXPECT_EQ(dispatch_clock.state, v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(dispatch_clock.stop_reason, "met");
  EXPECT_FALSE(dispatch_clock.breached);
  ClockRecord arrival_a = ClockOf(ticket, v1::STAGE_ARRIVAL, "BR-A");
  EXPECT_EQ(arrival_a.due_at, created + absl::Minutes(3 + 45)) << "urban arrival: 45 minutes";
  EXPECT_EQ(arrival_a.superior_unit, "BR-DISTRICT");

  ASSERT_TRUE(
      Apply(Order("order.returned", ticket, "BR-B", created + absl::Minutes(20), "BR-A")).ok());
  arrival_a = ClockOf(ticket, v1::STAGE_ARRIVAL, "BR-A");
  EXPECT_EQ(arrival_a.state, v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(arrival_a.stop_reason, "returned");
  ClockRecord arrival_b = ClockOf(ticket, v1::STAGE_ARRIVAL, "BR-B");
  EXPECT_EQ(arrival_b.state, v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(arrival_b.started_at, created + absl::Minutes(20));
  EXPECT_EQ(arrival_b.due_at, created + absl::Minutes(20 + 45));
}

TEST_F(ClockDeskTest, AnOrderSentBackToItsBranchTimesTheBranchAgainAsANewRound) {
  const std::string ticket = events::NewUuid();
  const absl::Time created = clock_.Now();
  ASSERT_TRUE(Apply(Created(ticket, common::v1::TICKET_TYPE_REPAIR, created)).ok());
  ASSERT_TRUE(Apply(Order("order.dispatched", ticket, "BR-A", created + absl::Minutes(3))).ok());
  ASSERT_TRUE(Apply(Order("order.accepted", ticket, "BR-A", created + absl::Minutes(4))).ok());
  ASSERT_TRUE(Apply(Order("order.resolved", ticket, "BR-A", created + absl::Minutes(40))).ok());
  // The customer is not satisfied: dispatch sends the order back to BR-A two days later.
  const absl::Time reopened = created + absl::Hours(48);
  const common::v1::Event again = Order("order.dispatched", ticket, "BR-A", reopened);
  ASSERT_TRUE(Apply(again).ok());
  ASSERT_TRUE(Apply(again).ok()) << "the same event twice starts one round";

  absl::StatusOr<std::vector<ClockRecord>> clocks = desk_->Clocks(ticket);
  ASSERT_TRUE(clocks.ok()) << clocks.status();
  std::vector<ClockRecord> arrival;
  int dispatch_clocks = 0;
  for (const ClockRecord& c : *clocks) {
    if (c.stage == v1::STAGE_ARRIVAL && c.unit == "BR-A") {
      arrival.push_back(c);
    }
    dispatch_clocks += c.stage == v1::STAGE_DISPATCH ? 1 : 0;
  }
  ASSERT_EQ(arrival.size(), 2u);
  EXPECT_EQ(arrival[0].state, v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(arrival[0].stop_reason, "met");
  EXPECT_EQ(arrival[0].stopped_at, created + absl::Minutes(40));
  EXPECT_EQ(arrival[1].state, v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(arrival[1].started_at, reopened);
  EXPECT_EQ(arrival[1].due_at, reopened + absl::Minutes(45));
  EXPECT_NE(arrival[1].clock_id, arrival[0].clock_id);
  EXPECT_EQ(dispatch_clocks, 1) << "the ticket's own dispatch clock starts once";

  // The branch's stop reaches the open round.
  ASSERT_TRUE(Apply(Order("order.resolved", ticket, "BR-A", reopened + absl::Minutes(30))).ok());
  clocks = desk_->Clocks(ticket);
  ASSERT_TRUE(clocks.ok()) << clocks.status();
  int stopped_rounds = 0;
  for (const ClockRecord& c : *clocks) {
    if (c.stage == v1::STAGE_ARRIVAL && c.unit == "BR-A" && c.state == v1::CLOCK_STATE_STOPPED &&
        c.stop_reason == "met" && !c.breached) {
      ++stopped_rounds;
    }
  }
  EXPECT_EQ(stopped_rounds, 2);
}

TEST_F(ClockDeskTest, AnAcknowledgementThatArrivesBeforeItsTicketStopsTheClockWhenItComes) {
  const std::string ticket = events::NewUuid();
  const absl::Time created = clock_.Now();
  common::v1::Event created_event = Created(ticket, common::v1::TICKET_TYPE_REPAIR, created);
  ASSERT_TRUE(Apply(Order("order.accepted", ticket, "BR-A", created + absl::Minutes(2))).ok());
  ASSERT_TRUE(Apply(created_event).ok());
  ClockRecord dispatch_clock = ClockOf(ticket, v1::STAGE_DISPATCH, "");
  EXPECT_EQ(dispatch_clock.state, v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(dispatch_clock.stopped_at, created + absl::Minutes(2));
  clock_.Advance(absl::Hours(1));
  timer_->FireAllDue().IgnoreError();
  EXPECT_TRUE(Actions(dispatch_clock.clock_id).empty()) << "a met clock never breaches";
}

TEST_F(ClockDeskTest, AnEventAppliedTwiceStartsOneClock) {
  const std::string ticket = events::NewUuid();
  common::v1::Event created = Created(ticket, common::v1::TICKET_TYPE_COMPLAINT, clock_.Now());
  ASSERT_TRUE(Apply(created).ok());
  ASSERT_TRUE(Apply(created).ok());
  absl::StatusOr<std::vector<ClockRecord>> clocks = desk_->Clocks(ticket);
  ASSERT_TRUE(clocks.ok());
  ASSERT_EQ(clocks->size(), 1u);
  EXPECT_EQ((*clocks)[0].stage, v1::STAGE_COMPLAINT_RESULT);
}

TEST_F(ClockDeskTest, StartIsIdempotentPerCallerKeyAndRefusesTheKeyForAnotherRequest) {
  ClockStart start;
  start.ticket_id = events::NewUuid();
  start.ticket_type = common::v1::TICKET_TYPE_CONSULTATION;
  start.stage = v1::STAGE_CUSTOMER_REPLY;
  start.at = clock_.Now();
  absl::StatusOr<StartResult> first = desk_->Start(start, "agent-1 k1", "digest-a");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  absl::StatusOr<StartResult> again = desk_->Start(start, "agent-1 k1", "digest-a");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->clock.clock_id, first->clock.clock_id);
  absl::StatusOr<StartResult> other = desk_->Start(start, "agent-1 k1", "digest-b");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ClockDeskTest, APausedClockMovesItsDueTimeByThePause) {
  ClockStart start;
  start.ticket_id = events::NewUuid();
  start.ticket_type = common::v1::TICKET_TYPE_COMPLAINT;
  start.stage = v1::STAGE_COMPLAINT_RESULT;  // 48h round the clock
  start.at = clock_.Now();
  ASSERT_TRUE(desk_->Start(start, "a k", "d").ok());
  v1::ClockRef ref;
  ref.set_ticket_id(start.ticket_id);
  ref.set_stage(start.stage);
  ASSERT_TRUE(desk_->Pause(ref, start.at + absl::Hours(10)).ok());
  absl::StatusOr<ClockRecord> resumed = desk_->Resume(ref, start.at + absl::Hours(13));
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->due_at, start.at + absl::Hours(48 + 3));
  EXPECT_EQ(resumed->paused_for, absl::Hours(3));
}

TEST_F(ClockDeskTest, AStopBeforeTheStartIsRefusedAndChangesNothing) {
  ClockStart start;
  start.ticket_id = events::NewUuid();
  start.ticket_type = common::v1::TICKET_TYPE_COMPLAINT;
  start.stage = v1::STAGE_COMPLAINT_RESULT;
  start.at = clock_.Now();
  ASSERT_TRUE(desk_->Start(start, "a k", "d").ok());
  v1::ClockRef ref;
  ref.set_ticket_id(start.ticket_id);
  ref.set_stage(start.stage);
  absl::StatusOr<ClockRecord> stopped = desk_->Stop(ref, start.at - absl::Minutes(1), "");
  EXPECT_EQ(stopped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(stopped.status().message(), "stopped_at: ")) << stopped.status();
  EXPECT_EQ(ClockOf(start.ticket_id, start.stage, "").state, v1::CLOCK_STATE_RUNNING);
}

TEST_F(ClockDeskTest, ARunningClockKeepsThePolicyItStartedWith) {
  const std::string before = events::NewUuid();
  ASSERT_TRUE(Apply(Created(before, common::v1::TICKET_TYPE_REPAIR, clock_.Now())).ok());
  v1::Policy faster;
  faster.set_stage(v1::STAGE_DISPATCH);
  faster.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
  faster.set_measure(v1::MEASURE_ELAPSED);
  faster.mutable_limit()->set_seconds(180);
  absl::StatusOr<v1::Policy> saved = desk_->SetPolicy(faster, "admin");
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->version(), 2) << "the default rule was version 1";

  const std::string after = events::NewUuid();
  ASSERT_TRUE(Apply(Created(after, common::v1::TICKET_TYPE_REPAIR, clock_.Now())).ok());
  EXPECT_EQ(ClockOf(before, v1::STAGE_DISPATCH, "").due_at, clock_.Now() + absl::Minutes(5));
  EXPECT_EQ(ClockOf(before, v1::STAGE_DISPATCH, "").policy_version, 1);
  EXPECT_EQ(ClockOf(after, v1::STAGE_DISPATCH, "").due_at, clock_.Now() + absl::Minutes(3));
  EXPECT_EQ(ClockOf(after, v1::STAGE_DISPATCH, "").policy_version, 2);
}

// The rules are kept in memory (RuleBook): a rule changed through another
// replica reaches this one by the change's NOTIFY, as sla's wiring listens.
TEST_F(ClockDeskTest, ARuleChangedOnAnotherReplicaIsUsedOnceItsNotificationArrives) {
  pg::NotificationListener listener(uri_);
  listener.Listen(kRulesChannel, [this](const std::string&) { desk_->ForgetRules(); });
  listener.Start();
  auto dispatch_due = [&](ClockDesk& desk) -> absl::Time {
    absl::StatusOr<std::vector<v1::StageDeadline>> deadlines =
        desk.Deadlines(common::v1::TICKET_TYPE_REPAIR, common::v1::AREA_CLASS_URBAN,
                       common::v1::CHANNEL_PHONE, "", clock_.Now());
    EXPECT_TRUE(deadlines.ok()) << deadlines.status();
    for (const v1::StageDeadline& d : deadlines.value_or(std::vector<v1::StageDeadline>())) {
      if (d.stage() == v1::STAGE_DISPATCH) {
        return FromProtoTime(d.due_at());
      }
    }
    ADD_FAILURE() << "no dispatch deadline";
    return absl::InfinitePast();
  };
  ASSERT_EQ(dispatch_due(*desk_), clock_.Now() + absl::Minutes(5));

  ClockDesk other(*pool_, settings_, clock_, *metrics_);
  ASSERT_EQ(dispatch_due(other), clock_.Now() + absl::Minutes(5));  // now it keeps them too
  v1::Policy faster;
  faster.set_stage(v1::STAGE_DISPATCH);
  faster.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
  faster.set_measure(v1::MEASURE_ELAPSED);
  faster.mutable_limit()->set_seconds(180);
  ASSERT_TRUE(other.SetPolicy(faster, "admin").ok());
  EXPECT_EQ(dispatch_due(other), clock_.Now() + absl::Minutes(3)) << "the replica that changed it";
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    seen = dispatch_due(*desk_) == clock_.Now() + absl::Minutes(3);
    if (!seen) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  EXPECT_TRUE(seen) << "this replica still quotes the old rule 5 s after the change";
  listener.Stop();
}

TEST_F(ClockDeskTest, AComplaintDueTimeSkipsTheHolidayOfItsRegion) {
  // A department answer (2 working days) asked on Friday 2026-12-11, with
  // Monday 12-14 a holiday of the region: Wednesday 12-16 at the same hour.
  v1::Calendar calendar;
  calendar.set_region("Guangdong");
  calendar.add_holidays("2026-12-14");
  ASSERT_TRUE(desk_->SetCalendar(calendar, "admin").ok());
  absl::TimeZone zone = settings_.Zone();
  const absl::Time friday = absl::FromCivil(absl::CivilSecond(2026, 12, 11, 15, 0, 0), zone);
  absl::StatusOr<std::vector<v1::StageDeadline>> deadlines =
      desk_->Deadlines(common::v1::TICKET_TYPE_QUERY, common::v1::AREA_CLASS_URBAN,
                       common::v1::CHANNEL_PHONE, "Guangdong", friday);
  ASSERT_TRUE(deadlines.ok()) << deadlines.status();
  ASSERT_EQ(deadlines->size(), 1u);
  EXPECT_EQ((*deadlines)[0].stage(), v1::STAGE_DEPARTMENT_ANSWER);
  EXPECT_EQ(FromProtoTime((*deadlines)[0].due_at()),
            absl::FromCivil(absl::CivilSecond(2026, 12, 16, 15, 0, 0), zone));
  // Another region keeps the national calendar (no holiday): Tuesday.
  deadlines = desk_->Deadlines(common::v1::TICKET_TYPE_QUERY, common::v1::AREA_CLASS_URBAN,
                               common::v1::CHANNEL_PHONE, "Hunan", friday);
  ASSERT_TRUE(deadlines.ok());
  EXPECT_EQ(FromProtoTime((*deadlines)[0].due_at()),
            absl::FromCivil(absl::CivilSecond(2026, 12, 15, 15, 0, 0), zone));
}

// sla keeps which regions have a calendar of their own: a region quoted on the
// national calendar and then given one of its own uses its own at once.
TEST_F(ClockDeskTest, ARegionGivenACalendarOfItsOwnUsesItFromTheNextQuote) {
  absl::TimeZone zone = settings_.Zone();
  const absl::Time friday = absl::FromCivil(absl::CivilSecond(2026, 12, 11, 15, 0, 0), zone);
  auto answer_due = [&]() -> absl::Time {
    absl::StatusOr<std::vector<v1::StageDeadline>> deadlines =
        desk_->Deadlines(common::v1::TICKET_TYPE_QUERY, common::v1::AREA_CLASS_URBAN,
                         common::v1::CHANNEL_PHONE, "Fujian", friday);
    EXPECT_TRUE(deadlines.ok()) << deadlines.status();
    if (!deadlines.ok() || deadlines->empty()) {
      return absl::InfinitePast();
    }
    return FromProtoTime((*deadlines)[0].due_at());
  };
  EXPECT_EQ(answer_due(), absl::FromCivil(absl::CivilSecond(2026, 12, 15, 15, 0, 0), zone))
      << "no calendar of its own yet: the national one";
  v1::Calendar calendar;
  calendar.set_region("Fujian");
  calendar.add_holidays("2026-12-14");
  ASSERT_TRUE(desk_->SetCalendar(calendar, "admin").ok());
  EXPECT_EQ(answer_due(), absl::FromCivil(absl::CivilSecond(2026, 12, 16, 15, 0, 0), zone))
      << "its own calendar's holiday";
}

TEST_F(ClockDeskTest, TheShiftReportHandsOverWhatIsOverdueDueSoonEscalatedAndVoicemails) {
  // Monday 10:00 is in the day shift (08:00-16:00).
  const std::string late = events::NewUuid();
  ASSERT_TRUE(Apply(Created(late, common::v1::TICKET_TYPE_REPAIR, clock_.Now())).ok());
  common::v1::Event voicemail =
      Created(events::NewUuid(), common::v1::TICKET_TYPE_COMPLAINT, clock_.Now());
  intake::v1::TicketCreated left;
  ASSERT_TRUE(voicemail.payload().UnpackTo(&left));
  left.set_channel(common::v1::CHANNEL_IVR_VOICEMAIL);
  voicemail.mutable_payload()->PackFrom(left);
  ASSERT_TRUE(Apply(voicemail).ok());
  clock_.Advance(absl::Minutes(6));  // the repair's dispatch clock breached: urged
  ASSERT_GT(timer_->FireAllDue().value_or(0), 0);

  absl::StatusOr<v1::GetShiftReportResponse> report = desk_->ShiftReport("", clock_.Now());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->shift(), "day");
  EXPECT_EQ(FromProtoTime(report->ends_at()),
            absl::FromCivil(absl::CivilSecond(2026, 12, 7, 16, 0, 0), settings_.Zone()));
  ASSERT_EQ(report->overdue_size(), 1);
  EXPECT_EQ(report->overdue(0).ticket_id(), late);
  ASSERT_EQ(report->escalations_size(), 1);
  EXPECT_EQ(report->escalations(0).kind(), v1::ACTION_KIND_URGING);
  ASSERT_EQ(report->voicemails_size(), 1);
  EXPECT_EQ(report->voicemails(0).ticket_id(), left.ticket_id());
  // The voicemail is due at the end of the shift, before the next one ends.
  bool voicemail_due_soon = false;
  for (const v1::Clock& clock : report->due_soon()) {
    voicemail_due_soon = voicemail_due_soon || clock.stage() == v1::STAGE_VOICEMAIL;
  }
  EXPECT_TRUE(voicemail_due_soon);
}

}  // namespace
}  // namespace hotline::sla
