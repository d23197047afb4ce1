// Callbacks over the real services: a repair resolved by its branch
// (ReportProgress completed) reaches survey through intake's ticket.resolved
// and becomes a callback task; the ticket waits for it; an agent calls, the
// customer is dissatisfied, and the ticket is reopened in intake, with the
// reason in its history, and its order goes back to the branch's stream.
// Bad requests are refused naming the field, an unknown task is NOT_FOUND.

#include <gtest/gtest.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "hotline/survey/v1/survey.grpc.pb.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers
using common::v1::TicketStatus;
namespace sv1 = survey::v1;

constexpr std::chrono::seconds kFollowDeadline{20};

class SurveyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = Backend::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(*started);
    intake_ = intake::v1::TicketIntake::NewStub(backend_->Channel("intake"));
    branch_ = dv1::BranchOrders::NewStub(backend_->Channel("dispatch"));
    survey_ = sv1::CallbackSurveys::NewStub(backend_->Channel("survey"));
  }

  std::optional<intake::v1::Ticket> Get(const std::string& ticket_id) {
    intake::v1::GetTicketRequest request;
    request.set_ticket_id(ticket_id);
    intake::v1::Ticket ticket;
    auto context = Call(backend_->Token("agent"));
    if (!intake_->GetTicket(context.get(), request, &ticket).ok()) {
      return std::nullopt;
    }
    return ticket;
  }

  bool WaitForStatus(const std::string& ticket_id, TicketStatus status) {
    return WaitUntil(
        [&] {
          std::optional<intake::v1::Ticket> t = Get(ticket_id);
          return t.has_value() && t->status() == status;
        },
        kFollowDeadline, std::chrono::milliseconds(50));
  }

  grpc::Status Report(const std::string& order_id, dv1::ProgressStep step) {
    dv1::ReportProgressRequest r;
    r.set_order_id(order_id);
    r.set_step(step);
    if (step == dv1::PROGRESS_STEP_CREW_ASSIGNED) {
      r.set_crew_lead("Wang Wu");
      r.set_crew_phone("13900000000");
    } else {
      *r.mutable_at() = Stamp(absl::Now());
    }
    dv1::ReportProgressResponse response;
    auto context = Call(backend_->Token("branch"));
    return branch_->ReportProgress(context.get(), r, &response);
  }

  grpc::Status GetCallback(const std::string& ticket_id, sv1::CallbackTask* task) {
    sv1::GetCallbackRequest r;
    r.set_ticket_id(ticket_id);
    auto context = Call(backend_->Token("agent"));
    return survey_->GetCallback(context.get(), r, task);
  }

  std::string Logs() {
    return absl::StrCat("\n--- intake log:\n", backend_->Log("intake"), "\n--- survey log:\n",
                        backend_->Log("survey"), "\n--- dispatch log:\n",
                        backend_->Log("dispatch"));
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<intake::v1::TicketIntake::Stub> intake_;
  std::unique_ptr<dv1::BranchOrders::Stub> branch_;
  std::unique_ptr<sv1::CallbackSurveys::Stub> survey_;
};

TEST_F(SurveyTest, ADissatisfiedCustomerReopensTheResolvedRepair) {
  {
    dv1::Branch saved;
    grpc::Status status = RegisterRepairCrew(*backend_, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  Puller branch_system(*backend_, backend_->Token("branch"));
  intake::v1::CreateTicketResponse created;
  {
    auto context = Call(backend_->Token("agent"));
    grpc::Status status =
        intake_->CreateTicket(context.get(), RepairInTheCrewsTerritory("survey-1"), &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const std::string ticket_id = created.ticket().ticket_id();
  std::optional<dv1::Delivery> delivery =
      branch_system.WaitForTicket(ticket_id, std::chrono::seconds(20));
  ASSERT_TRUE(delivery.has_value()) << Logs();
  const std::string order_id = delivery->order().order_id();
  {
    dv1::AckOrderRequest ack;
    ack.set_order_id(order_id);
    ack.set_delivery_id(delivery->delivery_id());
    dv1::AckOrderResponse response;
    auto context = Call(backend_->Token("branch"));
    ASSERT_TRUE(branch_->AckOrder(context.get(), ack, &response).ok());
  }
  for (dv1::ProgressStep step : {dv1::PROGRESS_STEP_CREW_ASSIGNED, dv1::PROGRESS_STEP_DEPARTED,
                                 dv1::PROGRESS_STEP_ARRIVED}) {
    grpc::Status status = Report(order_id, step);
    ASSERT_TRUE(status.ok()) << dv1::ProgressStep_Name(step) << ": " << status.error_message();
  }
  grpc::Status completed = Report(order_id, dv1::PROGRESS_STEP_COMPLETED);
  ASSERT_TRUE(completed.ok()) << completed.error_message();

  // The resolved repair becomes a callback task, and the ticket waits for it.
  sv1::CallbackTask task;
  ASSERT_TRUE(WaitUntil([&] { return GetCallback(ticket_id, &task).ok(); }, kFollowDeadline,
                        std::chrono::milliseconds(50)))
      << "no callback for the resolved repair" << Logs();
  EXPECT_EQ(task.state(), sv1::CALLBACK_STATE_OPEN);
  EXPECT_EQ(task.ticket_type(), common::v1::TICKET_TYPE_REPAIR);
  EXPECT_EQ(task.branch_id(), kBranchId);
  EXPECT_EQ(task.customer().phone(), created.ticket().customer().phone());
  EXPECT_TRUE(WaitForStatus(ticket_id, common::v1::TICKET_STATUS_CALLBACK)) << Logs();

  // The agent calls: the customer answers, dissatisfied.
  {
    sv1::RecordAttemptRequest attempt;
    attempt.set_task_id(task.task_id());
    attempt.set_result(sv1::ATTEMPT_RESULT_ANSWERED);
    sv1::CallbackTask after;
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = survey_->RecordAttempt(context.get(), attempt, &after);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(after.attempts_size(), 1);
  }
  {
    sv1::RecordAnswerRequest answer;
    answer.set_task_id(task.task_id());
    answer.set_satisfaction(sv1::SATISFACTION_DISSATISFIED);
    answer.set_solved(false);
    answer.set_comment("the power went off again the same night");
    sv1::QuestionAnswer* q = answer.add_questions();
    q->set_question_id("arrived_on_time");
    q->set_answer("no");
    sv1::CallbackTask after;
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = survey_->RecordAnswer(context.get(), answer, &after);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(after.state(), sv1::CALLBACK_STATE_ANSWERED);
  }

  // Intake reopens the ticket, and the order sent back dispatches it again;
  // its history says why.
  ASSERT_TRUE(WaitForStatus(ticket_id, common::v1::TICKET_STATUS_DISPATCHED))
      << "the reopened ticket never went back to its branch" << Logs();
  intake::v1::GetHistoryRequest request;
  request.set_ticket_id(ticket_id);
  intake::v1::GetHistoryResponse history;
  {
    auto context = Call(backend_->Token("supervisor"));
    ASSERT_TRUE(intake_->GetHistory(context.get(), request, &history).ok());
  }
  bool reopened = false;
  bool dispatched_again = false;
  std::string listing;
  for (const intake::v1::HistoryEntry& e : history.entries()) {
    absl::StrAppend(&listing, common::v1::TicketStatus_Name(e.from_status()), " -> ",
                    common::v1::TicketStatus_Name(e.to_status()), " (", e.actor(), ": ", e.detail(),
                    ")\n");
    if (e.to_status() == common::v1::TICKET_STATUS_REOPENED &&
        e.detail().find("the power went off again the same night") != std::string::npos) {
      reopened = true;
    }
    if (e.from_status() == common::v1::TICKET_STATUS_REOPENED &&
        e.to_status() == common::v1::TICKET_STATUS_DISPATCHED) {
      dispatched_again = true;
    }
  }
  EXPECT_TRUE(reopened) << listing;
  EXPECT_TRUE(dispatched_again) << listing;

  // The order goes back to the branch that resolved it.
  std::optional<dv1::Order> again;
  WaitUntil(
      [&] {
        for (const auto& r : branch_system.Messages()) {
          const dv1::Order& order = r.message.delivery().order();
          if (order.ticket_id() == ticket_id && order.reopens() > 0) {
            again = order;
            return true;
          }
        }
        return false;
      },
      kFollowDeadline);
  ASSERT_TRUE(again.has_value()) << "the order did not come back to the branch" << Logs();
  EXPECT_EQ(again->order_id(), order_id);
  EXPECT_NE(again->reopened_reason().find("dissatisfied"), std::string::npos)
      << again->reopened_reason();
  branch_system.Close();

  // Counted.
  absl::StatusOr<std::string> metrics = backend_->ScrapeMetrics("survey");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  for (const char* line :
       {"hotline_callbacks_due_total{type=\"repair\"} 1",
        "hotline_callback_attempts_total{result=\"answered\"} 1",
        "hotline_survey_answers_total{satisfaction=\"dissatisfied\",type=\"repair\"} 1",
        "hotline_callbacks_completed_total{outcome=\"dissatisfied\",type=\"repair\"} 1"}) {
    EXPECT_NE(metrics->find(line), std::string::npos) << line << "\n" << *metrics;
  }
}

TEST_F(SurveyTest, BadRequestsNameTheFieldAndUnknownTasksAreNotFound) {
  sv1::CallbackTask task;
  {
    sv1::RecordAttemptRequest attempt;
    attempt.set_task_id("6f1c2d3e-4a5b-4c6d-8e7f-901234567890");
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = survey_->RecordAttempt(context.get(), attempt, &task);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind("result:", 0), 0u) << status.error_message();
  }
  {
    sv1::RecordAttemptRequest attempt;
    attempt.set_task_id("6f1c2d3e-4a5b-4c6d-8e7f-901234567890");
    attempt.set_result(sv1::ATTEMPT_RESULT_NO_ANSWER);
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = survey_->RecordAttempt(context.get(), attempt, &task);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  }
  {
    sv1::ScheduleCallbackRequest schedule;
    schedule.set_idempotency_key("bad-1");
    schedule.set_ticket_id("6f1c2d3e-4a5b-4c6d-8e7f-901234567890");
    schedule.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
    schedule.mutable_customer()->set_name("王芳");
    schedule.mutable_customer()->set_phone("555");
    schedule.set_reason("asked for a call");
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = survey_->ScheduleCallback(context.get(), schedule, &task);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind("customer.phone:", 0), 0u) << status.error_message();
  }
  // Nothing was stored: the figures over all time are empty.
  sv1::GetSurveyStatsRequest all;
  *all.mutable_from() = Stamp(absl::Now() - absl::Hours(24 * 365));
  *all.mutable_to() = Stamp(absl::Now() + absl::Hours(1));
  sv1::GetSurveyStatsResponse stats;
  auto context = Call(backend_->Token("supervisor"));
  ASSERT_TRUE(survey_->GetSurveyStats(context.get(), all, &stats).ok());
  EXPECT_EQ(stats.due(), 0);
}

}  // namespace
}  // namespace hotline::testing
