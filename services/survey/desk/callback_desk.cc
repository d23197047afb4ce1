#include "services/survey/desk/callback_desk.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "libs/events/event_sink_service.h"
#include "libs/events/publisher.h"
#include "libs/log/log.h"
#include "libs/pg/transaction.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"

namespace hotline::survey {
namespace {

constexpr char kComponent[] = "survey";
constexpr char kSource[] = "survey";
constexpr char kIntake[] = "intake";
constexpr char kDispatch[] = "dispatch";
constexpr char kScheduledTopic[] = "callback.scheduled";
constexpr char kCompletedTopic[] = "callback.completed";
constexpr int kHistoryLimit = 200;

absl::Status TaskNotFound(const std::string& field, const std::string& id) {
  return absl::NotFoundError(absl::StrCat(field, ": no callback ", id));
}

// A named reporter's task belongs to the roles that may see the reporter.
absl::Status CheckMayCall(const auth::Principal& by, const v1::CallbackTask& task) {
  if (HasReporterIdentity(task) && !SeesReporterIdentity(by.role)) {
    return absl::PermissionDeniedError(
        "task_id: a named reporter is called back by the discipline role only");
  }
  return absl::OkStatus();
}

std::string DescribeAttempt(const v1::Attempt& attempt) {
  return absl::StrCat(
      "attempt ", attempt.number(), ": ", EnumText(attempt.result()),
      attempt.note().empty() ? std::string() : absl::StrCat(" (", attempt.note(), ")"));
}

std::string DescribeAnswer(const v1::Answer& answer) {
  return absl::StrCat(
      EnumText(answer.satisfaction()), answer.solved() ? ", solved" : ", not solved",
      answer.comment().empty() ? std::string() : absl::StrCat(": ", answer.comment()));
}

}  // namespace

CallbackDesk::CallbackDesk(pg::Pool& pool, const SurveySettings& settings, CallingHours hours,
                           QuestionTemplates questions, const clock::Clock& clock,
                           SurveyMetrics& metrics)
    : pool_(pool),
      settings_(settings),
      hours_(hours),
      questions_(std::move(questions)),
      rules_{settings.attempt_spacing, settings.attempts_before_unreachable, settings.lease},
      clock_(clock),
      metrics_(metrics) {}

absl::StatusOr<v1::CallbackTask> CallbackDesk::Show(pqxx::work& tx, const auth::Principal& by,
                                                    const v1::CallbackTask& task,
                                                    const std::string& how, absl::Time now) {
  v1::CallbackTask shown = Presented(task, by.role);
  auto questions = questions_.find(task.ticket_type());
  if (questions != questions_.end()) {
    for (const v1::Question& question : questions->second) {
      *shown.add_questions() = question;
    }
  }
  if (HasReporterIdentity(task) && SeesReporterIdentity(by.role)) {
    HOTLINE_RETURN_IF_ERROR(
        store::AddHistory(tx, task.task_id(), now, by.name, "identity_shown",
                          absl::StrCat("reporter's contact shown unmasked (", how, ")")));
  }
  return shown;
}

absl::Status CallbackDesk::Ended(pqxx::work& tx, const store::StoredTask& stored, absl::Time now) {
  const v1::CallbackTask& task = stored.task;
  const v1::CallbackEvent event = MakeCallbackEvent(task, stored.order_id, now);
  HOTLINE_RETURN_IF_ERROR(
      store::AddHistory(tx, task.task_id(), now, "survey",
                        task.state() == v1::CALLBACK_STATE_ANSWERED ? "answered" : "unreachable",
                        absl::StrCat("callback ended: ", EnumText(event.outcome()), " after ",
                                     task.attempts_size(), " attempt(s)")));
  HOTLINE_RETURN_IF_ERROR(
      events::Publish(tx, kSource, {kIntake}, kCompletedTopic, task.ticket_id(), event));
  // Dissatisfaction goes back to the branch whose order resolved the ticket
  // (a callback scheduled by hand, or after an outage restore, has none:
  // intake routes a reopened ticket without an order anew). A reporter's
  // words stay out of it: the branch may be the unit reported.
  if (event.outcome() != v1::CALLBACK_OUTCOME_DISSATISFIED || stored.order_id.empty()) {
    return absl::OkStatus();
  }
  v1::CallbackEvent to_branch = event;
  if (HasReporterIdentity(task)) {
    to_branch.clear_comment();
  }
  return events::Publish(tx, kSource, {kDispatch}, kCompletedTopic, task.ticket_id(), to_branch);
}

absl::StatusOr<ScheduleResult> CallbackDesk::Schedule(const auth::Principal& by,
                                                      const v1::ScheduleCallbackRequest& request,
                                                      const std::string& key,
                                                      const std::string& digest) {
  const absl::Time now = clock_.Now();
  absl::StatusOr<ScheduleResult> result = pg::WithTransactionResult<ScheduleResult>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<ScheduleResult> {
        HOTLINE_RETURN_IF_ERROR(store::LockKey(tx, key));
        HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredTask> by_key,
                                 store::FindByKey(tx, key));
        if (by_key.has_value()) {
          if (by_key->request_digest != digest) {
            return absl::InvalidArgumentError(
                "idempotency_key: already used for a different request");
          }
          HOTLINE_ASSIGN_OR_RETURN(v1::CallbackTask shown,
                                   Show(tx, by, by_key->task, "ScheduleCallback", now));
          return ScheduleResult{std::move(shown), true};
        }
        HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredTask> open,
                                 store::FindOpenForTicket(tx, request.ticket_id()));
        if (open.has_value()) {
          return absl::AlreadyExistsError(absl::StrCat("ticket_id: ticket ", request.ticket_id(),
                                                       " has an open callback, ",
                                                       open->task.task_id()));
        }
        store::StoredTask stored;
        stored.task = NewTask(events::NewUuid(), request.ticket_id(), request.ticket_number(),
                              request.ticket_type(), request.branch_id(), request.customer(),
                              TruncateToMicros(now), settings_.callback_within);
        stored.idempotency_key = key;
        stored.request_digest = digest;
        HOTLINE_RETURN_IF_ERROR(store::InsertTask(tx, stored));
        HOTLINE_RETURN_IF_ERROR(store::AddHistory(tx, stored.task.task_id(), now, by.name,
                                                  "scheduled",
                                                  absl::StrCat("by hand: ", request.reason())));
        HOTLINE_RETURN_IF_ERROR(
            events::Publish(tx, kSource, {kIntake}, kScheduledTopic, stored.task.ticket_id(),
                            MakeCallbackEvent(stored.task, stored.order_id, now)));
        HOTLINE_ASSIGN_OR_RETURN(v1::CallbackTask shown,
                                 Show(tx, by, stored.task, "ScheduleCallback", now));
        return ScheduleResult{std::move(shown), false};
      });
  if (result.ok() && !result->replayed) {
    metrics_.Due(result->task.ticket_type());
  }
  return result;
}

absl::StatusOr<v1::NextCallbackResponse> CallbackDesk::Next(const auth::Principal& by) {
  const absl::Time now = clock_.Now();
  const bool reports = SeesReporterIdentity(by.role);
  v1::NextCallbackResponse response;
  if (!hours_.Within(now)) {
    response.set_reason(
        absl::StrCat("outside the calling hours (", hours_.Describe(), "): no calls now"));
    *response.mutable_next_offer_at() = ToProtoTime(hours_.NextStart(now));
    return response;
  }
  return pg::WithTransactionResult<v1::NextCallbackResponse>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::NextCallbackResponse> {
        v1::NextCallbackResponse next;
        HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredTask> taken,
                                 store::TakeNext(tx, by.name, reports, now));
        if (!taken.has_value()) {
          next.set_reason("no callback is due now");
          HOTLINE_ASSIGN_OR_RETURN(std::optional<absl::Time> due, store::NextOfferAt(tx, reports));
          if (due.has_value()) {
            *next.mutable_next_offer_at() = ToProtoTime(hours_.NextStart(std::max(*due, now)));
          }
          return next;
        }
        v1::CallbackTask& task = taken->task;
        const bool renewed = task.leased_by() == by.name;
        Lease(task, by.name, now, rules_);
        HOTLINE_RETURN_IF_ERROR(store::UpdateTask(tx, task));
        HOTLINE_RETURN_IF_ERROR(store::AddHistory(
            tx, task.task_id(), now, by.name, "leased",
            absl::StrCat(renewed ? "taken again" : "taken", " until ",
                         absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", now + rules_.lease,
                                          absl::UTCTimeZone()))));
        HOTLINE_ASSIGN_OR_RETURN(*next.mutable_task(), Show(tx, by, task, "NextCallback", now));
        return next;
      });
}

absl::StatusOr<v1::CallbackTask> CallbackDesk::Change(
    const auth::Principal& by, const std::string& task_id,
    const std::function<absl::Status(pqxx::work&, v1::CallbackTask&, absl::Time)>& change,
    const std::string& how) {
  const absl::Time now = clock_.Now();
  return pg::WithTransactionResult<v1::CallbackTask>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::CallbackTask> {
        HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredTask> stored,
                                 store::FindTask(tx, task_id, true));
        if (!stored.has_value()) {
          return TaskNotFound("task_id", task_id);
        }
        HOTLINE_RETURN_IF_ERROR(CheckMayCall(by, stored->task));
        HOTLINE_RETURN_IF_ERROR(change(tx, stored->task, now));
        HOTLINE_RETURN_IF_ERROR(store::UpdateTask(tx, stored->task));
        if (stored->task.state() != v1::CALLBACK_STATE_OPEN) {
          HOTLINE_RETURN_IF_ERROR(Ended(tx, *stored, now));
        }
        return Show(tx, by, stored->task, how, now);
      });
}

absl::StatusOr<v1::CallbackTask> CallbackDesk::RecordAttempt(
    const auth::Principal& by, const v1::RecordAttemptRequest& request) {
  absl::StatusOr<v1::CallbackTask> task = Change(
      by, request.task_id(),
      [&](pqxx::work& tx, v1::CallbackTask& t, absl::Time now) -> absl::Status {
        HOTLINE_RETURN_IF_ERROR(
            AddAttempt(t, request.result(), now, by.name, request.note(), rules_));
        return store::AddHistory(tx, t.task_id(), now, by.name, "attempt",
                                 DescribeAttempt(t.attempts(t.attempts_size() - 1)));
      },
      "RecordAttempt");
  if (task.ok()) {
    metrics_.Attempt(request.result());
    if (task->state() == v1::CALLBACK_STATE_UNREACHABLE) {
      metrics_.Completed(task->ticket_type(), v1::CALLBACK_OUTCOME_UNREACHABLE);
    }
  }
  return task;
}

absl::StatusOr<v1::CallbackTask> CallbackDesk::RecordAnswer(
    const auth::Principal& by, const v1::RecordAnswerRequest& request) {
  absl::StatusOr<v1::CallbackTask> task = Change(
      by, request.task_id(),
      [&](pqxx::work& tx, v1::CallbackTask& t, absl::Time now) -> absl::Status {
        auto questions = questions_.find(t.ticket_type());
        HOTLINE_RETURN_IF_ERROR(CheckAnswers(
            questions == questions_.end() ? std::vector<v1::Question>() : questions->second,
            request.questions()));
        v1::Answer answer;
        answer.set_satisfaction(request.satisfaction());
        answer.set_solved(request.solved());
        answer.set_comment(request.comment());
        *answer.mutable_questions() = request.questions();
        HOTLINE_RETURN_IF_ERROR(AddAnswer(t, std::move(answer), now, by.name));
        return store::AddHistory(tx, t.task_id(), now, by.name, "answer",
                                 DescribeAnswer(t.answer()));
      },
      "RecordAnswer");
  if (task.ok()) {
    metrics_.Answered(task->ticket_type(), task->answer().satisfaction());
    metrics_.Completed(task->ticket_type(), OutcomeOf(*task));
  }
  return task;
}

absl::StatusOr<v1::CallbackTask> CallbackDesk::Get(const auth::Principal& by,
                                                   const v1::GetCallbackRequest& request) {
  const absl::Time now = clock_.Now();
  return pg::WithTransactionResult<v1::CallbackTask>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::CallbackTask> {
        std::optional<store::StoredTask> stored;
        if (!request.task_id().empty()) {
          HOTLINE_ASSIGN_OR_RETURN(stored, store::FindTask(tx, request.task_id(), false));
          if (!stored.has_value()) {
            return TaskNotFound("task_id", request.task_id());
          }
        } else {
          HOTLINE_ASSIGN_OR_RETURN(stored, store::FindLatestForTicket(tx, request.ticket_id()));
          if (!stored.has_value()) {
            return absl::NotFoundError(
                absl::StrCat("ticket_id: no callback for ticket ", request.ticket_id()));
          }
        }
        HOTLINE_ASSIGN_OR_RETURN(v1::CallbackTask shown,
                                 Show(tx, by, stored->task, "GetCallback", now));
        HOTLINE_ASSIGN_OR_RETURN(std::vector<v1::CallbackHistoryEntry> history,
                                 store::History(tx, shown.task_id(), kHistoryLimit));
        for (v1::CallbackHistoryEntry& entry : history) {
          *shown.add_history() = std::move(entry);
        }
        return shown;
      });
}

absl::StatusOr<v1::GetSurveyStatsResponse> CallbackDesk::Stats(
    const v1::GetSurveyStatsRequest& request) {
  const absl::Time now = clock_.Now();
  return pg::WithTransactionResult<v1::GetSurveyStatsResponse>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::GetSurveyStatsResponse> {
        HOTLINE_ASSIGN_OR_RETURN(
            SurveyCounts counts,
            store::Count(tx, FromProtoTime(request.from()), FromProtoTime(request.to()),
                         request.branch_id(), EnumText(request.ticket_type()), now));
        return MakeSurveyStats(counts);
      });
}

absl::StatusOr<int64_t> CallbackDesk::CountOpen() {
  return pg::WithTransactionResult<int64_t>(pool_,
                                            [&](pqxx::work& tx) { return store::CountOpen(tx); });
}

absl::Status CallbackDesk::ApplyResolved(pqxx::work& tx, const common::v1::Event& event) {
  intake::v1::TicketResolved resolved;
  if (!event.payload().UnpackTo(&resolved) || resolved.ticket_id().empty()) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): payload is not a hotline.intake.v1.TicketResolved with a ticket id; dropped");
    return absl::OkStatus();
  }
  const absl::Time now = clock_.Now();
  const absl::Time at =
      resolved.has_resolved_at() ? TruncateToMicros(FromProtoTime(resolved.resolved_at())) : now;
  switch (NeedOf(resolved.type(), resolved.anonymous())) {
    case CallbackNeed::kNone:
      log::Info(kComponent, "ticket ", resolved.ticket_number(), " (", EnumText(resolved.type()),
                ") resolved: not called back");
      return absl::OkStatus();
    case CallbackNeed::kNotCalled: {
      v1::CallbackEvent none;
      none.set_ticket_id(resolved.ticket_id());
      none.set_ticket_number(resolved.ticket_number());
      none.set_ticket_type(resolved.type());
      none.set_branch_id(resolved.branch_id());
      none.set_order_id(resolved.order_id());
      none.set_outcome(v1::CALLBACK_OUTCOME_NOT_CALLED);
      *none.mutable_occurred_at() = ToProtoTime(now);
      return events::Publish(tx, kSource, {kIntake}, kCompletedTopic, resolved.ticket_id(), none);
    }
    case CallbackNeed::kCall:
      break;
  }
  HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredTask> open,
                           store::FindOpenForTicket(tx, resolved.ticket_id()));
  if (open.has_value()) {
    log::Info(kComponent, "ticket ", resolved.ticket_number(),
              " resolved again while its callback ", open->task.task_id(), " is open: kept");
    return absl::OkStatus();
  }
  store::StoredTask stored;
  stored.task =
      NewTask(events::NewUuid(), resolved.ticket_id(), resolved.ticket_number(), resolved.type(),
              resolved.branch_id(), resolved.customer(), at, settings_.callback_within);
  stored.task.set_resolution(resolved.resolution());
  stored.order_id = resolved.order_id();
  HOTLINE_RETURN_IF_ERROR(store::InsertTask(tx, stored));
  HOTLINE_RETURN_IF_ERROR(store::AddHistory(
      tx, stored.task.task_id(), now, kIntake, "scheduled",
      absl::StrCat("ticket resolved",
                   resolved.branch_id().empty() ? std::string()
                                                : absl::StrCat(" by branch ", resolved.branch_id()),
                   resolved.resolution().empty() ? std::string()
                                                 : absl::StrCat(": ", resolved.resolution()))));
  HOTLINE_RETURN_IF_ERROR(events::Publish(tx, kSource, {kIntake}, kScheduledTopic,
                                          resolved.ticket_id(),
                                          MakeCallbackEvent(stored.task, stored.order_id, now)));
  const common::v1::TicketType type = resolved.type();
  events::AfterCommit([this, type] { metrics_.Due(type); });
  return absl::OkStatus();
}

}  // namespace hotline::survey
