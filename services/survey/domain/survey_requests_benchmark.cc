// How long the callback-survey request checks take: scheduling a callback
// (every closed repair, complaint and report) and recording an answer.

#include <benchmark/benchmark.h>

#include "libs/bench/require.h"
#include "services/survey/domain/survey_requests.h"

namespace hotline::survey {
namespace {

constexpr char kTicket[] = "6f1c2d3e-4a5b-4c6d-8e7f-901234567890";
constexpr char kTask[] = "0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e";

void BM_ValidateScheduleCallback(benchmark::State& state) {
  v1::ScheduleCallbackRequest request;
  request.set_idempotency_key("ticket-closed-6f1c2d3e");
  request.set_ticket_id(kTicket);
  request.set_ticket_type(common::v1::TICKET_TYPE_COMPLAINT);
  request.mutable_customer()->set_name("李明");
  request.mutable_customer()->set_phone("13912345678");
  request.set_reason("客户要求18:00以后回访");
  const absl::Status status = ValidateSchedule(request);
  bench::Require(status.ok(), "the callback is valid: " + status.ToString());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateSchedule(request));
  }
}
BENCHMARK(BM_ValidateScheduleCallback);

// A dissatisfied customer's answer, with the reason and three questions.
void BM_ValidateDissatisfiedAnswer(benchmark::State& state) {
  v1::RecordAnswerRequest request;
  request.set_task_id(kTask);
  request.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  request.set_comment("抢修人员到达太慢，等了三个小时才来电");
  for (const char* id : {"arrival", "attitude", "solved"}) {
    v1::QuestionAnswer& answer = *request.add_questions();
    answer.set_question_id(id);
    answer.set_answer("不满意");
  }
  const absl::Status status = ValidateAnswer(request);
  bench::Require(status.ok(), "the answer is valid: " + status.ToString());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateAnswer(request));
  }
}
BENCHMARK(BM_ValidateDissatisfiedAnswer);

}  // namespace
}  // namespace hotline::survey
