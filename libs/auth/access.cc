#include "libs/auth/access.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"

namespace hotline::auth {
namespace {

constexpr Role kAgent = Role::kAgent;
constexpr Role kShiftLeader = Role::kShiftLeader;
constexpr Role kDispatcher = Role::kDispatcher;
constexpr Role kBranch = Role::kBranch;
constexpr Role kSupervisor = Role::kSupervisor;
constexpr Role kDiscipline = Role::kDiscipline;
constexpr Role kService = Role::kService;
constexpr Role kAdmin = Role::kAdmin;

constexpr RoleSet kReadTickets =
    Roles({kAgent, kShiftLeader, kDispatcher, kSupervisor, kDiscipline, kAdmin});
constexpr RoleSet kBranchSystem = Roles({kBranch});

constexpr MethodAccess kTable[] = {
    // Events between services: the other services' relays only, never a person.
    {"/hotline.common.v1.EventSink/DeliverEvents", Roles({kService}), "deliver events"},
    // A service's test clock (only where --test-clock is set): operators in QA.
    {"/hotline.common.v1.TestClock/GetTime", Roles({kAdmin}), "read the test clock"},
    {"/hotline.common.v1.TestClock/SetTime", Roles({kAdmin}), "move the test clock"},
    {"/hotline.common.v1.TestClock/AdvanceTime", Roles({kAdmin}), "move the test clock"},

    // intake: tickets.
    {"/hotline.intake.v1.TicketIntake/CreateTicket", Roles({kAgent, kShiftLeader, kAdmin}),
     "create tickets"},
    {"/hotline.intake.v1.TicketIntake/GetTicket", kReadTickets, "read tickets"},
    {"/hotline.intake.v1.TicketIntake/ListTickets", kReadTickets, "read tickets"},
    {"/hotline.intake.v1.TicketIntake/AddNote", Roles({kAgent, kShiftLeader, kAdmin}),
     "add notes to tickets"},
    {"/hotline.intake.v1.TicketIntake/UrgeTicket", Roles({kAgent, kShiftLeader, kAdmin}),
     "urge tickets"},
    {"/hotline.intake.v1.TicketIntake/CancelTicket", Roles({kShiftLeader, kAdmin}),
     "cancel tickets"},
    {"/hotline.intake.v1.TicketIntake/GetHistory", kReadTickets, "read tickets"},

    // intake: the telephony side. An agent sets only its own state (checked
    // in the handler).
    {"/hotline.intake.v1.CallCenter/RecordCallEvent", Roles({kService, kAdmin}),
     "record call events"},
    {"/hotline.intake.v1.CallCenter/StreamCallEvents", Roles({kService, kAdmin}),
     "record call events"},
    {"/hotline.intake.v1.CallCenter/SetAgentState", Roles({kService, kAgent, kAdmin}),
     "set agents' states"},
    {"/hotline.intake.v1.CallCenter/GetCall", Roles({kSupervisor, kShiftLeader, kService, kAdmin}),
     "read calls"},
    {"/hotline.intake.v1.CallCenter/GetLiveQueue", Roles({kSupervisor, kShiftLeader, kAdmin}),
     "read the live queue"},
    {"/hotline.intake.v1.CallCenter/WatchLiveQueue", Roles({kSupervisor, kShiftLeader, kAdmin}),
     "watch the live queue"},
    {"/hotline.intake.v1.CallCenter/GetCallStats", Roles({kSupervisor, kShiftLeader, kAdmin}),
     "read call statistics"},

    // dispatch: branches and orders. A branch reads only its own orders
    // (checked in the handler).
    {"/hotline.dispatch.v1.Dispatch/UpsertBranch", Roles({kAdmin}), "change the branch table"},
    {"/hotline.dispatch.v1.Dispatch/GetBranch", kEveryRole, "read branches"},
    {"/hotline.dispatch.v1.Dispatch/ListBranches", kEveryRole, "read branches"},
    {"/hotline.dispatch.v1.Dispatch/GetOrder", kEveryRole, "read orders"},
    {"/hotline.dispatch.v1.Dispatch/ListOrders", kEveryRole, "read orders"},
    {"/hotline.dispatch.v1.Dispatch/ReassignOrder", Roles({kDispatcher, kAdmin}),
     "reassign orders"},

    // dispatch: the branch systems, each for its own branch only.
    {"/hotline.dispatch.v1.BranchOrders/PullOrders", kBranchSystem,
     "act for a branch: use the branch system's token"},
    {"/hotline.dispatch.v1.BranchOrders/PollOrders", kBranchSystem,
     "act for a branch: use the branch system's token"},
    {"/hotline.dispatch.v1.BranchOrders/AckOrder", kBranchSystem,
     "act for a branch: use the branch system's token"},
    {"/hotline.dispatch.v1.BranchOrders/ReportProgress", kBranchSystem,
     "act for a branch: use the branch system's token"},
    {"/hotline.dispatch.v1.BranchOrders/ReturnOrder", kBranchSystem,
     "act for a branch: use the branch system's token"},

    // sla: deadline clocks. Policies and calendars are changed by operators;
    // clocks are driven by events, and by the staff and services that know of
    // what no event covers; shift leaders and supervisors watch them.
    {"/hotline.sla.v1.SlaTracker/GetPolicies",
     Roles({kShiftLeader, kSupervisor, kDispatcher, kAdmin}), "read deadline policies"},
    {"/hotline.sla.v1.SlaTracker/SetPolicy", Roles({kAdmin}), "change deadline policies"},
    {"/hotline.sla.v1.SlaTracker/GetCalendar", kEveryRole, "read the working-day calendar"},
    {"/hotline.sla.v1.SlaTracker/SetCalendar", Roles({kAdmin}), "change the working-day calendar"},
    {"/hotline.sla.v1.SlaTracker/StartClock",
     Roles({kAgent, kShiftLeader, kDispatcher, kService, kAdmin}), "drive deadline clocks"},
    {"/hotline.sla.v1.SlaTracker/StopClock",
     Roles({kAgent, kShiftLeader, kDispatcher, kService, kAdmin}), "drive deadline clocks"},
    {"/hotline.sla.v1.SlaTracker/PauseClock",
     Roles({kAgent, kShiftLeader, kDispatcher, kService, kAdmin}), "drive deadline clocks"},
    {"/hotline.sla.v1.SlaTracker/ResumeClock",
     Roles({kAgent, kShiftLeader, kDispatcher, kService, kAdmin}), "drive deadline clocks"},
    {"/hotline.sla.v1.SlaTracker/GetClocks",
     Roles({kAgent, kShiftLeader, kDispatcher, kSupervisor, kService, kAdmin}),
     "read deadline clocks"},
    {"/hotline.sla.v1.SlaTracker/ListOverdue", Roles({kShiftLeader, kSupervisor, kAdmin}),
     "read deadline clocks"},
    {"/hotline.sla.v1.SlaTracker/ComputeDeadlines", Roles({kService, kAdmin}), "compute deadlines"},
    {"/hotline.sla.v1.SlaTracker/WatchEvents", Roles({kShiftLeader, kSupervisor, kAdmin}),
     "watch deadline events"},
    {"/hotline.sla.v1.SlaTracker/GetShiftReport", Roles({kShiftLeader, kSupervisor, kAdmin}),
     "read shift reports"},

    // outage: dispatchers publish and drive notices; intake (a service) and
    // the staff who talk to customers check addresses; the IVR, SMS and web
    // channels (services) watch them.
    {"/hotline.outage.v1.OutageNotices/PublishNotice", Roles({kDispatcher, kAdmin}),
     "publish outage notices"},
    {"/hotline.outage.v1.OutageNotices/AmendNotice", Roles({kDispatcher, kAdmin}),
     "change outage notices"},
    {"/hotline.outage.v1.OutageNotices/CancelNotice", Roles({kDispatcher, kAdmin}),
     "change outage notices"},
    {"/hotline.outage.v1.OutageNotices/StartNotice", Roles({kDispatcher, kAdmin}),
     "change outage notices"},
    {"/hotline.outage.v1.OutageNotices/RestoreNotice", Roles({kDispatcher, kAdmin}),
     "change outage notices"},
    {"/hotline.outage.v1.OutageNotices/ConfirmNotice", Roles({kDispatcher, kAdmin}),
     "change outage notices"},
    {"/hotline.outage.v1.OutageNotices/GetNotice", kEveryRole, "read outage notices"},
    {"/hotline.outage.v1.OutageNotices/CheckAddress",
     Roles({kAgent, kShiftLeader, kDispatcher, kSupervisor, kService, kAdmin}),
     "check addresses against outage notices"},
    {"/hotline.outage.v1.OutageNotices/ListNotices", kEveryRole, "read outage notices"},
    {"/hotline.outage.v1.OutageNotices/WatchNotices",
     Roles({kShiftLeader, kDispatcher, kSupervisor, kService, kAdmin}), "watch outage notices"},
    {"/hotline.outage.v1.OutageNotices/GetReliability",
     Roles({kShiftLeader, kDispatcher, kSupervisor, kAdmin}), "read reliability figures"},

    // survey: callbacks, made by agents, and by discipline staff for named
    // reporters (only they see a reporter's identity); shift leaders and
    // supervisors read them and the figures.
    {"/hotline.survey.v1.CallbackSurveys/ScheduleCallback",
     Roles({kAgent, kShiftLeader, kSupervisor, kDiscipline, kAdmin}), "schedule callbacks"},
    {"/hotline.survey.v1.CallbackSurveys/NextCallback", Roles({kAgent, kDiscipline, kAdmin}),
     "make callbacks"},
    {"/hotline.survey.v1.CallbackSurveys/RecordAttempt", Roles({kAgent, kDiscipline, kAdmin}),
     "make callbacks"},
    {"/hotline.survey.v1.CallbackSurveys/RecordAnswer", Roles({kAgent, kDiscipline, kAdmin}),
     "make callbacks"},
    {"/hotline.survey.v1.CallbackSurveys/GetCallback",
     Roles({kAgent, kShiftLeader, kSupervisor, kDiscipline, kAdmin}), "read callbacks"},
    {"/hotline.survey.v1.CallbackSurveys/GetSurveyStats",
     Roles({kShiftLeader, kSupervisor, kDiscipline, kAdmin}), "read survey figures"},
};

}  // namespace

absl::Span<const MethodAccess> AccessTable() { return kTable; }

const MethodAccess* FindMethodAccess(absl::string_view method) {
  for (const MethodAccess& row : kTable) {
    if (row.method == method) {
      return &row;
    }
  }
  return nullptr;
}

absl::Status Authorize(const Principal& principal, absl::string_view method) {
  const MethodAccess* row = FindMethodAccess(method);
  if (row == nullptr) {
    return absl::InternalError(absl::StrCat("no access rule for ", method));
  }
  if (Contains(row->roles, principal.role)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", RoleName(principal.role), " may not ", row->action));
}

absl::StatusOr<Principal> AuthorizeCall(const TokenStore& tokens,
                                        const grpc::ServerContextBase& context,
                                        absl::string_view method) {
  HOTLINE_ASSIGN_OR_RETURN(Principal principal, tokens.Authenticate(context));
  HOTLINE_RETURN_IF_ERROR(Authorize(principal, method));
  HOTLINE_RETURN_IF_ERROR(tokens.AdmitCall(principal));
  return principal;
}

}  // namespace hotline::auth
