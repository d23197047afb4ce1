// Which clocks each event starts and stops.

#include "services/sla/domain/clock_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::sla {

void PrintTo(const ClockCommand& c, std::ostream* os) {
  static const char* const kKinds[] = {"start", "stop", "stop_ticket"};
  *os << "{" << kKinds[static_cast<int>(c.kind)] << " " << c.ticket_id << " " << EnumText(c.stage)
      << " unit='" << c.unit << "' " << absl::FormatTime(c.at) << " " << c.reason << " "
      << c.ticket_number << " " << EnumText(c.ticket_type) << " " << EnumText(c.area_class)
      << " superior='" << c.superior_unit << "'" << (c.supersedes_other_units ? " supersedes" : "")
      << "}";
}

namespace {

using common::v1::AreaClass;
using common::v1::TicketType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Kind = ClockCommand::Kind;

const absl::Time kCreated = absl::FromUnixSeconds(1790000000);
const absl::Time kOccurred = kCreated + absl::Minutes(3);
const absl::Time kStep = kCreated + absl::Minutes(40);

ClockCommand Start(v1::Stage stage, std::string unit, absl::Time at, TicketType type,
                   AreaClass area, std::string superior = "", bool supersedes = false) {
  ClockCommand c;
  c.kind = Kind::kStart;
  c.ticket_id = "T1";
  c.stage = stage;
  c.unit = std::move(unit);
  c.at = at;
  c.ticket_number = "GD-20260920-000001";
  c.ticket_type = type;
  c.area_class = area;
  c.superior_unit = std::move(superior);
  c.supersedes_other_units = supersedes;
  return c;
}

ClockCommand Stop(v1::Stage stage, std::string unit, absl::Time at, std::string reason) {
  ClockCommand c;
  c.kind = Kind::kStop;
  c.ticket_id = "T1";
  c.stage = stage;
  c.unit = std::move(unit);
  c.at = at;
  c.reason = std::move(reason);
  return c;
}

intake::v1::TicketCreated Created(TicketType type,
                                  common::v1::Channel channel = common::v1::CHANNEL_PHONE) {
  intake::v1::TicketCreated e;
  e.set_ticket_id("T1");
  e.set_ticket_number("GD-20260920-000001");
  e.set_type(type);
  e.set_channel(channel);
  e.mutable_address()->set_area_class(common::v1::AREA_CLASS_RURAL);
  *e.mutable_created_at() = ToProtoTime(kCreated);
  return e;
}

dispatch::v1::OrderEvent Order(TicketType type, std::string branch = "SS-1") {
  dispatch::v1::OrderEvent e;
  e.set_order_id("O1");
  e.set_ticket_id("T1");
  e.set_ticket_number("GD-20260920-000001");
  e.set_ticket_type(type);
  e.set_area_class(common::v1::AREA_CLASS_RURAL);
  e.set_branch_id(std::move(branch));
  e.set_superior_branch_id("CO-1");
  *e.mutable_occurred_at() = ToProtoTime(kOccurred);
  return e;
}

TEST(ClockCommands, TicketCreatedStartsTheTicketsOwnClocks) {
  using namespace common::v1;
  constexpr AreaClass kRural = AREA_CLASS_RURAL;
  EXPECT_THAT(CommandsForTicketCreated(Created(TICKET_TYPE_REPAIR)),
              ElementsAre(Start(v1::STAGE_DISPATCH, "", kCreated, TICKET_TYPE_REPAIR, kRural)));
  EXPECT_THAT(
      CommandsForTicketCreated(Created(TICKET_TYPE_CONSULTATION)),
      ElementsAre(
          Start(v1::STAGE_CONSULTATION_DISPATCH, "", kCreated, TICKET_TYPE_CONSULTATION, kRural),
          Start(v1::STAGE_DEPARTMENT_ANSWER, "", kCreated, TICKET_TYPE_CONSULTATION, kRural)));
  EXPECT_THAT(
      CommandsForTicketCreated(Created(TICKET_TYPE_QUERY)),
      ElementsAre(Start(v1::STAGE_DEPARTMENT_ANSWER, "", kCreated, TICKET_TYPE_QUERY, kRural)));
  EXPECT_THAT(
      CommandsForTicketCreated(Created(TICKET_TYPE_COMPLAINT)),
      ElementsAre(Start(v1::STAGE_COMPLAINT_RESULT, "", kCreated, TICKET_TYPE_COMPLAINT, kRural)));
  EXPECT_THAT(
      CommandsForTicketCreated(Created(TICKET_TYPE_REPORT)),
      ElementsAre(Start(v1::STAGE_REPORT_RESULT, "", kCreated, TICKET_TYPE_REPORT, kRural)));
  EXPECT_THAT(CommandsForTicketCreated(Created(TICKET_TYPE_APPLICATION)),
              ElementsAre(Start(v1::STAGE_APPLICATION_CONTACT, "", kCreated,
                                TICKET_TYPE_APPLICATION, kRural)));
  EXPECT_THAT(CommandsForTicketCreated(Created(TICKET_TYPE_SUGGESTION)), IsEmpty());
  EXPECT_THAT(CommandsForTicketCreated(Created(TICKET_TYPE_PRAISE)), IsEmpty());
  // A voicemail: its own clock besides the type's.
  EXPECT_THAT(CommandsForTicketCreated(Created(TICKET_TYPE_REPAIR, CHANNEL_IVR_VOICEMAIL)),
              ElementsAre(Start(v1::STAGE_DISPATCH, "", kCreated, TICKET_TYPE_REPAIR, kRural),
                          Start(v1::STAGE_VOICEMAIL, "", kCreated, TICKET_TYPE_REPAIR, kRural)));
  EXPECT_THAT(
      CommandsForTicketCreated(Created(TICKET_TYPE_SUGGESTION, CHANNEL_IVR_VOICEMAIL)),
      ElementsAre(Start(v1::STAGE_VOICEMAIL, "", kCreated, TICKET_TYPE_SUGGESTION, kRural)));
}

TEST(ClockCommands, TicketCancelledStopsEveryClockOfTheTicket) {
  intake::v1::TicketCancelled e;
  e.set_ticket_id("T1");
  e.set_reason("customer withdrew");
  *e.mutable_cancelled_at() = ToProtoTime(kStep);
  ClockCommand stop;
  stop.kind = Kind::kStopTicket;
  stop.ticket_id = "T1";
  stop.at = kStep;
  stop.reason = "cancelled";
  EXPECT_THAT(CommandsForTicketCancelled(e), ElementsAre(stop));
}

// The order is not sent until its branch acknowledges it: dispatching it
// stops only the voicemail clock, and starts the branch's own clock.
TEST(ClockCommands, OrderDispatchedToABranchStopsTheVoicemailClockAndStartsTheBranchs) {
  using namespace common::v1;
  constexpr AreaClass kRural = AREA_CLASS_RURAL;
  auto stops = [](std::vector<ClockCommand> more) {
    std::vector<ClockCommand> all = {Stop(v1::STAGE_VOICEMAIL, "", kOccurred, "met")};
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_REPAIR)),
            stops({Start(v1::STAGE_ARRIVAL, "SS-1", kOccurred, TICKET_TYPE_REPAIR, kRural, "CO-1",
                         true)}));
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_CONSULTATION)),
            stops({Start(v1::STAGE_DEPARTMENT_ANSWER, "SS-1", kOccurred, TICKET_TYPE_CONSULTATION,
                         kRural, "CO-1", true)}));
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_QUERY)),
            stops({Start(v1::STAGE_DEPARTMENT_ANSWER, "SS-1", kOccurred, TICKET_TYPE_QUERY, kRural,
                         "CO-1", true)}));
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_COMPLAINT)),
            stops({Start(v1::STAGE_COMPLAINT_RESULT, "SS-1", kOccurred, TICKET_TYPE_COMPLAINT,
                         kRural, "CO-1", true)}));
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_REPORT)),
            stops({Start(v1::STAGE_REPORT_RESULT, "SS-1", kOccurred, TICKET_TYPE_REPORT, kRural,
                         "CO-1", true)}));
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_APPLICATION)),
            stops({Start(v1::STAGE_APPLICATION_CONTACT, "SS-1", kOccurred, TICKET_TYPE_APPLICATION,
                         kRural, "CO-1", true)}));
  EXPECT_EQ(CommandsForOrderEvent("order.dispatched", Order(TICKET_TYPE_SUGGESTION)), stops({}));
}

TEST(ClockCommands, OrderDispatchedToTheDispatchersChangesNothing) {
  dispatch::v1::OrderEvent e = Order(common::v1::TICKET_TYPE_REPAIR, "");
  e.set_with_dispatcher(true);
  EXPECT_THAT(CommandsForOrderEvent("order.dispatched", e), IsEmpty());
}

TEST(ClockCommands, OrderProgress) {
  using namespace common::v1;
  dispatch::v1::OrderEvent arrived = Order(TICKET_TYPE_REPAIR);
  arrived.set_progress_step("arrived");
  *arrived.mutable_step_at() = ToProtoTime(kStep);
  // A branch that reports has the order: it counts as sent, should its
  // acknowledgement come late.
  EXPECT_THAT(CommandsForOrderEvent("order.progress", arrived),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_ARRIVAL, "SS-1", kStep, "met")));
  // Without a step time, when dispatch heard of it.
  arrived.clear_step_at();
  EXPECT_THAT(CommandsForOrderEvent("order.progress", arrived),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_ARRIVAL, "SS-1", kOccurred, "met")));

  dispatch::v1::OrderEvent departed = Order(TICKET_TYPE_REPAIR);
  departed.set_progress_step("departed");
  EXPECT_THAT(CommandsForOrderEvent("order.progress", departed),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kOccurred, "met")));

  // Any progress on an application: the applicant was contacted.
  dispatch::v1::OrderEvent contacted = Order(TICKET_TYPE_APPLICATION);
  contacted.set_progress_step("contacted");
  *contacted.mutable_step_at() = ToProtoTime(kStep);
  EXPECT_THAT(CommandsForOrderEvent("order.progress", contacted),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_APPLICATION_CONTACT, "", kStep, "met"),
                          Stop(v1::STAGE_APPLICATION_CONTACT, "SS-1", kStep, "met")));
}

TEST(ClockCommands, OrderResolved) {
  using namespace common::v1;
  dispatch::v1::OrderEvent repair = Order(TICKET_TYPE_REPAIR);
  repair.set_progress_step("completed");
  *repair.mutable_step_at() = ToProtoTime(kStep);
  EXPECT_THAT(CommandsForOrderEvent("order.resolved", repair),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_ARRIVAL, "SS-1", kStep, "met")));

  dispatch::v1::OrderEvent complaint = Order(TICKET_TYPE_COMPLAINT);
  EXPECT_THAT(CommandsForOrderEvent("order.resolved", complaint),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_ARRIVAL, "SS-1", kOccurred, "met"),
                          Stop(v1::STAGE_COMPLAINT_RESULT, "", kOccurred, "met"),
                          Stop(v1::STAGE_COMPLAINT_RESULT, "SS-1", kOccurred, "met")));

  dispatch::v1::OrderEvent query = Order(TICKET_TYPE_QUERY);
  *query.mutable_step_at() = ToProtoTime(kStep);
  EXPECT_THAT(CommandsForOrderEvent("order.resolved", query),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kStep, "met"),
                          Stop(v1::STAGE_ARRIVAL, "SS-1", kStep, "met"),
                          Stop(v1::STAGE_DEPARTMENT_ANSWER, "", kStep, "met"),
                          Stop(v1::STAGE_DEPARTMENT_ANSWER, "SS-1", kStep, "met")));

  dispatch::v1::OrderEvent report = Order(TICKET_TYPE_REPORT);
  EXPECT_THAT(CommandsForOrderEvent("order.resolved", report),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_ARRIVAL, "SS-1", kOccurred, "met"),
                          Stop(v1::STAGE_REPORT_RESULT, "", kOccurred, "met"),
                          Stop(v1::STAGE_REPORT_RESULT, "SS-1", kOccurred, "met")));
}

TEST(ClockCommands, OrderReturned) {
  using namespace common::v1;
  // Returned by SS-1 and sent on to SS-2: SS-1's arrival clock stops, SS-2's starts.
  dispatch::v1::OrderEvent onward = Order(TICKET_TYPE_REPAIR, "SS-2");
  onward.set_returned_by("SS-1");
  onward.set_return_reason("not our territory");
  EXPECT_THAT(CommandsForOrderEvent("order.returned", onward),
              ElementsAre(Stop(v1::STAGE_ARRIVAL, "SS-1", kOccurred, "returned"),
                          Start(v1::STAGE_ARRIVAL, "SS-2", kOccurred, TICKET_TYPE_REPAIR,
                                AREA_CLASS_RURAL, "CO-1", true)));
  // Returned to the dispatchers: only the stop.
  dispatch::v1::OrderEvent back = Order(TICKET_TYPE_COMPLAINT, "");
  back.set_returned_by("MKT-1");
  back.set_with_dispatcher(true);
  EXPECT_THAT(CommandsForOrderEvent("order.returned", back),
              ElementsAre(Stop(v1::STAGE_COMPLAINT_RESULT, "MKT-1", kOccurred, "returned")));
}

TEST(ClockCommands, OrderNotDispatchedStopsTheDispatchClock) {
  dispatch::v1::OrderEvent e = Order(common::v1::TICKET_TYPE_REPAIR, "");
  e.set_advice("call an electrician");
  EXPECT_THAT(CommandsForOrderEvent("order.not_dispatched", e),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kOccurred, "not_dispatched")));
}

TEST(ClockCommands, AcceptedStopsTheSendingClocks) {
  EXPECT_THAT(CommandsForOrderEvent("order.accepted", Order(common::v1::TICKET_TYPE_REPAIR)),
              ElementsAre(Stop(v1::STAGE_DISPATCH, "", kOccurred, "met"),
                          Stop(v1::STAGE_CONSULTATION_DISPATCH, "", kOccurred, "met")));
}

TEST(ClockCommands, UnknownTopicsChangeNothing) {
  EXPECT_THAT(CommandsForOrderEvent("order.archived", Order(common::v1::TICKET_TYPE_REPAIR)),
              IsEmpty());
}

TEST(ClockCommands, UnitStages) {
  using namespace common::v1;
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_REPAIR), v1::STAGE_ARRIVAL);
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_CONSULTATION), v1::STAGE_DEPARTMENT_ANSWER);
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_QUERY), v1::STAGE_DEPARTMENT_ANSWER);
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_COMPLAINT), v1::STAGE_COMPLAINT_RESULT);
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_REPORT), v1::STAGE_REPORT_RESULT);
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_APPLICATION), v1::STAGE_APPLICATION_CONTACT);
  EXPECT_EQ(UnitStageOf(TICKET_TYPE_URGING), v1::STAGE_UNSPECIFIED);
}

}  // namespace
}  // namespace hotline::sla
