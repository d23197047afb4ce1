// The callback desk against a real PostgreSQL: callbacks scheduled from
// intake's ticket.resolved (once, none for anonymous reports), offered only
// in the calling hours and to one agent at a time (also under concurrency),
// the attempt rules, answers that reopen the matter, a named reporter shown
// to discipline only, and the figures against a fixture computed by hand.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/mutex.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "libs/clock/clock.h"
#include "libs/events/publisher.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/request_digest.h"
#include "services/survey/desk/callback_desk.h"
#include "survey_migrations.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

// Local time in Asia/Shanghai on 2026-12-<day>; the 7th is a Monday.
absl::Time Local(int day, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 12, day, hh, mm, 0), Shanghai());
}

auth::Principal Agent(const std::string& name) { return {name, auth::Role::kAgent, ""}; }
auth::Principal Discipline() { return {"inspector-zhao", auth::Role::kDiscipline, ""}; }

struct OutboxRow {
  std::string destination;
  std::string topic;
  v1::CallbackEvent event;
};

class CallbackDeskTest : public ::testing::Test {
 protected:
  CallbackDeskTest() : clock_(Local(7, 10)) {}

  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("survey_desk");
    options.size = 10;
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "survey", survey_migrations()).ok());
    metrics_ = std::make_unique<SurveyMetrics>(registry_);
    absl::StatusOr<CallingHours> hours = ParseCallingHours("08:00", "21:00", Shanghai());
    ASSERT_TRUE(hours.ok());
    desk_ = std::make_unique<CallbackDesk>(*pool_, settings_, *hours, DefaultQuestions(), clock_,
                                           *metrics_);
  }

  // Intake's ticket.resolved for a new ticket; returns the ticket id.
  std::string Resolve(TicketType type, absl::Time at, const std::string& branch = "B-07",
                      bool anonymous = false) {
    const std::string ticket_id = events::NewUuid();
    intake::v1::TicketResolved resolved;
    resolved.set_ticket_id(ticket_id);
    resolved.set_ticket_number(absl::StrCat("T", ++tickets_));
    resolved.set_type(type);
    if (!anonymous) {
      resolved.mutable_customer()->set_name("王芳");
      resolved.mutable_customer()->set_phone("13812345678");
    }
    resolved.set_anonymous(anonymous);
    resolved.set_branch_id(branch);
    resolved.set_order_id(absl::StrCat("order-", tickets_));
    *resolved.mutable_resolved_at() = ToProtoTime(at);
    resolved.set_resolution("replaced the blown fuse in the meter box");
    EXPECT_TRUE(Apply(resolved).ok());
    return ticket_id;
  }

  absl::Status Apply(const intake::v1::TicketResolved& resolved) {
    common::v1::Event e;
    e.set_event_id(events::NewUuid());
    e.set_topic("ticket.resolved");
    e.set_key(resolved.ticket_id());
    e.mutable_payload()->PackFrom(resolved);
    return pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return desk_->ApplyResolved(tx, e); });
  }

  absl::StatusOr<v1::CallbackTask> ByTicket(const std::string& ticket_id,
                                            const auth::Principal& by = Agent("agent-1")) {
    v1::GetCallbackRequest r;
    r.set_ticket_id(ticket_id);
    return desk_->Get(by, r);
  }

  std::string TaskOf(const std::string& ticket_id) {
    absl::StatusOr<v1::CallbackTask> task = ByTicket(ticket_id);
    EXPECT_TRUE(task.ok()) << task.status();
    return task.ok() ? task->task_id() : "";
  }

  absl::StatusOr<v1::CallbackTask> Attempt(const std::string& task_id, v1::AttemptResult result,
                                           const auth::Principal& by = Agent("agent-1")) {
    v1::RecordAttemptRequest r;
    r.set_task_id(task_id);
    r.set_result(result);
    return desk_->RecordAttempt(by, r);
  }

  absl::StatusOr<v1::CallbackTask> Answer(const std::string& task_id, v1::Satisfaction satisfaction,
                                          bool solved, const std::string& comment = "",
                                          const auth::Principal& by = Agent("agent-1")) {
    v1::RecordAnswerRequest r;
    r.set_task_id(task_id);
    r.set_satisfaction(satisfaction);
    r.set_solved(solved);
    r.set_comment(comment);
    absl::StatusOr<v1::CallbackTask> task = ByTicketOfTask(task_id);
    if (task.ok() && task->ticket_type() == TicketType::TICKET_TYPE_REPAIR) {
      v1::QuestionAnswer* q = r.add_questions();
      q->set_question_id("arrived_on_time");
      q->set_answer("yes");
    } else if (task.ok() && task->ticket_type() == TicketType::TICKET_TYPE_COMPLAINT) {
      v1::QuestionAnswer* q = r.add_questions();
      q->set_question_id("contacted");
      q->set_answer("no");
    }
    return desk_->RecordAnswer(by, r);
  }

  absl::StatusOr<v1::CallbackTask> ByTicketOfTask(const std::string& task_id) {
    v1::GetCallbackRequest r;
    r.set_task_id(task_id);
    return desk_->Get(Discipline(), r);
  }

  std::vector<OutboxRow> Outbox() {
    std::vector<OutboxRow> rows;
    absl::Status read = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
      rows.clear();
      for (const pqxx::row& row :
           tx.exec("SELECT destination, topic, payload FROM survey.outbox ORDER BY id")) {
        OutboxRow& out = rows.emplace_back();
        out.destination = row[0].as<std::string>();
        out.topic = row[1].as<std::string>();
        const pqxx::binarystring bytes(row[2]);
        common::v1::Event event;
        event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
        event.payload().UnpackTo(&out.event);
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return rows;
  }

  std::vector<OutboxRow> Completed() {
    std::vector<OutboxRow> rows;
    for (OutboxRow& row : Outbox()) {
      if (row.topic == "callback.completed") {
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  int tickets_ = 0;
  SurveySettings settings_;
  clock::ManualClock clock_;
  prometheus::Registry registry_;
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<SurveyMetrics> metrics_;
  std::unique_ptr<CallbackDesk> desk_;
};

TEST_F(CallbackDeskTest, AResolvedRepairIsScheduledOnceAndIntakeIsTold) {
  const std::string ticket = Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 9, 40));
  absl::StatusOr<v1::CallbackTask> task = ByTicket(ticket);
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->state(), v1::CALLBACK_STATE_OPEN);
  EXPECT_EQ(FromProtoTime(task->scheduled_at()), Local(7, 9, 40));
  EXPECT_EQ(FromProtoTime(task->due_at()), Local(8, 9, 40));
  EXPECT_EQ(task->customer().phone(), "13812345678");
  EXPECT_EQ(task->branch_id(), "B-07");
  EXPECT_EQ(task->resolution(), "replaced the blown fuse in the meter box");
  ASSERT_EQ(task->questions_size(), 2);
  EXPECT_EQ(task->questions(0).question_id(), "arrived_on_time");
  ASSERT_FALSE(task->history().empty());
  EXPECT_EQ(task->history(0).action(), "scheduled");

  std::vector<OutboxRow> rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].destination, "intake");
  EXPECT_EQ(rows[0].topic, "callback.scheduled");
  EXPECT_EQ(rows[0].event.ticket_id(), ticket);

  // Resolved again (a second event) while the callback is open: still one.
  intake::v1::TicketResolved again;
  again.set_ticket_id(ticket);
  again.set_type(TicketType::TICKET_TYPE_REPAIR);
  ASSERT_TRUE(Apply(again).ok());
  EXPECT_EQ(Outbox().size(), 1u);
  EXPECT_EQ(TaskOf(ticket), task->task_id());
}

TEST_F(CallbackDeskTest, AnAnonymousReportGetsNoCallbackAndAConsultationNothing) {
  const std::string report =
      Resolve(TicketType::TICKET_TYPE_REPORT, Local(7, 9), "DISC-1", /*anonymous=*/true);
  EXPECT_EQ(ByTicket(report).status().code(), absl::StatusCode::kNotFound);
  std::vector<OutboxRow> rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].destination, "intake");
  EXPECT_EQ(rows[0].topic, "callback.completed");
  EXPECT_EQ(rows[0].event.outcome(), v1::CALLBACK_OUTCOME_NOT_CALLED);

  const std::string consultation = Resolve(TicketType::TICKET_TYPE_CONSULTATION, Local(7, 9));
  EXPECT_EQ(ByTicket(consultation).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(CallbackDeskTest, CallsAreNotOfferedOutsideTheCallingHours) {
  const std::string ticket = Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 20, 30));
  clock_.Set(Local(7, 21, 0));
  absl::StatusOr<v1::NextCallbackResponse> night = desk_->Next(Agent("agent-1"));
  ASSERT_TRUE(night.ok()) << night.status();
  EXPECT_FALSE(night->has_task());
  EXPECT_NE(night->reason().find("outside the calling hours (08:00-21:00"), std::string::npos)
      << night->reason();
  EXPECT_EQ(FromProtoTime(night->next_offer_at()), Local(8, 8, 0));

  clock_.Set(Local(8, 7, 59));
  EXPECT_FALSE(desk_->Next(Agent("agent-1"))->has_task());
  clock_.Set(Local(8, 8, 0));
  absl::StatusOr<v1::NextCallbackResponse> morning = desk_->Next(Agent("agent-1"));
  ASSERT_TRUE(morning.ok()) << morning.status();
  ASSERT_TRUE(morning->has_task());
  EXPECT_EQ(morning->task().ticket_id(), ticket);
  EXPECT_EQ(morning->task().leased_by(), "agent-1");
}

TEST_F(CallbackDeskTest, AttemptsFollowTheSpacingAndThreeMakeTheCustomerUnreachable) {
  const std::string task = TaskOf(Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 9)));
  ASSERT_TRUE(Attempt(task, v1::ATTEMPT_RESULT_NO_ANSWER).ok());

  // Not offered again, nor accepted, before the spacing has passed.
  clock_.Advance(absl::Minutes(10));
  absl::StatusOr<v1::NextCallbackResponse> next = desk_->Next(Agent("agent-2"));
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_task());
  EXPECT_EQ(FromProtoTime(next->next_offer_at()), Local(7, 10, 15));
  absl::StatusOr<v1::CallbackTask> early = Attempt(task, v1::ATTEMPT_RESULT_NO_ANSWER);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition) << early.status();
  EXPECT_EQ(ByTicketOfTask(task)->attempts_size(), 1) << "a refused attempt is not stored";

  clock_.Set(Local(7, 10, 15));
  absl::StatusOr<v1::CallbackTask> second = Attempt(task, v1::ATTEMPT_RESULT_BUSY);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->state(), v1::CALLBACK_STATE_OPEN) << "two attempts are not enough";
  EXPECT_TRUE(Completed().empty());

  clock_.Set(Local(7, 10, 30));
  absl::StatusOr<v1::CallbackTask> third = Attempt(task, v1::ATTEMPT_RESULT_NO_ANSWER);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->state(), v1::CALLBACK_STATE_UNREACHABLE);
  ASSERT_EQ(third->attempts_size(), 3);
  std::vector<OutboxRow> completed = Completed();
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].destination, "intake");
  EXPECT_EQ(completed[0].event.outcome(), v1::CALLBACK_OUTCOME_UNREACHABLE);
  EXPECT_EQ(completed[0].event.attempts(), 3);
}

TEST_F(CallbackDeskTest, ADissatisfiedAnswerGoesToIntakeAndTheBranch) {
  const std::string ticket = Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 9));
  const std::string task = TaskOf(ticket);
  ASSERT_TRUE(Attempt(task, v1::ATTEMPT_RESULT_ANSWERED).ok());

  // The template's required question unanswered: refused, nothing stored.
  v1::RecordAnswerRequest incomplete;
  incomplete.set_task_id(task);
  incomplete.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  incomplete.set_comment("the lights flicker again");
  absl::StatusOr<v1::CallbackTask> refused = desk_->RecordAnswer(Agent("agent-1"), incomplete);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("arrived_on_time"), std::string::npos);
  EXPECT_EQ(ByTicketOfTask(task)->state(), v1::CALLBACK_STATE_OPEN);
  EXPECT_TRUE(Completed().empty());

  absl::StatusOr<v1::CallbackTask> answered =
      Answer(task, v1::SATISFACTION_DISSATISFIED, false, "the lights flicker again");
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->state(), v1::CALLBACK_STATE_ANSWERED);
  EXPECT_EQ(answered->answer().questions(0).answer(), "yes");
  std::vector<OutboxRow> completed = Completed();
  ASSERT_EQ(completed.size(), 2u);
  EXPECT_EQ(completed[0].destination, "intake");
  EXPECT_EQ(completed[1].destination, "dispatch");
  for (const OutboxRow& row : completed) {
    EXPECT_EQ(row.event.outcome(), v1::CALLBACK_OUTCOME_DISSATISFIED);
    EXPECT_EQ(row.event.ticket_id(), ticket);
    EXPECT_EQ(row.event.branch_id(), "B-07");
    EXPECT_EQ(row.event.comment(), "the lights flicker again");
  }
  EXPECT_EQ(Attempt(task, v1::ATTEMPT_RESULT_ANSWERED).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CallbackDeskTest, AReportersWordsStayOutOfTheBranchsCopy) {
  const std::string task = TaskOf(Resolve(TicketType::TICKET_TYPE_REPORT, Local(7, 9), "B-07"));
  ASSERT_TRUE(Attempt(task, v1::ATTEMPT_RESULT_ANSWERED, Discipline()).ok());
  v1::RecordAnswerRequest r;
  r.set_task_id(task);
  r.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  r.set_comment("the meter reader I reported still comes to my door");
  v1::QuestionAnswer* q = r.add_questions();
  q->set_question_id("result_told");
  q->set_answer("no");
  ASSERT_TRUE(desk_->RecordAnswer(Discipline(), r).ok());
  std::vector<OutboxRow> completed = Completed();
  ASSERT_EQ(completed.size(), 2u);
  EXPECT_EQ(completed[0].destination, "intake");
  EXPECT_EQ(completed[0].event.comment(), r.comment());
  EXPECT_EQ(completed[1].destination, "dispatch");
  EXPECT_EQ(completed[1].event.outcome(), v1::CALLBACK_OUTCOME_DISSATISFIED);
  EXPECT_TRUE(completed[1].event.comment().empty()) << completed[1].event.comment();
}

TEST_F(CallbackDeskTest, AManualCallbackWithoutAnOrderGoesToIntakeOnly) {
  v1::ScheduleCallbackRequest s;
  s.set_idempotency_key("k-m");
  s.set_ticket_id(events::NewUuid());
  s.set_ticket_type(TicketType::TICKET_TYPE_REPAIR);
  s.mutable_customer()->set_name("李明");
  s.mutable_customer()->set_phone("13912345678");
  s.set_reason("asked again");
  absl::StatusOr<ScheduleResult> scheduled =
      desk_->Schedule(Agent("agent-1"), s, "agent-1 k-m", rpc::RequestDigest(s));
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  ASSERT_TRUE(Attempt(scheduled->task.task_id(), v1::ATTEMPT_RESULT_ANSWERED).ok());
  ASSERT_TRUE(
      Answer(scheduled->task.task_id(), v1::SATISFACTION_DISSATISFIED, false, "still off").ok());
  std::vector<OutboxRow> completed = Completed();
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].destination, "intake");
}

TEST_F(CallbackDeskTest, ASatisfiedAnswerGoesToIntakeOnly) {
  const std::string task = TaskOf(Resolve(TicketType::TICKET_TYPE_COMPLAINT, Local(7, 9)));
  ASSERT_TRUE(Attempt(task, v1::ATTEMPT_RESULT_ANSWERED).ok());
  ASSERT_TRUE(Answer(task, v1::SATISFACTION_BASICALLY_SATISFIED, true).ok());
  std::vector<OutboxRow> completed = Completed();
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].destination, "intake");
  EXPECT_EQ(completed[0].event.outcome(), v1::CALLBACK_OUTCOME_SATISFIED);
}

TEST_F(CallbackDeskTest, ALeaseKeepsOtherAgentsAwayUntilItRunsOut) {
  const std::string first = Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 8));
  const std::string second = Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 9));
  absl::StatusOr<v1::NextCallbackResponse> a = desk_->Next(Agent("agent-1"));
  ASSERT_TRUE(a.ok() && a->has_task());
  EXPECT_EQ(a->task().ticket_id(), first) << "the task due first";
  absl::StatusOr<v1::NextCallbackResponse> b = desk_->Next(Agent("agent-2"));
  ASSERT_TRUE(b.ok() && b->has_task());
  EXPECT_EQ(b->task().ticket_id(), second);
  EXPECT_FALSE(desk_->Next(Agent("agent-3"))->has_task());
  // Asking again gives an agent its own task back.
  EXPECT_EQ(desk_->Next(Agent("agent-1"))->task().ticket_id(), first);
  EXPECT_EQ(
      Attempt(a->task().task_id(), v1::ATTEMPT_RESULT_NO_ANSWER, Agent("agent-3")).status().code(),
      absl::StatusCode::kFailedPrecondition);

  clock_.Advance(settings_.lease);
  absl::StatusOr<v1::NextCallbackResponse> c = desk_->Next(Agent("agent-3"));
  ASSERT_TRUE(c.ok() && c->has_task());
  EXPECT_EQ(c->task().ticket_id(), first) << "a lease that runs out gives the task back";
}

TEST_F(CallbackDeskTest, TwoAgentsAskingAtOnceNeverGetTheSameTask) {
  constexpr int kTasks = 24;
  constexpr int kAgents = 6;
  for (int i = 0; i < kTasks; ++i) {
    Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 9) + absl::Seconds(i));
  }
  absl::Mutex mu;
  std::vector<std::string> taken;
  std::vector<std::string> errors;
  absl::Barrier start(kAgents);
  std::vector<std::thread> agents;
  for (int a = 0; a < kAgents; ++a) {
    agents.emplace_back([&, a] {
      const auth::Principal agent = Agent(absl::StrCat("agent-", a));
      start.Block();
      for (;;) {
        absl::StatusOr<v1::NextCallbackResponse> next = desk_->Next(agent);
        if (!next.ok() || !next->has_task()) {
          if (!next.ok()) {
            absl::MutexLock lock(&mu);
            errors.push_back(next.status().ToString());
          }
          return;
        }
        // Calling: no answer, which gives the task back until the spacing
        // has passed (the clock stands still, so never in this test).
        absl::Status called =
            Attempt(next->task().task_id(), v1::ATTEMPT_RESULT_NO_ANSWER, agent).status();
        absl::MutexLock lock(&mu);
        taken.push_back(next->task().task_id());
        if (!called.ok()) {
          errors.push_back(called.ToString());
        }
      }
    });
  }
  for (std::thread& t : agents) {
    t.join();
  }
  EXPECT_TRUE(errors.empty()) << errors.front();
  const std::set<std::string> distinct(taken.begin(), taken.end());
  EXPECT_EQ(distinct.size(), taken.size()) << "a task was handed to two agents";
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kTasks)) << "every task was handed out";
}

TEST_F(CallbackDeskTest, ANamedReporterIsCalledAndSeenByDisciplineOnly) {
  const std::string ticket = Resolve(TicketType::TICKET_TYPE_REPORT, Local(7, 9), "DISC-1");
  EXPECT_FALSE(desk_->Next(Agent("agent-1"))->has_task()) << "an agent is not offered a report";

  absl::StatusOr<v1::CallbackTask> for_agent = ByTicket(ticket, Agent("agent-1"));
  ASSERT_TRUE(for_agent.ok());
  EXPECT_EQ(for_agent->customer().phone(), "138****5678");
  EXPECT_TRUE(for_agent->customer_masked());
  EXPECT_EQ(
      Attempt(for_agent->task_id(), v1::ATTEMPT_RESULT_BUSY, Agent("agent-1")).status().code(),
      absl::StatusCode::kPermissionDenied);

  absl::StatusOr<v1::NextCallbackResponse> next = desk_->Next(Discipline());
  ASSERT_TRUE(next.ok() && next->has_task());
  EXPECT_EQ(next->task().customer().phone(), "13812345678");
  EXPECT_FALSE(next->task().customer_masked());

  absl::StatusOr<v1::CallbackTask> read = ByTicket(ticket, Agent("agent-1"));
  ASSERT_TRUE(read.ok());
  int shown = 0;
  for (const v1::CallbackHistoryEntry& entry : read->history()) {
    if (entry.action() == "identity_shown") {
      ++shown;
      EXPECT_EQ(entry.actor(), "inspector-zhao");
    }
  }
  EXPECT_EQ(shown, 1) << "the NextCallback showing is in the history; an agent's read is not one";
}

TEST_F(CallbackDeskTest, ScheduleByHandIsIdempotent) {
  v1::ScheduleCallbackRequest r;
  r.set_idempotency_key("k-1");
  r.set_ticket_id(events::NewUuid());
  r.set_ticket_number("C20261207-0001");
  r.set_ticket_type(TicketType::TICKET_TYPE_COMPLAINT);
  r.mutable_customer()->set_name("李明");
  r.mutable_customer()->set_phone("13912345678");
  r.set_reason("asked to be called after work");
  absl::StatusOr<ScheduleResult> first =
      desk_->Schedule(Agent("agent-1"), r, "agent-1 k-1", rpc::RequestDigest(r));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  absl::StatusOr<ScheduleResult> again =
      desk_->Schedule(Agent("agent-1"), r, "agent-1 k-1", rpc::RequestDigest(r));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->task.task_id(), first->task.task_id());
  v1::ScheduleCallbackRequest other = r;
  other.set_reason("something else");
  EXPECT_EQ(desk_->Schedule(Agent("agent-1"), other, "agent-1 k-1", rpc::RequestDigest(other))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(desk_->Schedule(Agent("agent-1"), other, "agent-1 k-2", rpc::RequestDigest(other))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(CallbackDeskTest, UnknownTasksAreNotFound) {
  const std::string unknown = events::NewUuid();
  EXPECT_EQ(Attempt(unknown, v1::ATTEMPT_RESULT_BUSY).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Answer(unknown, v1::SATISFACTION_SATISFIED, true).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ByTicketOfTask(unknown).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CallbackDeskTest, TheFiguresMatchAFixtureComputedByHand) {
  // Monday 7th: five callbacks scheduled, one the day before (outside).
  Resolve(TicketType::TICKET_TYPE_REPAIR, Local(6, 15));  // Sunday: not counted
  const std::string r1 = TaskOf(Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 8)));
  const std::string r2 = TaskOf(Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 8, 30)));
  const std::string r3 = TaskOf(Resolve(TicketType::TICKET_TYPE_REPAIR, Local(7, 8, 45), "B-09"));
  const std::string c1 = TaskOf(Resolve(TicketType::TICKET_TYPE_COMPLAINT, Local(7, 9)));
  Resolve(TicketType::TICKET_TYPE_COMPLAINT, Local(7, 9, 30));  // c2: never called

  // At 10:00 on Monday: r1 satisfied and solved; r2 basically satisfied,
  // not solved; r3 unreachable after three calls.
  ASSERT_TRUE(Attempt(r1, v1::ATTEMPT_RESULT_ANSWERED).ok());
  ASSERT_TRUE(Answer(r1, v1::SATISFACTION_SATISFIED, true).ok());
  ASSERT_TRUE(Attempt(r2, v1::ATTEMPT_RESULT_ANSWERED).ok());
  ASSERT_TRUE(Answer(r2, v1::SATISFACTION_BASICALLY_SATISFIED, false).ok());
  for (int i = 0; i < 3; ++i) {
    clock_.Set(Local(7, 10, 15 * i));
    ASSERT_TRUE(Attempt(r3, v1::ATTEMPT_RESULT_NO_ANSWER).ok());
  }
  // Tuesday 10:00, past c1's deadline (Tuesday 09:00): c1 dissatisfied,
  // late; c2 is overdue (due Tuesday 09:30).
  clock_.Set(Local(8, 10));
  ASSERT_TRUE(Attempt(c1, v1::ATTEMPT_RESULT_ANSWERED).ok());
  ASSERT_TRUE(Answer(c1, v1::SATISFACTION_DISSATISFIED, false, "nobody explained the bill").ok());

  v1::GetSurveyStatsRequest all;
  *all.mutable_from() = ToProtoTime(Local(7, 0));
  *all.mutable_to() = ToProtoTime(Local(8, 0));
  absl::StatusOr<v1::GetSurveyStatsResponse> stats = desk_->Stats(all);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->due(), 5);
  EXPECT_EQ(stats->answered(), 3);
  EXPECT_EQ(stats->unreachable(), 1);
  EXPECT_EQ(stats->open(), 1);
  EXPECT_EQ(stats->on_time(), 3);
  EXPECT_EQ(stats->overdue(), 1);
  EXPECT_EQ(stats->satisfied(), 1);
  EXPECT_EQ(stats->basically_satisfied(), 1);
  EXPECT_EQ(stats->dissatisfied(), 1);
  EXPECT_EQ(stats->solved(), 1);
  EXPECT_EQ(stats->attempts(), 6);
  EXPECT_DOUBLE_EQ(stats->callback_rate(), 4.0 / 5);
  EXPECT_DOUBLE_EQ(stats->on_time_rate(), 3.0 / 5);
  EXPECT_DOUBLE_EQ(stats->satisfaction_rate(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(stats->solved_rate(), 1.0 / 3);

  v1::GetSurveyStatsRequest branch = all;
  branch.set_branch_id("B-07");
  stats = desk_->Stats(branch);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->due(), 4);
  EXPECT_EQ(stats->unreachable(), 0);
  EXPECT_DOUBLE_EQ(stats->callback_rate(), 3.0 / 4);

  v1::GetSurveyStatsRequest complaints = all;
  complaints.set_ticket_type(TicketType::TICKET_TYPE_COMPLAINT);
  stats = desk_->Stats(complaints);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->due(), 2);
  EXPECT_DOUBLE_EQ(stats->callback_rate(), 0.5);
  EXPECT_DOUBLE_EQ(stats->satisfaction_rate(), 0.0);
  EXPECT_EQ(stats->overdue(), 1);

  EXPECT_EQ(desk_->CountOpen().value_or(-1), 2) << "c2 and Sunday's";
}

}  // namespace
}  // namespace hotline::survey
