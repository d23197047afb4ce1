// The order of progress steps and the sense of their times, table-driven.

#include "services/dispatch/domain/progress.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace hotline::dispatch {
namespace {

const absl::Time kDispatched = absl::FromUnixSeconds(1'790'000'000);
const absl::Time kNow = kDispatched + absl::Hours(2);

ProgressState Accepted() {
  ProgressState s;
  s.status = v1::ORDER_STATUS_ACCEPTED;
  s.dispatched_at = kDispatched;
  return s;
}

ProgressState CrewAssigned() {
  ProgressState s = Accepted();
  s.status = v1::ORDER_STATUS_IN_PROGRESS;
  s.last_step = v1::PROGRESS_STEP_CREW_ASSIGNED;
  s.crew_lead = "Wang Wu";
  s.crew_phone = "13900000000";
  return s;
}

ProgressState Departed() {
  ProgressState s = CrewAssigned();
  s.last_step = v1::PROGRESS_STEP_DEPARTED;
  s.departed_at = kDispatched + absl::Minutes(5);
  return s;
}

ProgressState Arrived() {
  ProgressState s = Departed();
  s.last_step = v1::PROGRESS_STEP_ARRIVED;
  s.arrived_at = kDispatched + absl::Minutes(40);
  return s;
}

ProgressState Completed() {
  ProgressState s = Arrived();
  s.status = v1::ORDER_STATUS_RESOLVED;
  s.last_step = v1::PROGRESS_STEP_COMPLETED;
  s.completed_at = kDispatched + absl::Minutes(90);
  return s;
}

ProgressReport Step(ProgressStep step, std::optional<absl::Time> at = std::nullopt) {
  ProgressReport r;
  r.step = step;
  r.at = at;
  return r;
}

ProgressReport Crew(std::string lead, std::string phone) {
  ProgressReport r = Step(v1::PROGRESS_STEP_CREW_ASSIGNED);
  r.crew_lead = std::move(lead);
  r.crew_phone = std::move(phone);
  return r;
}

ProgressReport Cause(std::string cause, FaultKind kind) {
  ProgressReport r = Step(v1::PROGRESS_STEP_CAUSE_FOUND);
  r.cause = std::move(cause);
  r.fault_kind = kind;
  return r;
}

ProgressReport Estimate(absl::Time at) {
  ProgressReport r = Step(v1::PROGRESS_STEP_ESTIMATED_RESTORE);
  r.estimated_restore_at = at;
  return r;
}

struct Case {
  std::string name;
  ProgressState state;
  ProgressReport report;
  absl::StatusCode code;
  std::string message_has = "";
  OrderStatus status_after = v1::ORDER_STATUS_UNSPECIFIED;  // checked when OK
};

TEST(ApplyProgressTest, StepsInOrderWithSensibleTimes) {
  const absl::Time d = kDispatched;
  std::vector<Case> cases = {
      // The happy path, one step at a time.
      {"crew assigned after accepting", Accepted(), Crew("Wang Wu", "13900000000"),
       absl::StatusCode::kOk, "", v1::ORDER_STATUS_IN_PROGRESS},
      {"departed after the crew", CrewAssigned(),
       Step(v1::PROGRESS_STEP_DEPARTED, d + absl::Minutes(5)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_IN_PROGRESS},
      {"arrived after departing", Departed(),
       Step(v1::PROGRESS_STEP_ARRIVED, d + absl::Minutes(40)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_IN_PROGRESS},
      {"cause after arriving", Arrived(), Cause("fuse blown", v1::FAULT_KIND_FUSE),
       absl::StatusCode::kOk, "", v1::ORDER_STATUS_IN_PROGRESS},
      {"estimate needs only the crew", CrewAssigned(), Estimate(kNow + absl::Hours(1)),
       absl::StatusCode::kOk, "", v1::ORDER_STATUS_IN_PROGRESS},
      {"completed after arriving resolves", Arrived(),
       Step(v1::PROGRESS_STEP_COMPLETED, d + absl::Minutes(90)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_RESOLVED},
      {"power restored before completion", Arrived(),
       Step(v1::PROGRESS_STEP_POWER_RESTORED, d + absl::Minutes(60)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_IN_PROGRESS},
      {"power restored after completion keeps it resolved", Completed(),
       Step(v1::PROGRESS_STEP_POWER_RESTORED, d + absl::Minutes(95)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_RESOLVED},
      {"a new crew before departure", CrewAssigned(), Crew("Zhao Liu", "0571-88000000"),
       absl::StatusCode::kOk, "", v1::ORDER_STATUS_IN_PROGRESS},
      {"a repeated report is accepted", Departed(),
       Step(v1::PROGRESS_STEP_DEPARTED, d + absl::Minutes(5)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_IN_PROGRESS},

      // Out of order: FAILED_PRECONDITION.
      {"nothing before the ack",
       [] {
         ProgressState s = Accepted();
         s.status = v1::ORDER_STATUS_DISPATCHED;
         return s;
       }(),
       Crew("Wang Wu", "13900000000"), absl::StatusCode::kFailedPrecondition, "acknowledge"},
      {"departed before a crew", Accepted(), Step(v1::PROGRESS_STEP_DEPARTED, d + absl::Minutes(5)),
       absl::StatusCode::kFailedPrecondition, "crew_assigned first"},
      {"arrived before departing", CrewAssigned(),
       Step(v1::PROGRESS_STEP_ARRIVED, d + absl::Minutes(5)), absl::StatusCode::kFailedPrecondition,
       "departed first"},
      {"completed before arriving", Departed(),
       Step(v1::PROGRESS_STEP_COMPLETED, d + absl::Minutes(50)),
       absl::StatusCode::kFailedPrecondition, "arrived first"},
      {"cause before arriving", Departed(), Cause("fuse", v1::FAULT_KIND_FUSE),
       absl::StatusCode::kFailedPrecondition, "arrived first"},
      {"power restored before arriving", Departed(),
       Step(v1::PROGRESS_STEP_POWER_RESTORED, d + absl::Minutes(30)),
       absl::StatusCode::kFailedPrecondition, "arrived first"},
      {"a second, different departure", Departed(),
       Step(v1::PROGRESS_STEP_DEPARTED, d + absl::Minutes(7)),
       absl::StatusCode::kFailedPrecondition, "already reported"},
      {"a new crew after departure", Departed(), Crew("Zhao Liu", "13900000001"),
       absl::StatusCode::kFailedPrecondition, "already departed"},
      {"anything but power after completion", Completed(), Cause("fuse", v1::FAULT_KIND_FUSE),
       absl::StatusCode::kFailedPrecondition, "already completed"},
      {"nothing on a cancelled order",
       [] {
         ProgressState s = Arrived();
         s.status = v1::ORDER_STATUS_CANCELLED;
         return s;
       }(),
       Step(v1::PROGRESS_STEP_COMPLETED, d + absl::Minutes(90)),
       absl::StatusCode::kFailedPrecondition, "cancelled"},

      // Bad fields and times: INVALID_ARGUMENT.
      {"no step", Accepted(), Step(v1::PROGRESS_STEP_UNSPECIFIED),
       absl::StatusCode::kInvalidArgument, "step"},
      {"crew without a lead", Accepted(), Crew(" ", "13900000000"),
       absl::StatusCode::kInvalidArgument, "crew_lead"},
      {"crew with a bad phone", Accepted(), Crew("Wang Wu", "1234"),
       absl::StatusCode::kInvalidArgument, "crew_phone"},
      {"departed without a time", CrewAssigned(), Step(v1::PROGRESS_STEP_DEPARTED),
       absl::StatusCode::kInvalidArgument, "at: required"},
      {"departed in the future", CrewAssigned(),
       Step(v1::PROGRESS_STEP_DEPARTED, kNow + absl::Minutes(10)),
       absl::StatusCode::kInvalidArgument, "in the future"},
      {"departed before the dispatch", CrewAssigned(),
       Step(v1::PROGRESS_STEP_DEPARTED, d - absl::Minutes(10)), absl::StatusCode::kInvalidArgument,
       "before the order was dispatched"},
      {"arrived before the departure", Departed(),
       Step(v1::PROGRESS_STEP_ARRIVED, d + absl::Minutes(4)), absl::StatusCode::kInvalidArgument,
       "before the departure"},
      {"completed before the arrival", Arrived(),
       Step(v1::PROGRESS_STEP_COMPLETED, d + absl::Minutes(39)), absl::StatusCode::kInvalidArgument,
       "before the arrival"},
      {"an estimate in the past", CrewAssigned(), Estimate(kNow - absl::Hours(1)),
       absl::StatusCode::kInvalidArgument, "in the past"},
      {"a cause without a kind", Arrived(), Cause("fuse", v1::FAULT_KIND_UNSPECIFIED),
       absl::StatusCode::kInvalidArgument, "fault_kind"},
      {"a cause without words", Arrived(), Cause("", v1::FAULT_KIND_FUSE),
       absl::StatusCode::kInvalidArgument, "cause"},
      {"a little clock skew is fine", CrewAssigned(),
       Step(v1::PROGRESS_STEP_DEPARTED, kNow + absl::Minutes(1)), absl::StatusCode::kOk, "",
       v1::ORDER_STATUS_IN_PROGRESS},
  };
  ProgressRules rules;
  rules.clock_skew = absl::Minutes(2);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<ProgressResult> result = ApplyProgress(c.state, c.report, kNow, rules);
    EXPECT_EQ(result.status().code(), c.code) << result.status();
    if (!result.ok()) {
      EXPECT_TRUE(absl::StrContains(result.status().message(), c.message_has)) << result.status();
    } else {
      EXPECT_EQ(result->state.status, c.status_after);
    }
  }
}

TEST(ApplyProgressTest, RecordsTheStepAndReportsRepeats) {
  ProgressRules rules;
  auto arrived = ApplyProgress(
      Departed(), Step(v1::PROGRESS_STEP_ARRIVED, kDispatched + absl::Minutes(40)), kNow, rules);
  ASSERT_TRUE(arrived.ok()) << arrived.status();
  EXPECT_FALSE(arrived->repeated);
  EXPECT_EQ(arrived->state.arrived_at, kDispatched + absl::Minutes(40));
  EXPECT_EQ(arrived->state.last_step, v1::PROGRESS_STEP_ARRIVED);
  EXPECT_EQ(arrived->step_at, kDispatched + absl::Minutes(40));

  auto again =
      ApplyProgress(arrived->state,
                    Step(v1::PROGRESS_STEP_ARRIVED, kDispatched + absl::Minutes(40)), kNow, rules);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->repeated);

  auto revised = ApplyProgress(arrived->state, Cause("fuse", v1::FAULT_KIND_FUSE), kNow, rules);
  ASSERT_TRUE(revised.ok());
  auto revised_again = ApplyProgress(
      revised->state, Cause("knife switch burnt", v1::FAULT_KIND_KNIFE_SWITCH), kNow, rules);
  ASSERT_TRUE(revised_again.ok()) << revised_again.status();
  EXPECT_EQ(revised_again->state.fault_kind, v1::FAULT_KIND_KNIFE_SWITCH);
}

TEST(ApplyProgressTest, AnOrderThatIsNotARepairOnlyCompletesWithANote) {
  ProgressState complaint = Accepted();
  complaint.repair = false;
  ProgressRules rules;
  EXPECT_EQ(ApplyProgress(complaint, Crew("Wang Wu", "13900000000"), kNow, rules).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ProgressReport done = Step(v1::PROGRESS_STEP_COMPLETED, kNow);
  EXPECT_EQ(ApplyProgress(complaint, done, kNow, rules).status().code(),
            absl::StatusCode::kInvalidArgument);
  done.note = "apologised; bill corrected";
  auto resolved = ApplyProgress(complaint, done, kNow, rules);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state.status, v1::ORDER_STATUS_RESOLVED);
  EXPECT_EQ(resolved->state.note, "apologised; bill corrected");
}

}  // namespace
}  // namespace hotline::dispatch
