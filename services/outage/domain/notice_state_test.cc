// The life of a notice: publish, start, restore (whole or place by place),
// amend, cancel; a suspected fault proposed, confirmed or dismissed. Each
// legal move and each refusal.

#include "services/outage/domain/notice_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

using ::testing::HasSubstr;

constexpr char kId[] = "6f1c2b9e-0d4a-4c55-9b1e-2a7f3c9d8e01";

absl::Time At(int d, int hh, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 12, d, hh, mm, ss), absl::UTCTimeZone());
}

absl::Time T(const google::protobuf::Timestamp& t) { return FromProtoTime(t); }

common::v1::Address Area(std::string township, std::string village) {
  common::v1::Address a;
  a.set_county("西湖区");
  a.set_township(std::move(township));
  a.set_village_or_community(std::move(village));
  return a;
}

v1::DirectCustomer Customer(std::string name, int32_t kva) {
  v1::DirectCustomer c;
  c.set_name(std::move(name));
  c.set_phone("13812345678");
  c.set_capacity_kva(kva);
  return c;
}

// Planned work on 2026-12-10 from 08:00 to 18:00 over an area, a
// transformer area and a feeder, published on 2026-12-01 09:00.
const absl::Time kPublished = At(1, 9);
const absl::Time kStart = At(10, 8);
const absl::Time kRestore = At(10, 18);

v1::OutageNotice Input() {
  v1::OutageNotice n;
  n.set_kind(v1::OUTAGE_KIND_PLANNED);
  *n.add_areas() = Area("城关镇", "东风村");
  n.add_transformer_areas("TA-0012");
  n.add_feeders("10kV城东线");
  n.set_working_unit("城区运维班");
  n.set_work("10kV城东线检修");
  *n.mutable_planned_start() = ToProtoTime(kStart);
  *n.mutable_planned_restore() = ToProtoTime(kRestore);
  *n.add_dedicated_transformers() = Customer("城东水厂", 630);
  *n.add_important_customers() = Customer("城关医院", 0);
  n.set_person_in_charge("王工");
  n.set_phone("13900001111");
  return n;
}

v1::OutageNotice Scheduled() {
  return PublishedNotice(NoticeRules{}, Input(), kId, "dispatcher-7", kPublished);
}

v1::OutageNotice Active() {
  absl::StatusOr<v1::OutageNotice> n =
      StartedNotice(Scheduled(), kStart, kStart + absl::Minutes(1));
  EXPECT_TRUE(n.ok()) << n.status();
  return *n;
}

v1::OutageNotice Restored() {
  absl::StatusOr<RestoreOutcome> r = RestoredNotice(Active(), {}, kRestore, kRestore);
  EXPECT_TRUE(r.ok()) << r.status();
  return r->notice;
}

v1::OutageNotice Cancelled() {
  absl::StatusOr<v1::OutageNotice> n = CancelledNotice(Scheduled(), "weather", kPublished);
  EXPECT_TRUE(n.ok()) << n.status();
  return *n;
}

v1::SuspectedFault Suspected() {
  v1::SuspectedFault s;
  s.set_transformer_area("TA-0099");
  s.add_ticket_ids("t1");
  s.add_ticket_ids("t2");
  s.add_ticket_ids("t3");
  *s.mutable_first_call_at() = ToProtoTime(At(5, 20, 1));
  *s.mutable_last_call_at() = ToProtoTime(At(5, 20, 9));
  return s;
}

v1::OutageNotice Proposed() { return ProposedNotice(Suspected(), kId, At(5, 20, 10)); }

void ExpectRefused(const absl::Status& status, absl::StatusCode code, absl::string_view message) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(std::string(message)));
}

// ---- publishing and proposing ----

TEST(PublishedNoticeTest, ClearsTheReadOnlyFieldsAndSetsThem) {
  v1::OutageNotice input = Input();
  input.set_notice_id("chosen-by-client");
  input.set_state(v1::NOTICE_STATE_RESTORED);
  input.mutable_timeliness()->set_late(true);
  input.mutable_timeliness()->set_late_reason("storm damage found late");
  *input.mutable_timeliness()->mutable_shortfall() = ToProtoDuration(absl::Hours(3));
  *input.mutable_published_at() = ToProtoTime(At(1, 1));
  *input.mutable_started_at() = ToProtoTime(At(1, 2));
  *input.mutable_restored_at() = ToProtoTime(At(1, 3));
  *input.mutable_cancelled_at() = ToProtoTime(At(1, 4));
  input.add_restored_places()->set_feeder("10kV城东线");
  input.set_customers_affected(99);
  input.set_customer_hours(12.5);
  input.set_voice_text("spoken");
  input.set_version(9);
  input.set_published_by("someone else");
  input.mutable_suspected()->set_feeder("F1");
  input.set_amendments(3);
  input.set_cancel_reason("no");

  const v1::OutageNotice n =
      PublishedNotice(NoticeRules{}, input, kId, "dispatcher-7", kStart - absl::Hours(24));
  EXPECT_EQ(n.notice_id(), kId);
  EXPECT_EQ(n.state(), v1::NOTICE_STATE_SCHEDULED);
  EXPECT_EQ(n.version(), 1);
  EXPECT_EQ(n.published_by(), "dispatcher-7");
  EXPECT_EQ(T(n.published_at()), kStart - absl::Hours(24));
  EXPECT_TRUE(n.timeliness().late()) << "a planned notice a day ahead";
  EXPECT_EQ(FromProtoDuration(n.timeliness().shortfall()), absl::Hours(6 * 24));
  EXPECT_EQ(n.timeliness().late_reason(), "storm damage found late");
  EXPECT_FALSE(n.has_started_at());
  EXPECT_FALSE(n.has_restored_at());
  EXPECT_FALSE(n.has_cancelled_at());
  EXPECT_TRUE(n.restored_places().empty());
  EXPECT_EQ(n.customers_affected(), 0);
  EXPECT_EQ(n.customer_hours(), 0);
  EXPECT_EQ(n.voice_text(), "");
  EXPECT_FALSE(n.has_suspected());
  EXPECT_EQ(n.amendments(), 0);
  EXPECT_EQ(n.cancel_reason(), "");
  // The input fields are kept.
  EXPECT_EQ(n.kind(), v1::OUTAGE_KIND_PLANNED);
  EXPECT_EQ(n.areas_size(), 1);
  EXPECT_EQ(n.work(), "10kV城东线检修");
  EXPECT_EQ(n.person_in_charge(), "王工");
  EXPECT_EQ(n.dedicated_transformers_size(), 1);
}

TEST(PublishedNoticeTest, InTimeForItsKind) {
  const v1::OutageNotice n = Scheduled();
  EXPECT_FALSE(n.timeliness().late());
  EXPECT_EQ(FromProtoDuration(n.timeliness().given_lead()), kStart - kPublished);
  EXPECT_EQ(FromProtoDuration(n.timeliness().required_lead()), absl::Hours(7 * 24));
}

TEST(ProposedNoticeTest, IsAFaultAtThePlaceOfTheCallsFromTheFirstCall) {
  const v1::OutageNotice n = Proposed();
  EXPECT_EQ(n.notice_id(), kId);
  EXPECT_EQ(n.state(), v1::NOTICE_STATE_PROPOSED);
  EXPECT_EQ(n.kind(), v1::OUTAGE_KIND_FAULT);
  ASSERT_EQ(n.transformer_areas_size(), 1);
  EXPECT_EQ(n.transformer_areas(0), "TA-0099");
  EXPECT_TRUE(n.areas().empty());
  EXPECT_TRUE(n.feeders().empty());
  EXPECT_EQ(T(n.planned_start()), At(5, 20, 1));
  EXPECT_FALSE(n.has_planned_restore());
  EXPECT_EQ(n.version(), 1);
  EXPECT_EQ(n.suspected().ticket_ids_size(), 3);
  EXPECT_FALSE(IsOpen(n)) << "a proposal covers nothing";
  EXPECT_FALSE(InEffect(n, At(6, 0)));

  v1::SuspectedFault by_feeder = Suspected();
  by_feeder.clear_transformer_area();
  by_feeder.set_feeder("F-7");
  const v1::OutageNotice f = ProposedNotice(by_feeder, kId, At(5, 20, 10));
  ASSERT_EQ(f.feeders_size(), 1);
  EXPECT_EQ(f.feeders(0), "F-7");
  EXPECT_TRUE(f.transformer_areas().empty());
}

// ---- in effect ----

TEST(InEffectTest, FromThePlannedStartOrTheReportedStart) {
  const v1::OutageNotice s = Scheduled();
  EXPECT_TRUE(IsOpen(s));
  EXPECT_FALSE(InEffect(s, kStart - absl::Seconds(1)));
  EXPECT_TRUE(InEffect(s, kStart));
  EXPECT_EQ(EffectiveStart(s), kStart);

  absl::StatusOr<v1::OutageNotice> early = StartedNotice(s, kStart - absl::Hours(1), kStart);
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_EQ(EffectiveStart(*early), kStart - absl::Hours(1));
  EXPECT_TRUE(InEffect(*early, kStart - absl::Minutes(30)));

  EXPECT_FALSE(IsOpen(Restored()));
  EXPECT_FALSE(InEffect(Restored(), kRestore));
  EXPECT_FALSE(IsOpen(Cancelled()));
  EXPECT_FALSE(InEffect(Cancelled(), kStart));
}

// ---- start ----

TEST(StartedNoticeTest, AScheduledNoticeStarts) {
  absl::StatusOr<v1::OutageNotice> n =
      StartedNotice(Scheduled(), kStart + absl::Minutes(3), kStart + absl::Minutes(5));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->state(), v1::NOTICE_STATE_ACTIVE);
  EXPECT_EQ(T(n->started_at()), kStart + absl::Minutes(3));
  EXPECT_EQ(T(n->planned_start()), kStart) << "the plan stays as announced";
  EXPECT_EQ(n->version(), 2);
}

TEST(StartedNoticeTest, OnlyAScheduledNoticeStartsAndNotInTheFuture) {
  ExpectRefused(StartedNotice(Active(), kStart, kStart).status(),
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("notice ", kId, " is active: only a scheduled notice is started"));
  ExpectRefused(StartedNotice(Restored(), kStart, kRestore).status(),
                absl::StatusCode::kFailedPrecondition, "is restored");
  ExpectRefused(StartedNotice(Cancelled(), kStart, kStart).status(),
                absl::StatusCode::kFailedPrecondition, "is cancelled");
  ExpectRefused(StartedNotice(Proposed(), kStart, kStart).status(),
                absl::StatusCode::kFailedPrecondition, "is proposed");
  ExpectRefused(StartedNotice(Scheduled(), kStart + absl::Seconds(1), kStart).status(),
                absl::StatusCode::kInvalidArgument, "started_at: later than now");
}

// ---- restore ----

TEST(RestoredNoticeTest, AnActiveNoticeRestoredAsAWhole) {
  absl::StatusOr<RestoreOutcome> r = RestoredNotice(Active(), {}, kRestore, kRestore);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->whole);
  EXPECT_EQ(r->notice.state(), v1::NOTICE_STATE_RESTORED);
  EXPECT_EQ(T(r->notice.restored_at()), kRestore);
  EXPECT_EQ(T(r->notice.started_at()), kStart);
  EXPECT_TRUE(r->notice.restored_places().empty()) << "nothing came back before the rest";
  EXPECT_EQ(r->notice.version(), 3);
  ASSERT_EQ(r->restored.areas.size(), 1u);
  EXPECT_EQ(r->restored.areas[0].village_or_community(), "东风村");
  EXPECT_EQ(r->restored.transformer_areas, std::vector<std::string>{"TA-0012"});
  EXPECT_EQ(r->restored.feeders, std::vector<std::string>{"10kV城东线"});
}

TEST(RestoredNoticeTest, AScheduledNoticeInEffectStartsAtItsPlannedStart) {
  absl::StatusOr<RestoreOutcome> r =
      RestoredNotice(Scheduled(), {}, kStart + absl::Hours(2), kStart + absl::Hours(3));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->notice.state(), v1::NOTICE_STATE_RESTORED);
  EXPECT_EQ(T(r->notice.started_at()), kStart);
  EXPECT_EQ(T(r->notice.restored_at()), kStart + absl::Hours(2));
  EXPECT_EQ(r->notice.version(), 2);
}

TEST(RestoredNoticeTest, ExactlyAtTheStartIsAccepted) {
  EXPECT_TRUE(RestoredNotice(Scheduled(), {}, kStart, kStart).ok());
  EXPECT_TRUE(RestoredNotice(Active(), {}, kStart, kStart).ok());
}

TEST(RestoredNoticeTest, BeforeItsStartANoticeCannotBeRestored) {
  ExpectRefused(
      RestoredNotice(Scheduled(), {}, kStart - absl::Minutes(1), kStart - absl::Seconds(1))
          .status(),
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat("notice ", kId,
                   " is scheduled: it starts at 2026-12-10 08:00:00 UTC and cannot be "
                   "restored before it starts"));
}

TEST(RestoredNoticeTest, ARestoreTimeBeforeTheEffectiveStartIsRefused) {
  ExpectRefused(RestoredNotice(Active(), {}, kStart - absl::Seconds(1), kRestore).status(),
                absl::StatusCode::kInvalidArgument,
                "restored_at: before the notice's start (2026-12-10 08:00:00 UTC)");
  // A scheduled notice in effect: its planned start is its start.
  ExpectRefused(RestoredNotice(Scheduled(), {}, kStart - absl::Seconds(1), kRestore).status(),
                absl::StatusCode::kInvalidArgument, "restored_at: before the notice's start");
  // The reported start counts, not the planned one.
  absl::StatusOr<v1::OutageNotice> late_start =
      StartedNotice(Scheduled(), kStart + absl::Hours(1), kStart + absl::Hours(1));
  ASSERT_TRUE(late_start.ok());
  ExpectRefused(RestoredNotice(*late_start, {}, kStart + absl::Minutes(30), kRestore).status(),
                absl::StatusCode::kInvalidArgument,
                "restored_at: before the notice's start (2026-12-10 09:00:00 UTC)");
}

TEST(RestoredNoticeTest, ARestoreTimeAfterNowIsRefused) {
  ExpectRefused(RestoredNotice(Active(), {}, kRestore + absl::Seconds(1), kRestore).status(),
                absl::StatusCode::kInvalidArgument, "restored_at: later than now");
}

TEST(RestoredNoticeTest, OnlyAnOpenNoticeIsRestored) {
  ExpectRefused(RestoredNotice(Restored(), {}, kRestore, kRestore).status(),
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("notice ", kId, " is restored: it cannot be restored"));
  ExpectRefused(RestoredNotice(Cancelled(), {}, kRestore, kRestore).status(),
                absl::StatusCode::kFailedPrecondition, "is cancelled");
  ExpectRefused(RestoredNotice(Proposed(), {}, At(6, 1), At(6, 1)).status(),
                absl::StatusCode::kFailedPrecondition, "is proposed");
}

TEST(RestoredNoticeTest, PlaceByPlaceThenTheRest) {
  // The area named in another spelling: full-width and spaced.
  RestorePlaces area;
  area.areas.push_back(Area(" 城关镇 ", "东风村。"));
  absl::StatusOr<RestoreOutcome> first =
      RestoredNotice(Active(), area, kStart + absl::Hours(2), kStart + absl::Hours(2));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->whole);
  EXPECT_EQ(first->notice.state(), v1::NOTICE_STATE_ACTIVE);
  EXPECT_FALSE(first->notice.has_restored_at());
  ASSERT_EQ(first->notice.restored_places_size(), 1);
  EXPECT_EQ(first->notice.restored_places(0).area().township(), "城关镇")
      << "kept as the notice spells it";
  EXPECT_EQ(T(first->notice.restored_places(0).restored_at()), kStart + absl::Hours(2));
  ASSERT_EQ(first->restored.areas.size(), 1u);
  EXPECT_TRUE(first->restored.transformer_areas.empty());

  RestorePlaces transformer_area;
  transformer_area.transformer_areas.push_back("ta－0012");  // case and a full-width hyphen
  absl::StatusOr<RestoreOutcome> second = RestoredNotice(
      first->notice, transformer_area, kStart + absl::Hours(3), kStart + absl::Hours(3));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->whole);
  ASSERT_EQ(second->notice.restored_places_size(), 2);
  EXPECT_EQ(second->notice.restored_places(1).transformer_area(), "TA-0012");
  EXPECT_EQ(second->restored.transformer_areas, std::vector<std::string>{"TA-0012"});

  RestorePlaces feeder;
  feeder.feeders.push_back("10kV 城东线");
  absl::StatusOr<RestoreOutcome> last =
      RestoredNotice(second->notice, feeder, kStart + absl::Hours(4), kRestore);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_TRUE(last->whole);
  EXPECT_EQ(last->notice.state(), v1::NOTICE_STATE_RESTORED);
  EXPECT_EQ(T(last->notice.restored_at()), kStart + absl::Hours(4));
  EXPECT_EQ(last->notice.restored_places_size(), 2) << "the last place came back with the rest";
  EXPECT_EQ(last->restored.feeders, std::vector<std::string>{"10kV城东线"});
  EXPECT_EQ(last->notice.version(), 5);
}

TEST(RestoredNoticeTest, TheRestAfterSomePlaces) {
  RestorePlaces feeder;
  feeder.feeders.push_back("10kV城东线");
  absl::StatusOr<RestoreOutcome> first =
      RestoredNotice(Scheduled(), feeder, kStart + absl::Hours(1), kRestore);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->notice.state(), v1::NOTICE_STATE_ACTIVE) << "a scheduled notice in effect";
  EXPECT_EQ(T(first->notice.started_at()), kStart);

  absl::StatusOr<RestoreOutcome> rest = RestoredNotice(first->notice, {}, kRestore, kRestore);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_TRUE(rest->whole);
  EXPECT_EQ(rest->notice.state(), v1::NOTICE_STATE_RESTORED);
  EXPECT_EQ(rest->restored.areas.size(), 1u);
  EXPECT_EQ(rest->restored.transformer_areas.size(), 1u);
  EXPECT_TRUE(rest->restored.feeders.empty()) << "restored before";
}

TEST(RestoredNoticeTest, NamingEveryPlaceAtOnceRestoresTheWhole) {
  RestorePlaces all;
  all.areas.push_back(Area("城关镇", "东风村"));
  all.transformer_areas.push_back("TA-0012");
  all.feeders.push_back("10kV城东线");
  absl::StatusOr<RestoreOutcome> r = RestoredNotice(Active(), all, kRestore, kRestore);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->whole);
  EXPECT_TRUE(r->notice.restored_places().empty());
}

TEST(RestoredNoticeTest, APlaceNotOfTheNoticeIsRefused) {
  RestorePlaces other_village;
  other_village.areas.push_back(Area("城关镇", "东风村"));
  other_village.areas.push_back(Area("城关镇", "西风村"));
  ExpectRefused(RestoredNotice(Active(), other_village, kRestore, kRestore).status(),
                absl::StatusCode::kInvalidArgument,
                absl::StrCat("areas[1]: not a place of notice ", kId));

  RestorePlaces wider;  // the notice's village without its county is another area
  common::v1::Address no_county = Area("城关镇", "东风村");
  no_county.clear_county();
  wider.areas.push_back(no_county);
  ExpectRefused(RestoredNotice(Active(), wider, kRestore, kRestore).status(),
                absl::StatusCode::kInvalidArgument, "areas[0]: not a place of notice");

  RestorePlaces transformer_area;
  transformer_area.transformer_areas.push_back("TA-0013");
  ExpectRefused(RestoredNotice(Active(), transformer_area, kRestore, kRestore).status(),
                absl::StatusCode::kInvalidArgument, "transformer_areas[0]: not a place of notice");

  RestorePlaces feeder;  // a transformer area's id named as a feeder
  feeder.feeders.push_back("TA-0012");
  ExpectRefused(RestoredNotice(Active(), feeder, kRestore, kRestore).status(),
                absl::StatusCode::kInvalidArgument, "feeders[0]: not a place of notice");
}

TEST(RestoredNoticeTest, APlaceRestoredBeforeOrNamedTwiceIsRefused) {
  RestorePlaces feeder;
  feeder.feeders.push_back("10kV城东线");
  absl::StatusOr<RestoreOutcome> first =
      RestoredNotice(Active(), feeder, kStart + absl::Hours(1), kRestore);
  ASSERT_TRUE(first.ok());
  ExpectRefused(RestoredNotice(first->notice, feeder, kRestore, kRestore).status(),
                absl::StatusCode::kInvalidArgument,
                "feeders[0]: already restored at 2026-12-10 09:00:00 UTC");

  RestorePlaces twice;
  twice.transformer_areas = {"TA-0012", "ta-0012"};
  ExpectRefused(RestoredNotice(Active(), twice, kRestore, kRestore).status(),
                absl::StatusCode::kInvalidArgument, "transformer_areas[1]: named twice");
}

TEST(RestoredNoticeTest, ARefusedRestoreChangesNothing) {
  const v1::OutageNotice active = Active();
  RestorePlaces bad;
  bad.feeders = {"10kV城东线", "nowhere"};
  ASSERT_FALSE(RestoredNotice(active, bad, kRestore, kRestore).ok());
  EXPECT_EQ(active.state(), v1::NOTICE_STATE_ACTIVE);
  EXPECT_TRUE(active.restored_places().empty());
}

// ---- cancel ----

TEST(CancelledNoticeTest, AScheduledNoticeNotYetInEffect) {
  absl::StatusOr<v1::OutageNotice> n =
      CancelledNotice(Scheduled(), "work postponed", kStart - absl::Seconds(1));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->state(), v1::NOTICE_STATE_CANCELLED);
  EXPECT_EQ(n->cancel_reason(), "work postponed");
  EXPECT_EQ(T(n->cancelled_at()), kStart - absl::Seconds(1));
  EXPECT_EQ(n->version(), 2);
}

TEST(CancelledNoticeTest, AProposalIsDismissed) {
  absl::StatusOr<v1::OutageNotice> n = CancelledNotice(Proposed(), "one house only", At(5, 21));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->state(), v1::NOTICE_STATE_CANCELLED);
  EXPECT_EQ(n->version(), 2);
}

TEST(CancelledNoticeTest, ANoticeInEffectOrOverIsNotCancelled) {
  ExpectRefused(CancelledNotice(Active(), "x", kStart + absl::Hours(1)).status(),
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("notice ", kId,
                             " is active: it has started: restore it instead of cancelling it"));
  ExpectRefused(CancelledNotice(Scheduled(), "x", kStart).status(),
                absl::StatusCode::kFailedPrecondition,
                "is scheduled: it is in effect since its planned start");
  ExpectRefused(CancelledNotice(Restored(), "x", kRestore).status(),
                absl::StatusCode::kFailedPrecondition, "is restored: it cannot be cancelled");
  ExpectRefused(CancelledNotice(Cancelled(), "x", kStart).status(),
                absl::StatusCode::kFailedPrecondition, "is cancelled: it cannot be cancelled");
}

TEST(CancelledNoticeTest, AReasonIsNeeded) {
  ExpectRefused(CancelledNotice(Scheduled(), " ", kPublished).status(),
                absl::StatusCode::kInvalidArgument, "reason: required");
}

// ---- amend ----

TEST(AmendedNoticeTest, AnEarlierStartTellsTheDirectCustomers) {
  const absl::Time now = kStart - absl::Hours(5);
  absl::StatusOr<AmendOutcome> a = AmendedNotice(
      NoticeRules{}, Scheduled(), kStart - absl::Hours(2), std::nullopt, "crew free earlier", now);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->terms.earlier_start);
  EXPECT_FALSE(a->terms.timeliness.late());
  EXPECT_EQ(T(a->notice.planned_start()), kStart - absl::Hours(2));
  EXPECT_EQ(T(a->notice.planned_restore()), kRestore);
  EXPECT_EQ(a->notice.amendments(), 1);
  EXPECT_EQ(a->notice.version(), 2);
  ASSERT_EQ(a->to_tell.size(), 2u);
  EXPECT_EQ(a->to_tell[0].name(), "城东水厂");
  EXPECT_EQ(a->to_tell[1].name(), "城关医院");
}

TEST(AmendedNoticeTest, ALateAmendmentIsMadeAndMarkedLateWithItsReason) {
  const absl::Time new_start = kStart - absl::Hours(2);
  absl::StatusOr<AmendOutcome> a =
      AmendedNotice(NoticeRules{}, Scheduled(), new_start, std::nullopt, "transformer failing",
                    new_start - absl::Hours(1) + absl::Seconds(1));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->terms.timeliness.late());
  EXPECT_EQ(FromProtoDuration(a->terms.timeliness.shortfall()), absl::Seconds(1));
  EXPECT_EQ(a->terms.timeliness.late_reason(), "transformer failing");
  EXPECT_EQ(T(a->notice.planned_start()), new_start);
}

TEST(AmendedNoticeTest, AnEarlierStartOrALaterRestoreNeedsAReason) {
  ExpectRefused(AmendedNotice(NoticeRules{}, Scheduled(), kStart - absl::Hours(1), std::nullopt, "",
                              kPublished)
                    .status(),
                absl::StatusCode::kInvalidArgument,
                "reason: required for an earlier start or a later restore");
  ExpectRefused(AmendedNotice(NoticeRules{}, Active(), std::nullopt, kRestore + absl::Hours(1),
                              "  ", kStart + absl::Hours(1))
                    .status(),
                absl::StatusCode::kInvalidArgument, "reason: required");
}

TEST(AmendedNoticeTest, ALaterStartOrAnEarlierRestoreNeedsNeitherReasonNorTelling) {
  absl::StatusOr<AmendOutcome> a =
      AmendedNotice(NoticeRules{}, Scheduled(), kStart + absl::Hours(1), kRestore - absl::Hours(1),
                    "", kStart - absl::Minutes(1));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FALSE(a->terms.NeedsNotice());
  EXPECT_TRUE(a->to_tell.empty());
  EXPECT_EQ(T(a->notice.planned_start()), kStart + absl::Hours(1));
  EXPECT_EQ(T(a->notice.planned_restore()), kRestore - absl::Hours(1));
}

TEST(AmendedNoticeTest, AnActiveNoticeMovesItsRestoreOnly) {
  absl::StatusOr<AmendOutcome> a =
      AmendedNotice(NoticeRules{}, Active(), std::nullopt, kRestore + absl::Hours(2),
                    "cable fault found", kRestore - absl::Hours(1));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->terms.later_restore);
  EXPECT_FALSE(a->terms.timeliness.late());
  EXPECT_EQ(a->to_tell.size(), 2u);
  EXPECT_EQ(a->notice.state(), v1::NOTICE_STATE_ACTIVE);
  EXPECT_EQ(a->notice.version(), 3);

  ExpectRefused(
      AmendedNotice(NoticeRules{}, Active(), kStart + absl::Hours(1), std::nullopt, "", kStart)
          .status(),
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat("notice ", kId, " is active: it started at 2026-12-10 08:00:00 UTC"));
}

TEST(AmendedNoticeTest, AfterTheRestoreOrTheCancelNothingIsAmended) {
  ExpectRefused(AmendedNotice(NoticeRules{}, Restored(), std::nullopt, kRestore + absl::Hours(1),
                              "r", kRestore)
                    .status(),
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("notice ", kId, " is restored: it cannot be amended"));
  ExpectRefused(AmendedNotice(NoticeRules{}, Cancelled(), kStart + absl::Hours(1), std::nullopt,
                              "r", kPublished)
                    .status(),
                absl::StatusCode::kFailedPrecondition, "is cancelled: it cannot be amended");
  ExpectRefused(
      AmendedNotice(NoticeRules{}, Proposed(), std::nullopt, At(6, 1), "r", At(5, 21)).status(),
      absl::StatusCode::kFailedPrecondition, "is proposed: it cannot be amended");
}

TEST(AmendedNoticeTest, TheRestoreStaysAfterTheStart) {
  ExpectRefused(
      AmendedNotice(NoticeRules{}, Scheduled(), std::nullopt, kStart, "", kPublished).status(),
      absl::StatusCode::kInvalidArgument,
      "planned_restore: the restore (2026-12-10 08:00:00 UTC) must be after the start "
      "(2026-12-10 08:00:00 UTC)");
  ExpectRefused(AmendedNotice(NoticeRules{}, Scheduled(), kRestore + absl::Hours(1), std::nullopt,
                              "", kPublished)
                    .status(),
                absl::StatusCode::kInvalidArgument, "planned_start: the restore");
  // An active notice's restore stays after its actual start.
  absl::StatusOr<v1::OutageNotice> late =
      StartedNotice(Scheduled(), kStart + absl::Hours(3), kStart + absl::Hours(3));
  ASSERT_TRUE(late.ok());
  ExpectRefused(AmendedNotice(NoticeRules{}, *late, std::nullopt, kStart + absl::Hours(2), "",
                              kStart + absl::Hours(3))
                    .status(),
                absl::StatusCode::kInvalidArgument, "planned_restore: the restore");
}

TEST(AmendedNoticeTest, SomeTimeMustChange) {
  ExpectRefused(
      AmendedNotice(NoticeRules{}, Scheduled(), kStart, kRestore, "", kPublished).status(),
      absl::StatusCode::kInvalidArgument, "planned_start: nothing changes");
  ExpectRefused(
      AmendedNotice(NoticeRules{}, Scheduled(), std::nullopt, std::nullopt, "", kPublished)
          .status(),
      absl::StatusCode::kInvalidArgument, "nothing changes");
}

// ---- confirm ----

v1::ConfirmNoticeRequest Confirm(absl::Time restore) {
  v1::ConfirmNoticeRequest r;
  r.set_notice_id(kId);
  *r.mutable_planned_restore() = ToProtoTime(restore);
  r.set_work("配变低压侧烧毁");
  r.set_person_in_charge("李工");
  r.set_phone("13700002222");
  return r;
}

TEST(ConfirmedNoticeTest, AProposalBecomesActiveFromTheFirstCall) {
  absl::StatusOr<v1::OutageNotice> n = ConfirmedNotice(Proposed(), Confirm(At(6, 2)), At(5, 21));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->state(), v1::NOTICE_STATE_ACTIVE);
  EXPECT_EQ(T(n->started_at()), At(5, 20, 1));
  EXPECT_EQ(T(n->planned_start()), At(5, 20, 1));
  EXPECT_EQ(T(n->planned_restore()), At(6, 2));
  EXPECT_EQ(n->work(), "配变低压侧烧毁");
  EXPECT_EQ(n->person_in_charge(), "李工");
  EXPECT_EQ(n->phone(), "13700002222");
  EXPECT_EQ(n->version(), 2);
  EXPECT_TRUE(InEffect(*n, At(5, 21)));

  // Then it lives as any active notice.
  absl::StatusOr<RestoreOutcome> r = RestoredNotice(*n, {}, At(6, 1), At(6, 1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->notice.state(), v1::NOTICE_STATE_RESTORED);
  EXPECT_EQ(r->notice.version(), 3);
}

TEST(ConfirmedNoticeTest, OnlyAProposalIsConfirmed) {
  for (const v1::OutageNotice& n : {Scheduled(), Active(), Restored(), Cancelled()}) {
    ExpectRefused(ConfirmedNotice(n, Confirm(At(20, 0)), At(10, 9)).status(),
                  absl::StatusCode::kFailedPrecondition, "only a proposed notice is confirmed");
  }
}

TEST(ConfirmedNoticeTest, TheRestoreIsAfterTheFirstCall) {
  ExpectRefused(ConfirmedNotice(Proposed(), Confirm(At(5, 20, 1)), At(5, 21)).status(),
                absl::StatusCode::kInvalidArgument,
                "planned_restore: must be after the first call (2026-12-05 20:01:00 UTC)");
}

// ---- versions ----

TEST(NoticeVersionTest, EveryMoveAddsOne) {
  v1::OutageNotice n = Scheduled();
  EXPECT_EQ(n.version(), 1);
  absl::StatusOr<AmendOutcome> a =
      AmendedNotice(NoticeRules{}, n, kStart + absl::Hours(1), std::nullopt, "", kPublished);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->notice.version(), 2);
  absl::StatusOr<v1::OutageNotice> s =
      StartedNotice(a->notice, kStart + absl::Hours(1), kStart + absl::Hours(1));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->version(), 3);
  absl::StatusOr<AmendOutcome> b = AmendedNotice(NoticeRules{}, *s, std::nullopt,
                                                 kRestore + absl::Hours(1), "more work", kStart);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->notice.version(), 4);
  EXPECT_EQ(b->notice.amendments(), 2);
  RestorePlaces feeder;
  feeder.feeders.push_back("10kV城东线");
  absl::StatusOr<RestoreOutcome> r1 = RestoredNotice(b->notice, feeder, kRestore, kRestore);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->notice.version(), 5);
  absl::StatusOr<RestoreOutcome> r2 = RestoredNotice(r1->notice, {}, kRestore, kRestore);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->notice.version(), 6);
}

}  // namespace
}  // namespace hotline::outage
