// Tickets end to end: the real service binaries over gRPC against real
// PostgreSQL and Redis. Dispatch may or may not answer ticket.created yet;
// nothing here waits for it (order events are delivered to intake's EventSink
// directly, as dispatch would).

#include <grpcpp/client_context.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "hotline/common/v1/events.grpc.pb.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/intake.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

// `days` whole Monday-to-Friday days (Asia/Shanghai) counted from `from`:
// the due time of a working-day limit on a calendar without holidays.
absl::Time WeekdaysLater(absl::Time from, int days) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  absl::Duration left = absl::Hours(24) * days;
  absl::Time t = from;
  while (true) {
    const absl::CivilDay day = absl::ToCivilDay(t, zone);
    const absl::Time midnight = absl::FromCivil(day + 1, zone);
    const absl::Weekday weekday = absl::GetWeekday(day);
    if (weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday) {
      if (midnight - t >= left) {
        return t + left;
      }
      left -= midnight - t;
    }
    t = midnight;
  }
}

using common::v1::TicketStatus;
using common::v1::TicketType;
using intake::v1::CreateOutcome;
using intake::v1::CreateTicketRequest;
using intake::v1::CreateTicketResponse;
using intake::v1::Ticket;

std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  if (!token.empty()) {
    context->AddMetadata("authorization", "Bearer " + token);
  }
  return context;
}

google::protobuf::Timestamp Timestamp(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

// A unique place per call, so tests do not merge each other's repairs.
std::string UniqueStreet() {
  static std::atomic<int> next{1};
  return absl::StrCat("人民路", next++, "号");
}

std::string UniqueKey(absl::string_view what) {
  static std::atomic<int> next{1};
  return absl::StrCat(what, "-", ::getpid(), "-", next++);
}

// A valid create of `type` in `county` (urgings need `urged` set by the caller).
CreateTicketRequest Valid(TicketType type, const std::string& county = "城关区",
                          const std::string& street = UniqueStreet()) {
  CreateTicketRequest r;
  r.set_idempotency_key(UniqueKey("key"));
  r.set_type(type);
  r.set_channel(common::v1::CHANNEL_PHONE);
  if (type != TicketType::TICKET_TYPE_REPORT) {
    r.mutable_customer()->set_name("王五");
    r.mutable_customer()->set_phone("13912345678");
  }
  common::v1::Address& a = *r.mutable_address();
  a.set_city("兰州市");
  a.set_county(county);
  a.set_township("东岗街道");
  a.set_street(street);
  a.set_area_class(common::v1::AREA_CLASS_URBAN);
  r.set_description("客户来电反映情况");
  intake::v1::TicketDetails& d = *r.mutable_details();
  switch (type) {
    case TicketType::TICKET_TYPE_REPAIR: {
      intake::v1::RepairDetails& repair = *d.mutable_repair();
      repair.set_symptom(intake::v1::REPAIR_SYMPTOM_NO_POWER);
      repair.set_extent(intake::v1::FAULT_EXTENT_BUILDING);
      repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
      *repair.mutable_fault_time() = Timestamp(absl::Now() - absl::Minutes(10));
      repair.set_fault_category(intake::v1::FAULT_CATEGORY_OTHER);
      repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
      break;
    }
    case TicketType::TICKET_TYPE_CONSULTATION:
      d.mutable_consultation()->set_topic("峰谷电价");
      d.mutable_consultation()->set_resolution(intake::v1::INQUIRY_RESOLUTION_NEEDS_DEPARTMENT);
      break;
    case TicketType::TICKET_TYPE_QUERY:
      d.mutable_query()->set_topic("电费");
      d.mutable_query()->set_resolution(intake::v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE);
      d.mutable_query()->set_answer("本月电费126.40元");
      break;
    case TicketType::TICKET_TYPE_COMPLAINT:
      d.mutable_complaint()->set_category(intake::v1::COMPLAINT_CATEGORY_OUTAGE_AND_RESTORATION);
      break;
    case TicketType::TICKET_TYPE_REPORT:
      d.mutable_report()->set_subject(intake::v1::REPORT_SUBJECT_MISCONDUCT);
      d.mutable_report()->mutable_reporter()->set_name("张三丰");
      d.mutable_report()->mutable_reporter()->set_phone("13812345678");
      break;
    case TicketType::TICKET_TYPE_APPLICATION:
      d.mutable_application()->set_kind(intake::v1::APPLICATION_KIND_NEW_CONNECTION);
      break;
    case TicketType::TICKET_TYPE_URGING:
      d.mutable_urging();
      break;
    default:
      break;
  }
  return r;
}

class TicketsTest : public SharedBackendTest {
 protected:
  void SetUp() override {
    ASSERT_NE(backend_, nullptr);
    stub_ = intake::v1::TicketIntake::NewStub(backend_->Channel("intake"));
  }

  const std::string& Token(const std::string& role) { return backend_->Token(role); }

  grpc::Status Create(const CreateTicketRequest& request, CreateTicketResponse* response,
                      const std::string& role = "agent") {
    return stub_->CreateTicket(Context(Token(role)).get(), request, response);
  }

  CreateTicketResponse MustCreate(const CreateTicketRequest& request) {
    CreateTicketResponse response;
    grpc::Status status = Create(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << backend_->Log("intake");
    return response;
  }

  grpc::Status Get(const std::string& ticket_id, Ticket* ticket,
                   const std::string& role = "agent") {
    intake::v1::GetTicketRequest request;
    request.set_ticket_id(ticket_id);
    return stub_->GetTicket(Context(Token(role)).get(), request, ticket);
  }

  Ticket MustGet(const std::string& ticket_id, const std::string& role = "agent") {
    Ticket ticket;
    grpc::Status status = Get(ticket_id, &ticket, role);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return ticket;
  }

  std::vector<intake::v1::HistoryEntry> History(const std::string& ticket_id) {
    intake::v1::GetHistoryRequest request;
    request.set_ticket_id(ticket_id);
    intake::v1::GetHistoryResponse response;
    grpc::Status status = stub_->GetHistory(Context(Token("supervisor")).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.entries().begin(), response.entries().end()};
  }

  // Every ticket matching `request`'s filters, page by page.
  std::vector<Ticket> ListAll(intake::v1::ListTicketsRequest request, int page_size = 500) {
    std::vector<Ticket> all;
    request.mutable_page()->set_page_size(page_size);
    for (int pages = 0; pages < 1000; ++pages) {
      intake::v1::ListTicketsResponse response;
      grpc::Status status =
          stub_->ListTickets(Context(Token("supervisor")).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) {
        break;
      }
      all.insert(all.end(), response.tickets().begin(), response.tickets().end());
      if (response.page().next_cursor().empty()) {
        break;
      }
      request.mutable_page()->set_cursor(response.page().next_cursor());
    }
    return all;
  }

  std::vector<Ticket> ListCounty(const std::string& county) {
    intake::v1::ListTicketsRequest request;
    request.set_county(county);
    return ListAll(request);
  }

  grpc::Status Deliver(const common::v1::Event& event,
                       common::v1::DeliverEventsResponse* response) {
    auto sink = common::v1::EventSink::NewStub(backend_->Channel("intake"));
    common::v1::DeliverEventsRequest request;
    *request.add_events() = event;
    return sink->DeliverEvents(Context(Token("service")).get(), request, response);
  }

  std::unique_ptr<intake::v1::TicketIntake::Stub> stub_;
};

// A ticket without what dispatch's own order events may have changed since
// (dispatch may be running its routing in this backend).
Ticket Stable(Ticket ticket) {
  ticket.clear_status();
  ticket.clear_updated_at();
  ticket.clear_branch_id();
  ticket.clear_order_id();
  ticket.clear_order_number();
  ticket.clear_estimated_restore_at();
  for (auto& deadline : *ticket.mutable_deadlines()) {
    deadline.clear_met_at();
  }
  return ticket;
}

int Count(const std::vector<intake::v1::HistoryEntry>& entries, intake::v1::HistoryAction action) {
  int n = 0;
  for (const auto& entry : entries) {
    n += entry.action() == action ? 1 : 0;
  }
  return n;
}

TEST_F(TicketsTest, EveryTypeIsCreatedListedAndReadBack) {
  const std::string county = "类型区";
  std::map<std::string, Ticket> created;
  std::string repair_id;
  for (int t = 1; t <= 9; ++t) {
    auto type = static_cast<TicketType>(t);
    CreateTicketRequest request = Valid(type, county);
    if (type == TicketType::TICKET_TYPE_URGING) {
      request.mutable_details()->mutable_urging()->set_ticket_id(repair_id);
    }
    CreateTicketResponse response = MustCreate(request);
    const Ticket& ticket = response.ticket();
    EXPECT_EQ(ticket.type(), type) << TicketType_Name(type);
    EXPECT_FALSE(response.replayed());
    EXPECT_TRUE(std::regex_match(ticket.ticket_number(), std::regex(R"(GD-\d{8}-\d{6,})")))
        << ticket.ticket_number();
    EXPECT_EQ(ticket.created_by(), "e2e-agent");
    switch (type) {
      case TicketType::TICKET_TYPE_REPAIR: {
        repair_id = ticket.ticket_id();
        EXPECT_EQ(response.outcome(), intake::v1::CREATE_OUTCOME_ROUTED);
        EXPECT_EQ(ticket.status(), TicketStatus::TICKET_STATUS_ROUTED);
        // No outage notice covers the address.
        EXPECT_EQ(ticket.outage().check(), intake::v1::OUTAGE_CHECK_CLEAR);
        EXPECT_TRUE(ticket.outage().skipped_reason().empty());
        ASSERT_EQ(ticket.deadlines_size(), 1);
        EXPECT_EQ(ticket.deadlines(0).kind(), intake::v1::DEADLINE_KIND_SEND_ORDER);
        EXPECT_EQ(ticket.deadlines(0).due_at().seconds() - ticket.created_at().seconds(), 300);
        break;
      }
      case TicketType::TICKET_TYPE_QUERY:
        EXPECT_EQ(response.outcome(), intake::v1::CREATE_OUTCOME_ANSWERED);
        EXPECT_EQ(ticket.status(), TicketStatus::TICKET_STATUS_ANSWERED);
        EXPECT_EQ(ticket.deadlines_size(), 0);
        break;
      case TicketType::TICKET_TYPE_URGING:
        EXPECT_EQ(response.outcome(), intake::v1::CREATE_OUTCOME_URGING_RECORDED);
        EXPECT_EQ(ticket.status(), TicketStatus::TICKET_STATUS_ANSWERED);
        EXPECT_EQ(ticket.linked_ticket_id(), repair_id);
        EXPECT_EQ(response.linked_ticket().ticket_id(), repair_id);
        EXPECT_EQ(response.linked_ticket().urgings(), 1);
        EXPECT_EQ(response.linked_ticket().urgency(), 1);
        break;
      case TicketType::TICKET_TYPE_COMPLAINT:
        // sla's complaint result: two working days (no holidays configured here).
        ASSERT_EQ(ticket.deadlines_size(), 1);
        EXPECT_EQ(FromProtoTime(ticket.deadlines(0).due_at()),
                  WeekdaysLater(FromProtoTime(ticket.created_at()), 2));
        [[fallthrough]];
      default:
        EXPECT_EQ(response.outcome(), intake::v1::CREATE_OUTCOME_ROUTED) << TicketType_Name(type);
        EXPECT_EQ(ticket.status(), TicketStatus::TICKET_STATUS_ROUTED) << TicketType_Name(type);
    }
    created[ticket.ticket_id()] = ticket;
  }
  // Read back one by one (the urging has since raised the repair's urgency).
  for (const auto& [id, ticket] : created) {
    Ticket read = MustGet(id);
    if (id == repair_id) {
      EXPECT_EQ(read.urgings(), 1);
      continue;
    }
    EXPECT_EQ(Stable(read).SerializeAsString(), Stable(ticket).SerializeAsString())
        << read.DebugString() << "\nvs\n"
        << ticket.DebugString();
  }
  // And listed: all nine, newest first.
  std::vector<Ticket> listed = ListCounty(county);
  ASSERT_EQ(listed.size(), 9u);
  std::set<int> types;
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(created.count(listed[i].ticket_id()), 1u);
    types.insert(listed[i].type());
    if (i > 0) {
      EXPECT_GE(
          listed[i - 1].created_at().seconds() * 1000000000LL + listed[i - 1].created_at().nanos(),
          listed[i].created_at().seconds() * 1000000000LL + listed[i].created_at().nanos());
    }
  }
  EXPECT_EQ(types.size(), 9u);
  // Filters: by type, by status, by township.
  intake::v1::ListTicketsRequest by_type;
  by_type.set_county(county);
  by_type.add_types(TicketType::TICKET_TYPE_COMPLAINT);
  by_type.add_types(TicketType::TICKET_TYPE_PRAISE);
  EXPECT_EQ(ListAll(by_type).size(), 2u);
  intake::v1::ListTicketsRequest by_status;
  by_status.set_county(county);
  by_status.add_statuses(TicketStatus::TICKET_STATUS_ANSWERED);
  by_status.add_types(TicketType::TICKET_TYPE_QUERY);
  by_status.add_types(TicketType::TICKET_TYPE_URGING);
  EXPECT_EQ(ListAll(by_status).size(), 2u);  // the query and the urging
  intake::v1::ListTicketsRequest elsewhere;
  elsewhere.set_county(county);
  elsewhere.set_township("别的街道");
  EXPECT_TRUE(ListAll(elsewhere).empty());
  // Paging two at a time yields the same nine, once each, in the same order.
  intake::v1::ListTicketsRequest in_county;
  in_county.set_county(county);
  std::vector<Ticket> paged = ListAll(in_county, 2);
  ASSERT_EQ(paged.size(), listed.size());
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].ticket_id(), listed[i].ticket_id());
  }
  // Read by number as well.
  intake::v1::GetTicketRequest by_number;
  by_number.set_ticket_number(created[repair_id].ticket_number());
  Ticket read;
  ASSERT_TRUE(stub_->GetTicket(Context(Token("dispatcher")).get(), by_number, &read).ok());
  EXPECT_EQ(read.ticket_id(), repair_id);

  // The repair's history records its creation, the outage check (clear) and
  // the move to routed.
  std::vector<intake::v1::HistoryEntry> history = History(repair_id);
  EXPECT_EQ(Count(history, intake::v1::HISTORY_ACTION_CREATED), 1);
  EXPECT_EQ(Count(history, intake::v1::HISTORY_ACTION_OUTAGE_CHECKED), 1);
  EXPECT_EQ(Count(history, intake::v1::HISTORY_ACTION_URGED), 1);
  bool clear = false;
  for (const auto& entry : history) {
    clear = clear || (entry.action() == intake::v1::HISTORY_ACTION_OUTAGE_CHECKED &&
                      absl::StartsWith(entry.detail(), "clear"));
  }
  EXPECT_TRUE(clear);

  // Counted in the metric.
  auto metrics = backend_->ScrapeMetrics("intake");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_NE(metrics->find("hotline_tickets_created_total{area_class=\"urban\",channel=\"phone\","
                          "type=\"repair\"}"),
            std::string::npos)
      << *metrics;
}

TEST_F(TicketsTest, ARetriedCreateReturnsTheSameTicketAndStoresOne) {
  const std::string county = "重试区";
  CreateTicketRequest request = Valid(TicketType::TICKET_TYPE_COMPLAINT, county);
  CreateTicketResponse first = MustCreate(request);
  CreateTicketResponse again = MustCreate(request);
  EXPECT_FALSE(first.replayed());
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(again.ticket().ticket_id(), first.ticket().ticket_id());
  EXPECT_EQ(again.ticket().ticket_number(), first.ticket().ticket_number());
  EXPECT_EQ(ListCounty(county).size(), 1u);

  // Retries racing each other: one ticket still.
  CreateTicketRequest raced = Valid(TicketType::TICKET_TYPE_REPAIR, county);
  constexpr int kRetries = 6;
  std::vector<CreateTicketResponse> responses(kRetries);
  std::vector<grpc::Status> statuses(kRetries);
  absl::Barrier* start = new absl::Barrier(kRetries);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRetries; ++i) {
    threads.emplace_back([&, i] {
      if (start->Block()) {
        delete start;
      }
      statuses[i] = Create(raced, &responses[i]);
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<std::string> ids;
  int fresh = 0;
  for (int i = 0; i < kRetries; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    ids.insert(responses[i].ticket().ticket_id());
    fresh += responses[i].replayed() ? 0 : 1;
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(fresh, 1);
  EXPECT_EQ(ListCounty(county).size(), 2u);

  // The same key with a different request is refused, naming the key.
  CreateTicketRequest changed = request;
  changed.set_description("别的内容");
  CreateTicketResponse refused;
  grpc::Status status = Create(changed, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "idempotency_key:"))
      << status.error_message();
  EXPECT_EQ(ListCounty(county).size(), 2u);

  // Keys belong to their caller: another principal sending the same key gets
  // a ticket of its own, not a replay of someone else's.
  CreateTicketRequest other = Valid(TicketType::TICKET_TYPE_CONSULTATION, county);
  other.set_idempotency_key(request.idempotency_key());
  CreateTicketResponse theirs;
  status = Create(other, &theirs, "shift_leader");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(theirs.replayed());
  EXPECT_NE(theirs.ticket().ticket_id(), first.ticket().ticket_id());
  EXPECT_EQ(theirs.ticket().type(), TicketType::TICKET_TYPE_CONSULTATION);
}

TEST_F(TicketsTest, TwoAgentsReportingOneFaultAtTheSameMomentMakeOneTicketAndOneUrging) {
  const std::string county = "并发区";
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string street = UniqueStreet();
    CreateTicketRequest a = Valid(TicketType::TICKET_TYPE_REPAIR, county, street);
    // The second agent types the same address a little differently.
    CreateTicketRequest b =
        Valid(TicketType::TICKET_TYPE_REPAIR, county, absl::StrCat(" ", street, "，"));
    b.mutable_customer()->set_phone("0931-8123456");
    CreateTicketResponse ra;
    CreateTicketResponse rb;
    grpc::Status sa;
    grpc::Status sb;
    absl::Barrier* start = new absl::Barrier(2);
    auto run = [&](const CreateTicketRequest& request, CreateTicketResponse* response,
                   grpc::Status* status) {
      if (start->Block()) {
        delete start;
      }
      *status = Create(request, response);
    };
    std::thread ta(run, std::cref(a), &ra, &sa);
    std::thread tb(run, std::cref(b), &rb, &sb);
    ta.join();
    tb.join();
    ASSERT_TRUE(sa.ok()) << sa.error_message();
    ASSERT_TRUE(sb.ok()) << sb.error_message();
    const CreateTicketResponse& routed =
        ra.outcome() == intake::v1::CREATE_OUTCOME_ROUTED ? ra : rb;
    const CreateTicketResponse& merged =
        ra.outcome() == intake::v1::CREATE_OUTCOME_ROUTED ? rb : ra;
    ASSERT_EQ(routed.outcome(), intake::v1::CREATE_OUTCOME_ROUTED) << "round " << round;
    ASSERT_EQ(merged.outcome(), intake::v1::CREATE_OUTCOME_MERGED_AS_URGING) << "round " << round;
    EXPECT_EQ(merged.ticket().type(), TicketType::TICKET_TYPE_URGING);
    EXPECT_EQ(merged.ticket().linked_ticket_id(), routed.ticket().ticket_id());
    EXPECT_EQ(merged.linked_ticket().ticket_id(), routed.ticket().ticket_id());
    EXPECT_EQ(merged.linked_ticket().urgings(), 1);
    Ticket repair = MustGet(routed.ticket().ticket_id());
    EXPECT_EQ(repair.urgings(), 1);
    EXPECT_EQ(repair.urgency(), 1);
  }
  // Per round: one repair, one urging.
  std::vector<Ticket> tickets = ListCounty(county);
  int repairs = 0;
  int urgings = 0;
  for (const Ticket& t : tickets) {
    repairs += t.type() == TicketType::TICKET_TYPE_REPAIR ? 1 : 0;
    urgings += t.type() == TicketType::TICKET_TYPE_URGING ? 1 : 0;
  }
  EXPECT_EQ(repairs, kRounds);
  EXPECT_EQ(urgings, kRounds);

  // The same transformer area also counts as one place.
  CreateTicketRequest first = Valid(TicketType::TICKET_TYPE_REPAIR, county);
  first.mutable_address()->set_transformer_area("TA-77");
  CreateTicketRequest second = Valid(TicketType::TICKET_TYPE_REPAIR, county);
  second.mutable_address()->set_transformer_area("ta-77 ");
  EXPECT_EQ(MustCreate(first).outcome(), intake::v1::CREATE_OUTCOME_ROUTED);
  EXPECT_EQ(MustCreate(second).outcome(), intake::v1::CREATE_OUTCOME_MERGED_AS_URGING);
}

TEST_F(TicketsTest, BadInputsAreRefusedNamingTheFieldAndStoreNothing) {
  struct Case {
    TicketType type;
    std::function<void(CreateTicketRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_idempotency_key(); },
       "idempotency_key"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_type(); }, "type"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_channel(); }, "channel"},
      {TicketType::TICKET_TYPE_REPAIR,
       [](auto& r) { r.set_channel(static_cast<common::v1::Channel>(77)); }, "channel"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_customer()->clear_name(); },
       "customer.name"},
      {TicketType::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_customer()->set_phone("23812345678"); }, "customer.phone"},
      {TicketType::TICKET_TYPE_COMPLAINT,
       [](auto& r) { r.mutable_customer()->set_phone("010-12"); }, "customer.phone"},
      {TicketType::TICKET_TYPE_QUERY, [](auto& r) { r.mutable_customer()->clear_phone(); },
       "customer.phone"},
      {TicketType::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_customer()->set_account_number("abc"); }, "customer.account_number"},
      {TicketType::TICKET_TYPE_REPORT, [](auto& r) { r.mutable_customer()->set_name("王五"); },
       "customer"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_address()->clear_street(); },
       "address.street"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_address()->clear_area_class(); },
       "address.area_class"},
      {TicketType::TICKET_TYPE_APPLICATION, [](auto& r) { r.mutable_address()->clear_county(); },
       "address.county"},
      {TicketType::TICKET_TYPE_PRAISE, [](auto& r) { r.clear_description(); }, "description"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.set_description(std::string(2001, 'x')); },
       "description"},
      {TicketType::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_details(); }, "details.repair"},
      {TicketType::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_symptom(); },
       "details.repair.symptom"},
      {TicketType::TICKET_TYPE_REPAIR,
       [](auto& r) {
         *r.mutable_details()->mutable_repair()->mutable_fault_time() =
             Timestamp(absl::Now() + absl::Hours(3));
       },
       "details.repair.fault_time"},
      {TicketType::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->set_wants_paid_service(true); },
       "details.repair.wants_paid_service"},
      {TicketType::TICKET_TYPE_COMPLAINT,
       [](auto& r) { r.mutable_details()->mutable_complaint()->clear_category(); },
       "details.complaint.category"},
      {TicketType::TICKET_TYPE_REPORT,
       [](auto& r) { r.mutable_details()->mutable_report()->mutable_reporter()->clear_phone(); },
       "details.report.reporter.phone"},
      {TicketType::TICKET_TYPE_CONSULTATION,
       [](auto& r) { r.mutable_details()->mutable_consultation()->clear_topic(); },
       "details.consultation.topic"},
      {TicketType::TICKET_TYPE_APPLICATION,
       [](auto& r) { r.mutable_details()->mutable_application()->clear_kind(); },
       "details.application.kind"},
      {TicketType::TICKET_TYPE_URGING,
       [](auto& r) { /* no ticket id */
                     (void)r;
       },
       "details.urging.ticket_id"},
      {TicketType::TICKET_TYPE_SUGGESTION,
       [](auto& r) {
         r.mutable_details()->mutable_complaint()->set_category(
             intake::v1::COMPLAINT_CATEGORY_SERVICE);
       },
       "details.complaint"},
  };
  ASSERT_GE(cases.size(), 20u);
  const size_t before = ListAll(intake::v1::ListTicketsRequest()).size();
  for (const Case& c : cases) {
    CreateTicketRequest request = Valid(c.type);
    c.mutate(request);
    CreateTicketResponse response;
    grpc::Status status = Create(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_TRUE(absl::StartsWith(status.error_message(), c.field + ": "))
        << "expected " << c.field << ", got: " << status.error_message();
  }
  EXPECT_EQ(ListAll(intake::v1::ListTicketsRequest()).size(), before);

  // Other RPCs name their fields too.
  intake::v1::ListTicketsRequest list;
  list.mutable_page()->set_page_size(501);
  intake::v1::ListTicketsResponse listed;
  grpc::Status status = stub_->ListTickets(Context(Token("agent")).get(), list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "page.page_size:"));
  list.mutable_page()->set_page_size(10);
  list.mutable_page()->set_cursor("garbage");
  status = stub_->ListTickets(Context(Token("agent")).get(), list, &listed);
  EXPECT_EQ(status.error_message(), "page.cursor: malformed");
  Ticket ticket;
  status = Get("0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e", &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(TicketsTest, AReportersIdentityIsMaskedForEveryRoleButDiscipline) {
  CreateTicketResponse created = MustCreate(Valid(TicketType::TICKET_TYPE_REPORT, "举报区"));
  const std::string id = created.ticket().ticket_id();
  EXPECT_EQ(created.ticket().details().report().reporter().name(), "张**");
  EXPECT_EQ(created.ticket().details().report().reporter().phone(), "138****5678");
  for (const std::string role : {"agent", "shift_leader", "dispatcher", "supervisor", "admin"}) {
    Ticket ticket = MustGet(id, role);
    EXPECT_EQ(ticket.details().report().reporter().name(), "张**") << role;
    EXPECT_EQ(ticket.details().report().reporter().phone(), "138****5678") << role;
    EXPECT_TRUE(ticket.reporter_masked()) << role;
  }
  EXPECT_EQ(Count(History(id), intake::v1::HISTORY_ACTION_REPORTER_IDENTITY_READ), 0);

  Ticket unmasked = MustGet(id, "discipline");
  EXPECT_EQ(unmasked.details().report().reporter().name(), "张三丰");
  EXPECT_EQ(unmasked.details().report().reporter().phone(), "13812345678");
  EXPECT_FALSE(unmasked.reporter_masked());
  std::vector<intake::v1::HistoryEntry> history = History(id);
  ASSERT_EQ(Count(history, intake::v1::HISTORY_ACTION_REPORTER_IDENTITY_READ), 1);
  for (const auto& entry : history) {
    if (entry.action() == intake::v1::HISTORY_ACTION_REPORTER_IDENTITY_READ) {
      EXPECT_EQ(entry.actor(), "e2e-discipline");
      EXPECT_EQ(entry.actor_role(), "discipline");
    }
    EXPECT_EQ(entry.detail().find("13812345678"), std::string::npos);
    EXPECT_EQ(entry.detail().find("张三丰"), std::string::npos);
  }
  // Lists mask the same way; a discipline list is audited too.
  intake::v1::ListTicketsRequest request;
  request.set_county("举报区");
  std::vector<Ticket> listed = ListAll(request);  // as supervisor
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].details().report().reporter().phone(), "138****5678");
  intake::v1::ListTicketsResponse by_discipline;
  ASSERT_TRUE(stub_->ListTickets(Context(Token("discipline")).get(), request, &by_discipline).ok());
  ASSERT_EQ(by_discipline.tickets_size(), 1);
  EXPECT_EQ(by_discipline.tickets(0).details().report().reporter().phone(), "13812345678");
  EXPECT_EQ(Count(History(id), intake::v1::HISTORY_ACTION_REPORTER_IDENTITY_READ), 2);
}

TEST_F(TicketsTest, CallersWithoutTokenOrWithTheWrongRoleAreRefused) {
  CreateTicketRequest request = Valid(TicketType::TICKET_TYPE_PRAISE);
  CreateTicketResponse response;
  grpc::Status status = stub_->CreateTicket(Context("").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  status = stub_->CreateTicket(Context("no-such-token").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  for (const std::string role : {"branch", "service", "dispatcher", "supervisor", "discipline"}) {
    status = Create(request, &response, role);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << role;
  }
  Ticket ticket;
  for (const std::string role : {"branch", "service"}) {
    EXPECT_EQ(Get("0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e", &ticket, role).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
  }
  intake::v1::ListTicketsResponse listed;
  EXPECT_EQ(
      stub_->ListTickets(Context(Token("branch")).get(), intake::v1::ListTicketsRequest(), &listed)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  CreateTicketResponse made = MustCreate(request);
  intake::v1::CancelTicketRequest cancel;
  cancel.set_ticket_id(made.ticket().ticket_id());
  cancel.set_reason("客户撤回");
  Ticket cancelled;
  EXPECT_EQ(stub_->CancelTicket(Context(Token("agent")).get(), cancel, &cancelled).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TicketsTest, CancelNotesUrgingsAndIllegalTransitions) {
  CreateTicketResponse made = MustCreate(Valid(TicketType::TICKET_TYPE_REPAIR, "撤销区"));
  const std::string id = made.ticket().ticket_id();

  intake::v1::AddNoteRequest note;
  note.set_ticket_id(id);
  note.set_text("客户称已停电两小时");
  intake::v1::HistoryEntry noted;
  ASSERT_TRUE(stub_->AddNote(Context(Token("agent")).get(), note, &noted).ok());
  EXPECT_EQ(noted.action(), intake::v1::HISTORY_ACTION_NOTE_ADDED);

  intake::v1::UrgeTicketRequest urge;
  urge.set_idempotency_key(UniqueKey("urge"));
  urge.set_ticket_id(id);
  urge.set_channel(common::v1::CHANNEL_WECHAT);
  urge.set_note("还没人来");
  intake::v1::UrgeTicketResponse urged;
  ASSERT_TRUE(stub_->UrgeTicket(Context(Token("agent")).get(), urge, &urged).ok());
  EXPECT_EQ(urged.urged().urgings(), 1);
  EXPECT_EQ(urged.urged().urgency(), 1);
  EXPECT_EQ(urged.urging().linked_ticket_id(), id);
  EXPECT_EQ(urged.urging().customer().phone(), "13912345678");  // taken from the ticket
  // The urging itself is never routed: it is answered by linking.
  EXPECT_EQ(urged.urging().status(), TicketStatus::TICKET_STATUS_ANSWERED);
  // A retried urge does not urge twice.
  intake::v1::UrgeTicketResponse again;
  ASSERT_TRUE(stub_->UrgeTicket(Context(Token("agent")).get(), urge, &again).ok());
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(MustGet(id).urgings(), 1);

  intake::v1::CancelTicketRequest cancel;
  cancel.set_ticket_id(id);
  cancel.set_reason("客户自行恢复供电");
  Ticket cancelled;
  grpc::Status status =
      stub_->CancelTicket(Context(Token("shift_leader")).get(), cancel, &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(cancelled.status(), TicketStatus::TICKET_STATUS_CANCELLED);
  EXPECT_EQ(cancelled.cancel_reason(), "客户自行恢复供电");

  status = stub_->CancelTicket(Context(Token("admin")).get(), cancel, &cancelled);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "ticket is cancelled; it cannot become cancelled");

  urge.set_idempotency_key(UniqueKey("urge"));
  status = stub_->UrgeTicket(Context(Token("agent")).get(), urge, &urged);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();

  std::vector<intake::v1::HistoryEntry> history = History(id);
  EXPECT_EQ(Count(history, intake::v1::HISTORY_ACTION_NOTE_ADDED), 1);
  EXPECT_EQ(Count(history, intake::v1::HISTORY_ACTION_URGED), 1);
  int cancellations = 0;
  // (An order event that reaches the ticket after the cancellation is
  // recorded too, cancelled to cancelled: it is not a second cancellation.)
  for (const auto& entry : history) {
    if (entry.action() == intake::v1::HISTORY_ACTION_STATUS_CHANGED &&
        entry.to_status() == TicketStatus::TICKET_STATUS_CANCELLED) {
      ++cancellations;
      EXPECT_EQ(entry.from_status(), TicketStatus::TICKET_STATUS_ROUTED);
      EXPECT_EQ(entry.actor(), "e2e-shift_leader");
      EXPECT_EQ(entry.detail(), "cancelled: 客户自行恢复供电");
    }
  }
  EXPECT_EQ(cancellations, 1);
}

common::v1::Event OrderEvent(const std::string& event_id, const std::string& topic,
                             const std::string& ticket_id, absl::Time occurred_at) {
  dispatch::v1::OrderEvent order;
  order.set_order_id("order-" + ticket_id.substr(0, 8));
  order.set_order_number("PD-E2E-1");
  order.set_ticket_id(ticket_id);
  order.set_branch_id("BR-1");
  *order.mutable_occurred_at() = Timestamp(occurred_at);
  common::v1::Event event;
  event.set_event_id(event_id);
  event.set_topic(topic);
  event.set_source("dispatch");
  event.set_key(ticket_id);
  *event.mutable_occurred_at() = Timestamp(occurred_at);
  // The sender's sequence follows the order of the changes, here their
  // times: far above the sequences of dispatch's own outbox.
  event.set_sequence(absl::ToUnixMicros(occurred_at));
  event.mutable_payload()->PackFrom(order);
  return event;
}

TEST_F(TicketsTest, TheEventSinkAppliesOrderEventsOnceAndIgnoresLateOnes) {
  CreateTicketResponse made = MustCreate(Valid(TicketType::TICKET_TYPE_REPAIR, "事件区"));
  const std::string id = made.ticket().ticket_id();
  // Times well after now, so these are the newest events whatever dispatch
  // itself may send about the ticket meanwhile.
  const absl::Time base = absl::Now() + absl::Hours(1);
  common::v1::DeliverEventsResponse response;
  const std::string dispatched_id = UniqueKey("evt");
  ASSERT_TRUE(Deliver(OrderEvent(dispatched_id, "order.dispatched", id, base), &response).ok());
  ASSERT_EQ(response.accepted_event_ids_size(), 1);
  const common::v1::Event accepted =
      OrderEvent(UniqueKey("evt"), "order.accepted", id, base + absl::Minutes(2));
  for (int i = 0; i < 2; ++i) {  // the second delivery is a duplicate
    common::v1::DeliverEventsResponse r;
    ASSERT_TRUE(Deliver(accepted, &r).ok());
    ASSERT_EQ(r.accepted_event_ids_size(), 1);
    EXPECT_EQ(r.accepted_event_ids(0), accepted.event_id());
  }
  Ticket ticket = MustGet(id);
  EXPECT_EQ(ticket.status(), TicketStatus::TICKET_STATUS_ACCEPTED);
  EXPECT_EQ(ticket.branch_id(), "BR-1");
  EXPECT_EQ(ticket.order_number(), "PD-E2E-1");
  ASSERT_EQ(ticket.deadlines_size(), 1);
  EXPECT_TRUE(ticket.deadlines(0).has_met_at());  // the order was sent

  std::vector<intake::v1::HistoryEntry> history = History(id);
  int to_accepted = 0;
  for (const auto& entry : history) {
    to_accepted += entry.to_status() == TicketStatus::TICKET_STATUS_ACCEPTED ? 1 : 0;
  }
  EXPECT_EQ(to_accepted, 1);

  // A late event (it happened before the acceptance) is ignored, not an error.
  common::v1::DeliverEventsResponse late;
  ASSERT_TRUE(
      Deliver(OrderEvent(UniqueKey("evt"), "order.dispatched", id, base + absl::Minutes(1)), &late)
          .ok());
  EXPECT_EQ(late.accepted_event_ids_size(), 1);
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_ACCEPTED);
  EXPECT_GE(Count(History(id), intake::v1::HISTORY_ACTION_ORDER_EVENT_IGNORED), 1);

  // Forward again: resolved.
  ASSERT_TRUE(Deliver(OrderEvent(UniqueKey("evt"), "order.resolved", id, base + absl::Minutes(30)),
                      &response)
                  .ok());
  // Resolved, or already waiting for survey's callback.
  const TicketStatus resolved = MustGet(id).status();
  EXPECT_TRUE(resolved == TicketStatus::TICKET_STATUS_RESOLVED ||
              resolved == TicketStatus::TICKET_STATUS_CALLBACK)
      << common::v1::TicketStatus_Name(resolved);

  // Only services deliver events.
  auto sink = common::v1::EventSink::NewStub(backend_->Channel("intake"));
  common::v1::DeliverEventsRequest request;
  *request.add_events() = accepted;
  EXPECT_EQ(sink->DeliverEvents(Context(Token("agent")).get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace hotline::testing
