#pragma once

// The survey use cases, each in one PostgreSQL transaction: scheduling
// callbacks (from intake's ticket.resolved events and by hand), handing the
// next due one to an agent under a lease, recording attempts and answers,
// reading a task, and the figures. No gRPC: the service
// (api/callback_surveys_service.h) authenticates, validates the request's
// shape and converts.
//
// Concurrency: NextCallback takes its task with FOR UPDATE SKIP LOCKED, so
// two agents asking at once get different tasks; attempts and answers lock
// the task's row. A task's end is published to intake (and, when the
// customer is dissatisfied, to dispatch) in the transaction that ends it.
//
// Confidentiality: a named reporter's task is offered only to the discipline
// role and shown unmasked only to it; every such showing is written to the
// task's history in the same transaction.
//
// Thread-safe.

#include <pqxx/transaction>
#include <string>

#include "absl/status/statusor.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/survey/v1/survey.pb.h"
#include "libs/auth/role.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "services/survey/desk/survey_metrics.h"
#include "services/survey/domain/callback_rules.h"
#include "services/survey/domain/calling_hours.h"
#include "services/survey/domain/question_template.h"
#include "services/survey/store/callback_store.h"
#include "services/survey/survey_settings.h"

namespace hotline::survey {

struct ScheduleResult {
  v1::CallbackTask task;
  bool replayed = false;
};

class CallbackDesk {
 public:
  // All must outlive the desk. `hours` and `questions` from the settings.
  CallbackDesk(pg::Pool& pool, const SurveySettings& settings, CallingHours hours,
               QuestionTemplates questions, const clock::Clock& clock, SurveyMetrics& metrics);

  // A validated request; `key` is the idempotency key scoped to the caller.
  // INVALID_ARGUMENT when the key was used for another request;
  // ALREADY_EXISTS when the ticket has an open callback.
  absl::StatusOr<ScheduleResult> Schedule(const auth::Principal& by,
                                          const v1::ScheduleCallbackRequest& request,
                                          const std::string& key, const std::string& digest);

  // The caller's leased task, else the next due one, leased to the caller;
  // none outside the calling hours or when nothing is due (reason, and when
  // the next may be offered).
  absl::StatusOr<v1::NextCallbackResponse> Next(const auth::Principal& by);

  // NOT_FOUND; PERMISSION_DENIED for a named reporter's task and a role that
  // may not see one; FAILED_PRECONDITION from callback_rules.h.
  absl::StatusOr<v1::CallbackTask> RecordAttempt(const auth::Principal& by,
                                                 const v1::RecordAttemptRequest& request);
  // As RecordAttempt; INVALID_ARGUMENT when the template's questions are not
  // answered as they ask.
  absl::StatusOr<v1::CallbackTask> RecordAnswer(const auth::Principal& by,
                                                const v1::RecordAnswerRequest& request);
  // By task id, or the ticket's latest task; with its history. NOT_FOUND.
  absl::StatusOr<v1::CallbackTask> Get(const auth::Principal& by,
                                       const v1::GetCallbackRequest& request);

  absl::StatusOr<v1::GetSurveyStatsResponse> Stats(const v1::GetSurveyStatsRequest& request);

  absl::StatusOr<int64_t> CountOpen();

  // Applies intake's ticket.resolved inside the EventSink's transaction:
  // schedules the callback (none while the ticket has an open one), or,
  // for an anonymous report, tells intake there is none. Malformed payloads
  // and types without callbacks are logged and acknowledged. Errors:
  // database errors only.
  absl::Status ApplyResolved(pqxx::work& tx, const common::v1::Event& event);

 private:
  absl::StatusOr<v1::CallbackTask> Change(
      const auth::Principal& by, const std::string& task_id,
      const std::function<absl::Status(pqxx::work&, v1::CallbackTask&, absl::Time)>& change,
      const std::string& how);
  // The task as `by` may see it, with its questions; an unmasked showing of
  // a named reporter is written to the history.
  absl::StatusOr<v1::CallbackTask> Show(pqxx::work& tx, const auth::Principal& by,
                                        const v1::CallbackTask& task, const std::string& how,
                                        absl::Time now);
  absl::Status Ended(pqxx::work& tx, const store::StoredTask& stored, absl::Time now);

  pg::Pool& pool_;
  const SurveySettings& settings_;
  const CallingHours hours_;
  const QuestionTemplates questions_;
  const AttemptRules rules_;
  const clock::Clock& clock_;
  SurveyMetrics& metrics_;
};

}  // namespace hotline::survey
