// The outage service with the other four, over gRPC, on real PostgreSQL and
// Redis: a repair call inside a notice in effect is linked to it and not
// dispatched, and restoring the notice resolves the ticket in intake; three
// repair calls from one transformer area within the window make one
// suspected fault outage, two do not, and once confirmed it takes the later
// calls; a WatchNotices subscriber gets every change once, in order, and
// resumes after a reconnect without a gap; a second replica answers address
// checks from its own index; bad input is refused naming the field, and
// nothing is stored.

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "hotline/outage/v1/outage.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers
namespace ov1 = hotline::outage::v1;
namespace iv1 = hotline::intake::v1;

// Polls `done` until it holds or `timeout` passes.
template <typename Fn>
bool Eventually(Fn done, absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time end = absl::Now() + timeout;
  while (absl::Now() < end) {
    if (done()) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return done();
}

class OutageE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Backend>> started = Backend::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = started->release();
    dv1::Branch saved;
    grpc::Status crew = RegisterRepairCrew(*backend_, &saved);
    ASSERT_TRUE(crew.ok()) << crew.error_message();
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }

  std::unique_ptr<ov1::OutageNotices::Stub> Outage(const std::string& service = "outage") {
    return ov1::OutageNotices::NewStub(backend_->Channel(service));
  }

  // A fault notice in effect from ten minutes ago over one transformer area.
  ov1::PublishNoticeRequest FaultAt(const std::string& key, const std::string& transformer_area) {
    ov1::PublishNoticeRequest r;
    r.set_idempotency_key(key);
    ov1::OutageNotice* n = r.mutable_notice();
    n->set_kind(ov1::OUTAGE_KIND_FAULT);
    n->add_transformer_areas(transformer_area);
    n->set_working_unit("Flow County repair crew");
    n->set_work("transformer burnt out in the storm");
    *n->mutable_planned_start() = ToProtoTime(absl::Now() - absl::Minutes(10));
    *n->mutable_planned_restore() = ToProtoTime(absl::Now() + absl::Hours(3));
    n->set_person_in_charge("Li Lei");
    n->set_phone("13811112222");
    return r;
  }

  ov1::OutageNotice Publish(const ov1::PublishNoticeRequest& r) {
    ov1::PublishNoticeResponse published;
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = Outage()->PublishNotice(context.get(), r, &published);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return published.notice();
  }

  grpc::Status Restore(const std::string& notice_id, ov1::OutageNotice* restored) {
    ov1::RestoreNoticeRequest r;
    r.set_notice_id(notice_id);
    ov1::NoticeResponse response;
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = Outage()->RestoreNotice(context.get(), r, &response);
    *restored = response.notice();
    return status;
  }

  iv1::CreateTicketResponse CreateRepair(const std::string& key, int house,
                                         const std::string& transformer_area) {
    iv1::CreateTicketRequest r = RepairInTheCrewsTerritory(key, house);
    r.mutable_address()->set_transformer_area(transformer_area);
    // Every test's calls would otherwise share one feeder, and group there.
    r.mutable_address()->clear_feeder();
    auto intake = iv1::TicketIntake::NewStub(backend_->Channel("intake"));
    iv1::CreateTicketResponse created;
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = intake->CreateTicket(context.get(), r, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  iv1::Ticket GetTicket(const std::string& ticket_id) {
    auto intake = iv1::TicketIntake::NewStub(backend_->Channel("intake"));
    iv1::GetTicketRequest r;
    r.set_ticket_id(ticket_id);
    iv1::Ticket ticket;
    auto context = Call(backend_->Token("shift_leader"));
    grpc::Status status = intake->GetTicket(context.get(), r, &ticket);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return ticket;
  }

  std::vector<ov1::OutageNotice> Proposals() {
    ov1::ListNoticesRequest r;
    r.set_view(ov1::NOTICE_VIEW_PROPOSED);
    ov1::ListNoticesResponse listed;
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = Outage()->ListNotices(context.get(), r, &listed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {listed.notices().begin(), listed.notices().end()};
  }

  static Backend* backend_;
};

Backend* OutageE2eTest::backend_ = nullptr;

TEST_F(OutageE2eTest, ARepairInsideANoticeIsLinkedNotDispatchedAndTheRestoreResolvesIt) {
  ov1::OutageNotice notice = Publish(FaultAt("fault-h31", "TA-FLOW-H31"));
  ASSERT_FALSE(notice.notice_id().empty());
  EXPECT_FALSE(notice.timeliness().late());  // a fault is never late

  iv1::CreateTicketResponse created = CreateRepair("linked-h31", 31, "TA-FLOW-H31");
  EXPECT_EQ(created.outcome(), iv1::CREATE_OUTCOME_LINKED_TO_OUTAGE);
  const iv1::Ticket& ticket = created.ticket();
  EXPECT_EQ(ticket.status(), common::v1::TICKET_STATUS_LINKED_TO_OUTAGE);
  EXPECT_EQ(ticket.outage().check(), iv1::OUTAGE_CHECK_AFFECTED);
  EXPECT_EQ(ticket.outage().notice_id(), notice.notice_id());
  EXPECT_EQ(FromProtoTime(ticket.outage().restore_at()), FromProtoTime(notice.planned_restore()));
  // Not dispatched: no order, now or a moment later.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_TRUE(OrdersOfTicket(*backend_, ticket.ticket_id()).empty());

  ov1::OutageNotice restored;
  grpc::Status status = Restore(notice.notice_id(), &restored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(restored.state(), ov1::NOTICE_STATE_RESTORED);
  // Resolved (and soon waiting for survey's callback).
  EXPECT_TRUE(Eventually([&] {
    const common::v1::TicketStatus now_status = GetTicket(ticket.ticket_id()).status();
    return now_status == common::v1::TICKET_STATUS_RESOLVED ||
           now_status == common::v1::TICKET_STATUS_CALLBACK;
  })) << backend_->Log("intake");

  // Counted: the notice, the check that found it, the customer-hours.
  absl::StatusOr<std::string> metrics = backend_->ScrapeMetrics("outage");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  for (const char* line :
       {"hotline_outage_notices_total{kind=\"fault\",on_time=\"true\"}",
        "hotline_outage_checks_total{result=\"affected\"}",
        "hotline_outage_active{kind=\"planned\"} 0", "hotline_outage_customers_affected",
        "hotline_outage_customer_hours_total"}) {
    EXPECT_TRUE(absl::StrContains(*metrics, line)) << line;
  }
  // The series is there at 0 from the start: the notice moved it.
  EXPECT_FALSE(absl::StrContains(
      *metrics, "hotline_outage_notices_total{kind=\"fault\",on_time=\"true\"} 0\n"));

  // A call after the restore is a repair like any other.
  iv1::CreateTicketResponse later = CreateRepair("after-h31", 32, "TA-FLOW-H31");
  EXPECT_NE(later.outcome(), iv1::CREATE_OUTCOME_LINKED_TO_OUTAGE);
  EXPECT_EQ(later.ticket().outage().check(), iv1::OUTAGE_CHECK_CLEAR);
}

TEST_F(OutageE2eTest, ThreeCallsFromOneTransformerAreaMakeOneSuspectedOutageTwoDoNot) {
  // Two calls from H41; three from H42 (intake merges the repeat calls into
  // the first repair as urgings; each still counts as a call).
  CreateRepair("two-1", 41, "TA-FLOW-H41");
  CreateRepair("two-2", 141, "TA-FLOW-H41");
  CreateRepair("three-1", 42, "TA-FLOW-H42");
  CreateRepair("three-2", 142, "TA-FLOW-H42");
  CreateRepair("three-3", 242, "TA-FLOW-H42");

  std::vector<ov1::OutageNotice> proposals;
  ASSERT_TRUE(Eventually([&] {
    proposals = Proposals();
    return !proposals.empty();
  })) << backend_->Log("outage");
  // Give the H41 calls the same time to (wrongly) make a proposal.
  absl::SleepFor(absl::Seconds(1));
  proposals = Proposals();
  ASSERT_EQ(proposals.size(), 1u);
  const ov1::OutageNotice& proposal = proposals[0];
  EXPECT_EQ(proposal.suspected().transformer_area(), "TA-FLOW-H42");
  EXPECT_EQ(proposal.suspected().calls(), 3);
  EXPECT_EQ(proposal.kind(), ov1::OUTAGE_KIND_FAULT);

  // Confirmed by a dispatcher, it takes the next call from there.
  ov1::ConfirmNoticeRequest confirm;
  confirm.set_notice_id(proposal.notice_id());
  *confirm.mutable_planned_restore() = ToProtoTime(absl::Now() + absl::Hours(2));
  confirm.set_work("suspected transformer fault");
  ov1::NoticeResponse confirmed;
  auto context = Call(backend_->Token("dispatcher"));
  grpc::Status status = Outage()->ConfirmNotice(context.get(), confirm, &confirmed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(confirmed.notice().state(), ov1::NOTICE_STATE_ACTIVE);
  iv1::CreateTicketResponse next = CreateRepair("three-4", 342, "TA-FLOW-H42");
  EXPECT_EQ(next.outcome(), iv1::CREATE_OUTCOME_LINKED_TO_OUTAGE);
  EXPECT_EQ(next.ticket().outage().notice_id(), proposal.notice_id());
}

// A WatchNotices stream read on its own thread until `count` events came.
std::vector<ov1::NoticeEvent> Watch(Backend& backend, int64_t after_sequence, size_t count) {
  auto stub = ov1::OutageNotices::NewStub(backend.Channel("outage"));
  auto context = Call(backend.Token("service"), absl::Seconds(30));
  ov1::WatchNoticesRequest request;
  request.set_after_sequence(after_sequence);
  auto reader = stub->WatchNotices(context.get(), request);
  std::vector<ov1::NoticeEvent> events;
  ov1::NoticeEvent event;
  while (events.size() < count && reader->Read(&event)) {
    events.push_back(event);
  }
  context->TryCancel();
  reader->Finish();
  return events;
}

TEST_F(OutageE2eTest, AWatcherGetsEveryChangeOnceInOrderAndResumesWithoutAGap) {
  // Where the log stands before this test's changes.
  auto stub = Outage();
  std::vector<ov1::NoticeEvent> before;
  {
    auto context = Call(backend_->Token("service"), absl::Seconds(5));
    ov1::WatchNoticesRequest request;
    auto reader = stub->WatchNotices(context.get(), request);
    ov1::NoticeEvent event;
    // Everything so far arrives at once; stop at the first pause.
    std::thread stop([&] {
      absl::SleepFor(absl::Seconds(2));
      context->TryCancel();
    });
    while (reader->Read(&event)) {
      before.push_back(event);
    }
    stop.join();
    reader->Finish();
  }
  const int64_t start = before.empty() ? 0 : before.back().sequence();

  // Publish, amend, start, restore one notice; publish and cancel another.
  ov1::PublishNoticeRequest planned;
  planned.set_idempotency_key("watched-1");
  ov1::OutageNotice* n = planned.mutable_notice();
  n->set_kind(ov1::OUTAGE_KIND_TEMPORARY);
  common::v1::Address* area = n->add_areas();
  area->set_county(kCounty);
  area->set_township("Watch Town");
  n->set_work("replacing a pole");
  *n->mutable_planned_start() = ToProtoTime(absl::Now() + absl::Hours(72));
  *n->mutable_planned_restore() = ToProtoTime(absl::Now() + absl::Hours(80));
  n->set_person_in_charge("Li Lei");
  n->set_phone("13811112222");
  ov1::OutageNotice one = Publish(planned);
  ov1::AmendNoticeRequest amend;
  amend.set_notice_id(one.notice_id());
  *amend.mutable_planned_restore() = ToProtoTime(absl::Now() + absl::Hours(82));
  amend.set_reason("a second pole");
  ov1::AmendNoticeResponse amended;
  {
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = stub->AmendNotice(context.get(), amend, &amended);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ov1::StartNoticeRequest start_one;
  start_one.set_notice_id(one.notice_id());
  ov1::NoticeResponse started;
  {
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = stub->StartNotice(context.get(), start_one, &started);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ov1::OutageNotice restored;
  ASSERT_TRUE(Restore(one.notice_id(), &restored).ok());
  planned.set_idempotency_key("watched-2");
  ov1::OutageNotice two = Publish(planned);
  ov1::CancelNoticeRequest cancel;
  cancel.set_notice_id(two.notice_id());
  cancel.set_reason("weather");
  ov1::NoticeResponse cancelled;
  {
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = stub->CancelNotice(context.get(), cancel, &cancelled);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Two events, then a reconnect after the last one seen, then the rest.
  std::vector<ov1::NoticeEvent> first = Watch(*backend_, start, 2);
  ASSERT_EQ(first.size(), 2u);
  std::vector<ov1::NoticeEvent> rest = Watch(*backend_, first.back().sequence(), 4);
  std::vector<ov1::NoticeEvent> all = first;
  all.insert(all.end(), rest.begin(), rest.end());
  std::vector<std::pair<std::string, ov1::NoticeEventKind>> seen;
  int64_t last = start;
  for (const ov1::NoticeEvent& e : all) {
    EXPECT_GT(e.sequence(), last) << "out of order or repeated";
    last = e.sequence();
    seen.emplace_back(e.notice().notice_id(), e.kind());
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, ov1::NoticeEventKind>>{
                      {one.notice_id(), ov1::NOTICE_EVENT_KIND_PUBLISHED},
                      {one.notice_id(), ov1::NOTICE_EVENT_KIND_AMENDED},
                      {one.notice_id(), ov1::NOTICE_EVENT_KIND_STARTED},
                      {one.notice_id(), ov1::NOTICE_EVENT_KIND_RESTORED},
                      {two.notice_id(), ov1::NOTICE_EVENT_KIND_PUBLISHED},
                      {two.notice_id(), ov1::NOTICE_EVENT_KIND_CANCELLED}}));
  // The voice line has a sentence for each state.
  EXPECT_FALSE(all[0].notice().voice_text().empty());
}

TEST_F(OutageE2eTest, ASecondReplicaAndARestartedServiceAnswerChecksFromTheirOwnIndex) {
  absl::StatusOr<std::string> replica = backend_->StartReplica("outage");
  ASSERT_TRUE(replica.ok()) << replica.status();
  // Whether the transformer area is affected, as `service` answers; false
  // while it cannot answer (a restarted service loading its index).
  auto check = [&](const std::string& service) {
    ov1::CheckAddressRequest r;
    r.set_transformer_area("TA-FLOW-H51");
    ov1::CheckAddressResponse answer;
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = Outage(service)->CheckAddress(context.get(), r, &answer);
    return status.ok() && answer.affected();
  };
  // Whether `service` answers, and answers "not affected".
  auto clear = [&](const std::string& service) {
    ov1::CheckAddressRequest r;
    r.set_transformer_area("TA-FLOW-H51");
    ov1::CheckAddressResponse answer;
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = Outage(service)->CheckAddress(context.get(), r, &answer);
    return status.ok() && !answer.affected();
  };
  EXPECT_TRUE(Eventually([&] { return clear(*replica); }, absl::Seconds(10)));
  ov1::OutageNotice notice = Publish(FaultAt("fault-h51", "TA-FLOW-H51"));
  EXPECT_TRUE(check("outage"));  // the replica that published: at once
  EXPECT_TRUE(Eventually([&] { return check(*replica); }, absl::Seconds(10)))
      << backend_->Log(*replica);

  ASSERT_TRUE(backend_->Stop("outage", SIGKILL).ok());
  ASSERT_TRUE(backend_->Restart("outage").ok());
  EXPECT_TRUE(Eventually([&] { return check("outage"); }, absl::Seconds(10)));
  ov1::OutageNotice restored;
  ASSERT_TRUE(Restore(notice.notice_id(), &restored).ok());
  EXPECT_TRUE(Eventually([&] { return clear(*replica); }, absl::Seconds(10)));
  ASSERT_TRUE(backend_->Stop(*replica, SIGTERM).ok());
}

TEST_F(OutageE2eTest, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  auto stub = Outage();
  auto publish = [&](const ov1::PublishNoticeRequest& r) {
    ov1::PublishNoticeResponse response;
    auto context = Call(backend_->Token("dispatcher"));
    return stub->PublishNotice(context.get(), r, &response);
  };
  ov1::PublishNoticeRequest unknown_kind = FaultAt("bad-kind", "TA-FLOW-BAD");
  unknown_kind.mutable_notice()->set_kind(static_cast<ov1::OutageKind>(42));
  ov1::PublishNoticeRequest no_place = FaultAt("bad-place", "TA-FLOW-BAD");
  no_place.mutable_notice()->clear_transformer_areas();
  ov1::PublishNoticeRequest late = FaultAt("bad-late", "TA-FLOW-BAD");
  late.mutable_notice()->set_kind(ov1::OUTAGE_KIND_PLANNED);
  *late.mutable_notice()->mutable_planned_start() = ToProtoTime(absl::Now() + absl::Hours(24));
  *late.mutable_notice()->mutable_planned_restore() = ToProtoTime(absl::Now() + absl::Hours(30));
  ov1::PublishNoticeRequest backwards = FaultAt("bad-times", "TA-FLOW-BAD");
  *backwards.mutable_notice()->mutable_planned_restore() =
      ToProtoTime(absl::Now() - absl::Hours(1));
  for (const auto& [request, field] :
       std::vector<std::pair<ov1::PublishNoticeRequest, std::string>>{
           {unknown_kind, "notice.kind"},
           {no_place, "notice.areas"},
           {late, "notice.timeliness.late_reason"},
           {backwards, "notice.planned_restore"}}) {
    grpc::Status status = publish(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_TRUE(absl::StartsWith(status.error_message(), field)) << status.error_message();
  }
  // A late planned notice with its reason is published, marked late.
  late.mutable_notice()->mutable_timeliness()->set_late_reason("a fault found on patrol");
  ov1::PublishNoticeResponse published;
  {
    auto context = Call(backend_->Token("dispatcher"));
    grpc::Status status = stub->PublishNotice(context.get(), late, &published);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_TRUE(published.notice().timeliness().late());
  EXPECT_GT(FromProtoDuration(published.notice().timeliness().shortfall()), absl::Hours(143));

  // Restoring a notice that has not started: refused, the notice unchanged.
  ov1::OutageNotice restored;
  grpc::Status early = Restore(published.notice().notice_id(), &restored);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << early.error_message();
  ov1::GetNoticeRequest get;
  get.set_notice_id(published.notice().notice_id());
  ov1::NoticeResponse got;
  auto context = Call(backend_->Token("agent"));
  ASSERT_TRUE(stub->GetNotice(context.get(), get, &got).ok());
  EXPECT_EQ(got.notice().version(), 1);
  EXPECT_EQ(got.notice().state(), ov1::NOTICE_STATE_SCHEDULED);
  // Only the good one reached the log's area: one notice for TA-FLOW-BAD.
  ov1::CheckAddressRequest bad_place;
  bad_place.set_transformer_area("TA-FLOW-BAD");
  ov1::CheckAddressResponse answer;
  auto check_context = Call(backend_->Token("agent"));
  ASSERT_TRUE(stub->CheckAddress(check_context.get(), bad_place, &answer).ok());
  EXPECT_EQ(answer.notices_size(), 1);
}

}  // namespace
}  // namespace hotline::testing
