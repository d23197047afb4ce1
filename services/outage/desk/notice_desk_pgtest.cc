// The notice desk against a real PostgreSQL: notices published, moved and
// restored; address checks from the index, also after a restart; repair calls
// grouped into suspected fault outages; customer-hours and reliability; the
// change log in order.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/outage/v1/events.pb.h"
#include "libs/clock/clock.h"
#include "libs/events/publisher.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/request_digest.h"
#include "outage_migrations.h"
#include "services/outage/desk/notice_desk.h"
#include "services/outage/desk/notice_mirror.h"
#include "services/outage/store/notice_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::outage {
namespace {

// Monday 2026-12-07 10:00 in Asia/Shanghai.
absl::Time Monday10() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilSecond(2026, 12, 7, 10, 0, 0), zone);
}

common::v1::Address Area(const std::string& county, const std::string& township,
                         const std::string& village) {
  common::v1::Address a;
  a.set_province("Demo Province");
  a.set_city("Qingyuan");
  a.set_county(county);
  a.set_township(township);
  a.set_village_or_community(village);
  return a;
}

TransformerArea Reference(const std::string& id, const std::string& feeder,
                          const common::v1::Address& area, int64_t customers) {
  TransformerArea ta;
  ta.transformer_area = id;
  ta.feeder = feeder;
  ta.area = area;
  ta.customers = customers;
  return ta;
}

class NoticeDeskTest : public ::testing::Test {
 protected:
  NoticeDeskTest() : clock_(Monday10()) {}

  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("outage_desk");
    options.size = 6;
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "outage", outage_migrations()).ok());
    metrics_ = std::make_unique<OutageMetrics>(registry_);
    mirror_ = std::make_unique<NoticeMirror>(*pool_);
    desk_ = std::make_unique<NoticeDesk>(*pool_, settings_, clock_, *metrics_, *mirror_);
    // Three areas: Xiayang (100 customers), Shangyang (200), and a county
    // street's community (300) on its own feeder.
    ASSERT_TRUE(
        desk_
            ->SeedReference({Reference("TA-X", "F-1", Area("Liandu", "Shixi", "Xiayang"), 100),
                             Reference("TA-S", "F-1", Area("Liandu", "Shixi", "Shangyang"), 200),
                             Reference("TA-H", "F-2", Area("Liandu", "Zijin", "Huayuan"), 300)},
                            {{"3301010001", "TA-X"}})
            .ok());
    ASSERT_TRUE(mirror_->Load().ok());
  }

  // A planned notice in time (8 days ahead), over `areas` and `tas`.
  v1::PublishNoticeRequest Planned(const std::string& key,
                                   const std::vector<common::v1::Address>& areas,
                                   const std::vector<std::string>& tas, absl::Time start,
                                   absl::Duration length) {
    v1::PublishNoticeRequest r;
    r.set_idempotency_key(key);
    v1::OutageNotice* n = r.mutable_notice();
    n->set_kind(v1::OUTAGE_KIND_PLANNED);
    for (const common::v1::Address& a : areas) {
      *n->add_areas() = a;
    }
    for (const std::string& ta : tas) {
      n->add_transformer_areas(ta);
    }
    n->set_working_unit("Shixi supply station");
    n->set_work("10kV Shixi line maintenance");
    *n->mutable_planned_start() = ToProtoTime(start);
    *n->mutable_planned_restore() = ToProtoTime(start + length);
    n->set_person_in_charge("Wang Qiang");
    n->set_phone("13812345678");
    return r;
  }

  v1::OutageNotice Publish(const v1::PublishNoticeRequest& r) {
    absl::StatusOr<v1::PublishNoticeResponse> published = desk_->Publish(
        r, absl::StrCat("dispatcher ", r.idempotency_key()), rpc::RequestDigest(r), "dispatcher");
    EXPECT_TRUE(published.ok()) << published.status();
    return published.ok() ? published->notice() : v1::OutageNotice();
  }

  v1::OutageNotice Start(const std::string& id, absl::Time at) {
    v1::StartNoticeRequest r;
    r.set_notice_id(id);
    *r.mutable_started_at() = ToProtoTime(at);
    absl::StatusOr<v1::OutageNotice> started = desk_->Start(r);
    EXPECT_TRUE(started.ok()) << started.status();
    return started.value_or(v1::OutageNotice());
  }

  absl::StatusOr<v1::OutageNotice> Restore(const std::string& id, absl::Time at,
                                           const std::vector<common::v1::Address>& areas = {},
                                           const std::vector<std::string>& tas = {}) {
    v1::RestoreNoticeRequest r;
    r.set_notice_id(id);
    *r.mutable_restored_at() = ToProtoTime(at);
    for (const common::v1::Address& a : areas) {
      *r.add_areas() = a;
    }
    for (const std::string& ta : tas) {
      r.add_transformer_areas(ta);
    }
    return desk_->Restore(r);
  }

  // Notice ids a check of the address (or account, or transformer area) returns, and
  // whether it is affected.
  std::pair<bool, std::vector<std::string>> Check(const v1::CheckAddressRequest& r) {
    absl::StatusOr<v1::CheckAddressResponse> answer = desk_->Check(r);
    EXPECT_TRUE(answer.ok()) << answer.status();
    std::vector<std::string> ids;
    if (answer.ok()) {
      for (const v1::OutageNotice& n : answer->notices()) {
        ids.push_back(n.notice_id());
      }
    }
    return {answer.ok() && answer->affected(), ids};
  }

  v1::CheckAddressRequest AtAddress(const common::v1::Address& a) {
    v1::CheckAddressRequest r;
    *r.mutable_address() = a;
    return r;
  }

  absl::Status RepairCall(const std::string& ticket_id, const std::string& ta, absl::Time at) {
    intake::v1::TicketCreated t;
    t.set_ticket_id(ticket_id);
    t.set_type(common::v1::TICKET_TYPE_REPAIR);
    *t.mutable_address() = Area("Liandu", "Shixi", "Xiayang");
    t.mutable_address()->set_transformer_area(ta);
    *t.mutable_created_at() = ToProtoTime(at);
    common::v1::Event e;
    e.set_event_id(events::NewUuid());
    e.set_topic("ticket.created");
    e.set_key(ticket_id);
    e.mutable_payload()->PackFrom(t);
    return pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return desk_->ApplyEvent(tx, e); });
  }

  std::vector<v1::OutageNotice> Proposals() {
    v1::ListNoticesRequest r;
    r.set_view(v1::NOTICE_VIEW_PROPOSED);
    absl::StatusOr<v1::ListNoticesResponse> listed = desk_->List(r);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok()
               ? std::vector<v1::OutageNotice>(listed->notices().begin(), listed->notices().end())
               : std::vector<v1::OutageNotice>();
  }

  int64_t Count(const std::string& sql) {
    absl::StatusOr<int64_t> n = pg::WithTransactionResult<int64_t>(
        *pool_,
        [&](pqxx::work& tx) -> absl::StatusOr<int64_t> { return tx.exec1(sql)[0].as<int64_t>(); });
    EXPECT_TRUE(n.ok()) << n.status();
    return n.value_or(-1);
  }

  prometheus::Registry registry_;
  OutageSettings settings_;
  clock::ManualClock clock_;
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<OutageMetrics> metrics_;
  std::unique_ptr<NoticeMirror> mirror_;
  std::unique_ptr<NoticeDesk> desk_;
};

TEST_F(NoticeDeskTest, AFaultPublishedAfterItBeganIsToldFromItsStartAndHasNoActualStartYet) {
  v1::PublishNoticeRequest r = Planned("fault-late", {Area("Liandu", "Shixi", "Xiayang")}, {},
                                       Monday10() - absl::Minutes(30), absl::Hours(3));
  r.mutable_notice()->set_kind(v1::OUTAGE_KIND_FAULT);
  const v1::OutageNotice published = Publish(r);
  ASSERT_FALSE(published.notice_id().empty());
  absl::StatusOr<v1::OutageNotice> read = desk_->Get(published.notice_id());
  ASSERT_TRUE(read.ok()) << read.status();
  for (const v1::OutageNotice& n : {published, *read}) {
    EXPECT_FALSE(n.has_started_at()) << n.DebugString();
    EXPECT_FALSE(n.has_restored_at()) << n.DebugString();
    EXPECT_FALSE(n.has_cancelled_at()) << n.DebugString();
    EXPECT_TRUE(absl::StrContains(n.voice_text(), "已于12月7日09:30停电")) << n.voice_text();
    EXPECT_TRUE(absl::StrContains(n.voice_text(), "预计12月7日12:30恢复供电")) << n.voice_text();
  }
}

TEST_F(NoticeDeskTest, CheckFindsActiveAndUpcomingNoticesNotCancelledOrRestoredAlsoAfterARestart) {
  const absl::Time start = Monday10() + absl::Hours(24 * 8);
  v1::OutageNotice shixi =
      Publish(Planned("k1", {Area("Liandu", "Shixi", "")}, {}, start, absl::Hours(8)));
  v1::OutageNotice by_ta = Publish(Planned("k2", {}, {"TA-H"}, start, absl::Hours(8)));
  v1::OutageNotice cancelled =
      Publish(Planned("k3", {Area("Liandu", "Shixi", "Xiayang")}, {}, start, absl::Hours(4)));
  v1::CancelNoticeRequest cancel;
  cancel.set_notice_id(cancelled.notice_id());
  cancel.set_reason("the work was put off");
  ASSERT_TRUE(desk_->Cancel(cancel).ok());
  EXPECT_EQ(shixi.customers_affected(), 300);  // TA-X and TA-S lie in Shixi
  EXPECT_EQ(by_ta.customers_affected(), 300);

  // Upcoming: returned, not yet affecting.
  common::v1::Address home = Area("Liandu", "Shixi", "Xiayang");
  home.set_street("No. 12");
  auto [affected, ids] = Check(AtAddress(home));
  EXPECT_FALSE(affected);
  EXPECT_EQ(ids, std::vector<std::string>({shixi.notice_id()}));

  // In effect once started; by address, by account, by transformer area.
  clock_.Set(start + absl::Minutes(5));
  Start(shixi.notice_id(), start);
  Start(by_ta.notice_id(), start);
  EXPECT_TRUE(Check(AtAddress(home)).first);
  v1::CheckAddressRequest account;
  account.set_account_number("3301010001");
  EXPECT_EQ(Check(account), std::make_pair(true, std::vector<std::string>({shixi.notice_id()})));
  v1::CheckAddressRequest ta;
  ta.set_transformer_area("TA-H");
  EXPECT_EQ(Check(ta), std::make_pair(true, std::vector<std::string>({by_ta.notice_id()})));
  v1::CheckAddressRequest unknown;
  unknown.set_account_number("9999");
  EXPECT_EQ(desk_->Check(unknown).status().code(), absl::StatusCode::kNotFound);

  // A restart answers the same: the index is rebuilt from PostgreSQL.
  NoticeMirror restarted(*pool_);
  NoticeDesk desk2(*pool_, settings_, clock_, *metrics_, restarted);
  EXPECT_EQ(desk2.Check(AtAddress(home)).status().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(restarted.Load().ok());
  absl::StatusOr<v1::CheckAddressResponse> again = desk2.Check(AtAddress(home));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->affected());
  EXPECT_EQ(again->notice().notice_id(), shixi.notice_id());

  // Restored: gone, here and in the restarted index once it catches up.
  clock_.Set(start + absl::Hours(3));
  ASSERT_TRUE(Restore(shixi.notice_id(), start + absl::Hours(3)).ok());
  EXPECT_EQ(Check(AtAddress(home)), std::make_pair(false, std::vector<std::string>()));
  ASSERT_TRUE(restarted.CatchUp().ok());
  absl::StatusOr<v1::CheckAddressResponse> after = desk2.Check(AtAddress(home));
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->affected());
  EXPECT_EQ(after->notices_size(), 0);
}

TEST_F(NoticeDeskTest, ThreeRepairCallsFromOneTransformerAreaWithinTheWindowMakeOneProposal) {
  const absl::Time t = Monday10();
  // Two from TA-S: no proposal.
  ASSERT_TRUE(RepairCall(events::NewUuid(), "TA-S", t).ok());
  ASSERT_TRUE(RepairCall(events::NewUuid(), "TA-S", t + absl::Minutes(10)).ok());
  // Three from TA-X within 15 minutes; the third delivered twice.
  const std::string third = events::NewUuid();
  ASSERT_TRUE(RepairCall(events::NewUuid(), "TA-X", t).ok());
  ASSERT_TRUE(RepairCall(events::NewUuid(), "ta-x", t + absl::Minutes(7)).ok());
  EXPECT_TRUE(Proposals().empty());
  ASSERT_TRUE(RepairCall(third, "TA-X", t + absl::Minutes(15)).ok());
  ASSERT_TRUE(RepairCall(third, "TA-X", t + absl::Minutes(15)).ok());

  std::vector<v1::OutageNotice> proposals = Proposals();
  ASSERT_EQ(proposals.size(), 1u);
  const v1::OutageNotice proposal = proposals[0];
  EXPECT_EQ(proposal.state(), v1::NOTICE_STATE_PROPOSED);
  EXPECT_EQ(proposal.kind(), v1::OUTAGE_KIND_FAULT);
  EXPECT_EQ(proposal.suspected().transformer_area(), "TA-X");
  EXPECT_EQ(proposal.suspected().ticket_ids_size(), 3);
  EXPECT_EQ(proposal.suspected().calls(), 3);  // the third, delivered twice, counted once
  EXPECT_EQ(proposal.customers_affected(), 100);

  // A fourth call joins the proposal instead of making another.
  ASSERT_TRUE(RepairCall(events::NewUuid(), "TA-X", t + absl::Minutes(16)).ok());
  proposals = Proposals();
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].suspected().ticket_ids_size(), 4);
  EXPECT_EQ(proposals[0].suspected().calls(), 4);

  // A proposal links nothing until a dispatcher confirms it.
  v1::CheckAddressRequest ta;
  ta.set_transformer_area("TA-X");
  EXPECT_FALSE(Check(ta).first);
  clock_.Set(t + absl::Minutes(20));
  v1::ConfirmNoticeRequest confirm;
  confirm.set_notice_id(proposal.notice_id());
  *confirm.mutable_planned_restore() = ToProtoTime(t + absl::Hours(3));
  absl::StatusOr<v1::OutageNotice> confirmed = desk_->Confirm(confirm);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->state(), v1::NOTICE_STATE_ACTIVE);
  EXPECT_TRUE(Check(ta).first);
  EXPECT_TRUE(Proposals().empty());
}

TEST_F(NoticeDeskTest, ReliabilityOfTwoOutagesOverThreeAreasMatchesTheFigureByHand) {
  const absl::Time day = Monday10() - absl::Hours(10);  // Monday 00:00
  const absl::Time start = day + absl::Hours(10);
  // Outage 1 over Xiayang and Shangyang from 10:00: Xiayang back at 11:00,
  // Shangyang at 12:00. Outage 2 over TA-H from 11:00 to 14:00.
  clock_.Set(start - absl::Hours(24 * 8));
  v1::OutageNotice one = Publish(
      Planned("r1", {Area("Liandu", "Shixi", "Xiayang"), Area("Liandu", "Shixi", "Shangyang")}, {},
              start, absl::Hours(2)));
  v1::OutageNotice two =
      Publish(Planned("r2", {}, {"TA-H"}, start + absl::Hours(1), absl::Hours(3)));
  clock_.Set(day + absl::Hours(15));
  Start(one.notice_id(), start);
  Start(two.notice_id(), start + absl::Hours(1));
  ASSERT_TRUE(
      Restore(one.notice_id(), start + absl::Hours(1), {Area("Liandu", "Shixi", "Xiayang")}).ok());
  absl::StatusOr<v1::OutageNotice> one_done = Restore(one.notice_id(), start + absl::Hours(2));
  ASSERT_TRUE(one_done.ok()) << one_done.status();
  EXPECT_EQ(one_done->state(), v1::NOTICE_STATE_RESTORED);
  // Xiayang 100 x 1 h + Shangyang 200 x 2 h.
  EXPECT_DOUBLE_EQ(one_done->customer_hours(), 500);
  absl::StatusOr<v1::OutageNotice> two_done = Restore(two.notice_id(), start + absl::Hours(4));
  ASSERT_TRUE(two_done.ok()) << two_done.status();
  EXPECT_DOUBLE_EQ(two_done->customer_hours(), 900);  // 300 x 3 h

  v1::GetReliabilityRequest all;
  *all.mutable_period_start() = ToProtoTime(day);
  *all.mutable_period_end() = ToProtoTime(day + absl::Hours(24));
  absl::StatusOr<v1::GetReliabilityResponse> figures = desk_->Reliability(all);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->customers(), 600);
  EXPECT_DOUBLE_EQ(figures->period_hours(), 24);
  EXPECT_DOUBLE_EQ(figures->customer_hours(), 1400);
  EXPECT_NEAR(figures->reliability(), 1 - 1400.0 / (600 * 24), 1e-12);  // 0.902777...
  EXPECT_EQ(figures->outages(), 2);

  // Shixi only: 300 customers, 500 customer-hours, one outage.
  v1::GetReliabilityRequest shixi = all;
  *shixi.mutable_area() = Area("Liandu", "Shixi", "");
  figures = desk_->Reliability(shixi);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->customers(), 300);
  EXPECT_DOUBLE_EQ(figures->customer_hours(), 500);
  EXPECT_NEAR(figures->reliability(), 1 - 500.0 / (300 * 24), 1e-12);
  EXPECT_EQ(figures->outages(), 1);

  // Each restore told intake, with what came back.
  EXPECT_EQ(Count("SELECT count(*) FROM outage.outbox WHERE topic = 'outage.restored'"), 3);
}

TEST_F(NoticeDeskTest, TheChangeLogHoldsEveryChangeInOrderAndRefusedMovesLeaveNoTrace) {
  const absl::Time start = Monday10() + absl::Hours(24 * 8);
  v1::OutageNotice n =
      Publish(Planned("w1", {Area("Liandu", "Shixi", "")}, {}, start, absl::Hours(8)));
  // Restoring what has not started is refused, and nothing is stored.
  absl::StatusOr<v1::OutageNotice> early = Restore(n.notice_id(), Monday10());
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition) << early.status();
  v1::AmendNoticeRequest amend;
  amend.set_notice_id(n.notice_id());
  *amend.mutable_planned_restore() = ToProtoTime(start + absl::Hours(10));
  amend.set_reason("more poles to replace");
  absl::StatusOr<v1::AmendNoticeResponse> amended = desk_->Amend(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_FALSE(amended->timeliness().late());
  clock_.Set(start + absl::Hours(1));
  Start(n.notice_id(), start);
  ASSERT_TRUE(Restore(n.notice_id(), start + absl::Hours(1)).ok());
  // Amending after the restore is refused.
  EXPECT_EQ(desk_->Amend(amend).status().code(), absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<std::vector<v1::NoticeEvent>> log =
      pg::WithTransactionResult<std::vector<v1::NoticeEvent>>(
          *pool_, [](pqxx::work& tx) { return store::NoticeEventsAfter(tx, 0, 100); });
  ASSERT_TRUE(log.ok()) << log.status();
  std::vector<v1::NoticeEventKind> kinds;
  int64_t last = 0;
  for (const v1::NoticeEvent& e : *log) {
    kinds.push_back(e.kind());
    EXPECT_GT(e.sequence(), last);
    last = e.sequence();
    EXPECT_EQ(e.notice().notice_id(), n.notice_id());
  }
  EXPECT_EQ(kinds, std::vector<v1::NoticeEventKind>(
                       {v1::NOTICE_EVENT_KIND_PUBLISHED, v1::NOTICE_EVENT_KIND_AMENDED,
                        v1::NOTICE_EVENT_KIND_STARTED, v1::NOTICE_EVENT_KIND_RESTORED}));
  EXPECT_EQ(log->back().notice().version(), 4);
}

TEST_F(NoticeDeskTest, AKeyUsedAgainReturnsTheFirstNoticeAndIsRefusedForAnother) {
  const absl::Time start = Monday10() + absl::Hours(24 * 8);
  v1::PublishNoticeRequest r =
      Planned("same", {Area("Liandu", "Shixi", "")}, {}, start, absl::Hours(8));
  v1::OutageNotice first = Publish(r);
  absl::StatusOr<v1::PublishNoticeResponse> again =
      desk_->Publish(r, "dispatcher same", rpc::RequestDigest(r), "dispatcher");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed());
  EXPECT_EQ(again->notice().notice_id(), first.notice_id());
  v1::PublishNoticeRequest other = r;
  other.mutable_notice()->set_work("another job");
  EXPECT_EQ(desk_->Publish(other, "dispatcher same", rpc::RequestDigest(other), "dispatcher")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT count(*) FROM outage.notices"), 1);
}

}  // namespace
}  // namespace hotline::outage
