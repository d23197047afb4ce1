// The checks of the outage RPCs' requests: each refusal names its field.

#include "services/outage/domain/notice_requests.h"

#include <gtest/gtest.h>

#include <functional>

#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

constexpr char kId[] = "6f1c2b9e-0d4a-4c55-9b1e-2a7f3c9d8e01";

absl::Time At(int y, int m, int d, int hh, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), absl::UTCTimeZone());
}

const absl::Time kNow = At(2026, 12, 1, 9);
const absl::Time kStart = At(2026, 12, 10, 8);

google::protobuf::Timestamp P(absl::Time t) { return ToProtoTime(t); }

v1::DirectCustomer Customer(std::string name, int32_t kva) {
  v1::DirectCustomer c;
  c.set_name(std::move(name));
  c.set_phone("0571-87654321");
  c.set_capacity_kva(kva);
  return c;
}

v1::PublishNoticeRequest Publish() {
  v1::PublishNoticeRequest r;
  r.set_idempotency_key("pub-2026-12-01-001");
  v1::OutageNotice& n = *r.mutable_notice();
  n.set_kind(v1::OUTAGE_KIND_PLANNED);
  common::v1::Address& a = *n.add_areas();
  a.set_township("城关镇");
  a.set_village_or_community("东风村");
  n.add_transformer_areas("TA-0012");
  n.add_feeders("10kV城东线");
  n.set_work("10kV城东线检修");
  *n.mutable_planned_start() = P(kStart);
  *n.mutable_planned_restore() = P(kStart + absl::Hours(10));
  *n.add_dedicated_transformers() = Customer("城东水厂", 315);
  *n.add_important_customers() = Customer("城关医院", 0);
  n.set_person_in_charge("王工");
  n.set_phone("13900001111");
  return r;
}

absl::Status CheckPublish(const std::function<void(v1::PublishNoticeRequest&)>& change,
                          absl::Time now = kNow) {
  v1::PublishNoticeRequest r = Publish();
  change(r);
  return ValidatePublish(r, NoticeRules{}, now);
}

void ExpectInvalid(const absl::Status& status, absl::string_view message) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), message);
}

TEST(ValidatePublishTest, AValidNoticePasses) {
  EXPECT_TRUE(ValidatePublish(Publish(), NoticeRules{}, kNow).ok())
      << ValidatePublish(Publish(), NoticeRules{}, kNow);
  // A single place of any kind is enough.
  EXPECT_TRUE(CheckPublish([](auto& r) {
                r.mutable_notice()->clear_areas();
                r.mutable_notice()->clear_feeders();
              }).ok());
  // A fault needs no person in charge, and is never late.
  EXPECT_TRUE(CheckPublish(
                  [](auto& r) {
                    r.mutable_notice()->set_kind(v1::OUTAGE_KIND_FAULT);
                    r.mutable_notice()->clear_person_in_charge();
                    r.mutable_notice()->clear_phone();
                  },
                  kStart + absl::Hours(1))
                  .ok());
  // The read-only fields are ignored.
  EXPECT_TRUE(CheckPublish([](auto& r) {
                r.mutable_notice()->set_state(v1::NOTICE_STATE_RESTORED);
                r.mutable_notice()->set_version(-4);
                r.mutable_notice()->set_voice_text("x");
              }).ok());
}

TEST(ValidatePublishTest, TheKeyIsRequiredAndPrintable) {
  ExpectInvalid(CheckPublish([](auto& r) { r.clear_idempotency_key(); }),
                "idempotency_key: required");
  ExpectInvalid(CheckPublish([](auto& r) { r.set_idempotency_key("a b"); }),
                "idempotency_key: printable ASCII without spaces only");
  ExpectInvalid(CheckPublish([](auto& r) { r.set_idempotency_key(std::string(129, 'k')); }),
                "idempotency_key: at most 128 characters");
  ExpectInvalid(CheckPublish([](auto& r) { r.clear_notice(); }), "notice: required");
}

TEST(ValidatePublishTest, AKnownKind) {
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->clear_kind(); }),
                "notice.kind: required");
  ExpectInvalid(
      CheckPublish([](auto& r) { r.mutable_notice()->set_kind(static_cast<v1::OutageKind>(9)); }),
      "notice.kind: unknown value 9");
}

TEST(ValidatePublishTest, AtLeastOnePlaceEachNamingOne) {
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->clear_areas();
                  r.mutable_notice()->clear_transformer_areas();
                  r.mutable_notice()->clear_feeders();
                }),
                "notice.areas: at least one place is required: an area, a transformer area or a "
                "feeder");
  ExpectInvalid(CheckPublish([](auto& r) {
                  common::v1::Address& a = *r.mutable_notice()->add_areas();
                  a.set_township(" 、 ");  // only white space and punctuation
                }),
                "notice.areas[1]: names no area");
  ExpectInvalid(
      CheckPublish([](auto& r) { r.mutable_notice()->mutable_areas(0)->set_street("解放路12号"); }),
      "notice.areas[0]: an area has no street or landmark (province .. village only)");
  ExpectInvalid(
      CheckPublish([](auto& r) { r.mutable_notice()->mutable_areas(0)->set_feeder("F1"); }),
      "notice.areas[0]: an area has no feeder or transformer area: list them as places");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->add_transformer_areas("-"); }),
                "notice.transformer_areas[1]: names no place");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->add_feeders(""); }),
                "notice.feeders[1]: names no place");
}

TEST(ValidatePublishTest, NoPlaceTwice) {
  ExpectInvalid(CheckPublish([](auto& r) {
                  common::v1::Address& a = *r.mutable_notice()->add_areas();
                  a.set_township("城关镇 ");
                  a.set_village_or_community("东风村");
                }),
                "notice.areas[1]: named twice");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->add_transformer_areas("ta-0012"); }),
                "notice.transformer_areas[1]: named twice");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->add_feeders("10kV 城东线"); }),
                "notice.feeders[1]: named twice");
  // A transformer area and a feeder of one id are two places.
  EXPECT_TRUE(CheckPublish([](auto& r) { r.mutable_notice()->add_feeders("TA-0012"); }).ok());
}

TEST(ValidatePublishTest, PlannedTimesGivenInRangeAndInOrder) {
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->clear_planned_start(); }),
                "notice.planned_start: required");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->clear_planned_restore(); }),
                "notice.planned_restore: required");
  ExpectInvalid(CheckPublish([](auto& r) {
                  *r.mutable_notice()->mutable_planned_restore() = P(At(2100, 1, 1, 0));
                }),
                "notice.planned_restore: must lie in [2000-01-01, 2100-01-01) (got "
                "2100-01-01T00:00:00+00:00)");
  ExpectInvalid(
      CheckPublish([](auto& r) { *r.mutable_notice()->mutable_planned_restore() = P(kStart); }),
      "notice.planned_restore: must be after notice.planned_start");
  ExpectInvalid(CheckPublish([](auto& r) {
                  *r.mutable_notice()->mutable_planned_restore() = P(kStart - absl::Seconds(1));
                }),
                "notice.planned_restore: must be after notice.planned_start");
}

TEST(ValidatePublishTest, APersonInChargeWithAPhone) {
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->clear_person_in_charge(); }),
                "notice.person_in_charge: required");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->clear_phone(); }),
                "notice.phone: required with the person in charge");
  ExpectInvalid(CheckPublish([](auto& r) { r.mutable_notice()->set_phone("12345"); }),
                "notice.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
                "(0xx-xxxxxxxx[-ext])");
  // A fault may leave both out, but a phone it gives is checked.
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->set_kind(v1::OUTAGE_KIND_FAULT);
                  r.mutable_notice()->clear_person_in_charge();
                  r.mutable_notice()->set_phone("95598");
                }),
                "notice.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
                "(0xx-xxxxxxxx[-ext])");
}

TEST(ValidatePublishTest, DirectCustomersWithNameAndPhoneAndDedicatedOf315KvaAndAbove) {
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->mutable_dedicated_transformers(0)->set_capacity_kva(314);
                }),
                "notice.dedicated_transformers[0].capacity_kva: a dedicated transformer told "
                "directly is of 315 kVA and above (got 314)");
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->mutable_dedicated_transformers(0)->clear_name();
                }),
                "notice.dedicated_transformers[0].name: required");
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->mutable_important_customers(0)->set_phone("8765432");
                }),
                "notice.important_customers[0].phone: must be a mobile (1xxxxxxxxxx) or a "
                "landline with area code (0xx-xxxxxxxx[-ext])");
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->mutable_important_customers(0)->clear_phone();
                }),
                "notice.important_customers[0].phone: required");
  ExpectInvalid(CheckPublish([](auto& r) {
                  r.mutable_notice()->mutable_important_customers(0)->set_capacity_kva(-1);
                }),
                "notice.important_customers[0].capacity_kva: must not be negative");
}

TEST(ValidatePublishTest, ALateNoticeNeedsAReason) {
  // A planned notice 3 hours short of its 7 days.
  const absl::Time late_now = kStart - absl::Hours(7 * 24) + absl::Hours(3);
  ExpectInvalid(CheckPublish([](auto&) {}, late_now),
                "notice.timeliness.late_reason: required: the notice is 3h short of the planned "
                "kind's 168h lead");
  ExpectInvalid(
      CheckPublish([](auto& r) { r.mutable_notice()->mutable_timeliness()->set_late_reason(" "); },
                   late_now),
      "notice.timeliness.late_reason: required: the notice is 3h short of the planned "
      "kind's 168h lead");
  EXPECT_TRUE(CheckPublish(
                  [](auto& r) {
                    r.mutable_notice()->mutable_timeliness()->set_late_reason("台风抢修后补");
                  },
                  late_now)
                  .ok());
  // Exactly on the lead: in time, no reason needed.
  EXPECT_TRUE(CheckPublish([](auto&) {}, kStart - absl::Hours(7 * 24)).ok());
  ExpectInvalid(CheckPublish([](auto&) {}, kStart - absl::Hours(7 * 24) + absl::Seconds(1)),
                "notice.timeliness.late_reason: required: the notice is 1s short of the planned "
                "kind's 168h lead");
  ExpectInvalid(
      CheckPublish([](auto& r) { r.mutable_notice()->set_kind(v1::OUTAGE_KIND_OTHER_UNPLANNED); },
                   kStart - absl::Minutes(10)),
      "notice.timeliness.late_reason: required: the notice is 20m short of the "
      "other_unplanned kind's 30m lead");
}

TEST(ValidateAmendTest, NamesTheNoticeAndSomeTime) {
  v1::AmendNoticeRequest r;
  r.set_notice_id(kId);
  *r.mutable_planned_restore() = P(kStart + absl::Hours(12));
  EXPECT_TRUE(ValidateAmend(r).ok()) << ValidateAmend(r);

  v1::AmendNoticeRequest bad = r;
  bad.clear_notice_id();
  ExpectInvalid(ValidateAmend(bad), "notice_id: required");
  bad.set_notice_id("42");
  ExpectInvalid(ValidateAmend(bad), "notice_id: not a notice id (a UUID)");

  bad = r;
  bad.clear_planned_restore();
  ExpectInvalid(ValidateAmend(bad),
                "planned_start: give a new planned_start, planned_restore or both");

  bad = r;
  *bad.mutable_planned_start() = P(kStart + absl::Hours(12));
  ExpectInvalid(ValidateAmend(bad), "planned_restore: must be after planned_start");

  bad = r;
  *bad.mutable_planned_start() = P(At(1999, 12, 31, 23));
  ExpectInvalid(ValidateAmend(bad),
                "planned_start: must lie in [2000-01-01, 2100-01-01) (got "
                "1999-12-31T23:00:00+00:00)");

  bad = r;
  bad.set_expected_version(-1);
  ExpectInvalid(ValidateAmend(bad), "expected_version: must not be negative (0: any)");
}

TEST(ValidateCancelTest, NeedsAReason) {
  v1::CancelNoticeRequest r;
  r.set_notice_id(kId);
  ExpectInvalid(ValidateCancel(r), "reason: required");
  r.set_reason("施工推迟");
  EXPECT_TRUE(ValidateCancel(r).ok());
  r.set_reason(std::string(2001, 'x'));
  ExpectInvalid(ValidateCancel(r), "reason: at most 2000 characters");
}

TEST(ValidateStartTest, AnOptionalTimeInRange) {
  v1::StartNoticeRequest r;
  r.set_notice_id(kId);
  EXPECT_TRUE(ValidateStart(r).ok());
  *r.mutable_started_at() = P(kStart);
  EXPECT_TRUE(ValidateStart(r).ok());
  r.mutable_started_at()->set_nanos(-1);
  ExpectInvalid(ValidateStart(r), "started_at: nanos out of range");
  r.clear_notice_id();
  ExpectInvalid(ValidateStart(r), "notice_id: required");
}

TEST(ValidateRestoreTest, PlacesThatNameOne) {
  v1::RestoreNoticeRequest r;
  r.set_notice_id(kId);
  EXPECT_TRUE(ValidateRestore(r).ok()) << "the whole notice";
  r.add_areas()->set_village_or_community("东风村");
  r.add_transformer_areas("TA-0012");
  r.add_feeders("F1");
  EXPECT_TRUE(ValidateRestore(r).ok());

  v1::RestoreNoticeRequest bad = r;
  bad.add_areas();
  ExpectInvalid(ValidateRestore(bad), "areas[1]: names no area");
  bad = r;
  bad.add_transformer_areas("  ");
  ExpectInvalid(ValidateRestore(bad), "transformer_areas[1]: names no place");
  bad = r;
  bad.set_feeders(0, "");
  ExpectInvalid(ValidateRestore(bad), "feeders[0]: names no place");
  bad = r;
  *bad.mutable_restored_at() = P(At(2100, 6, 1, 0));
  ExpectInvalid(ValidateRestore(bad),
                "restored_at: must lie in [2000-01-01, 2100-01-01) (got "
                "2100-06-01T00:00:00+00:00)");
}

TEST(ValidateConfirmTest, ARestoreTimeAndAValidPhone) {
  v1::ConfirmNoticeRequest r;
  r.set_notice_id(kId);
  ExpectInvalid(ValidateConfirm(r), "planned_restore: required");
  *r.mutable_planned_restore() = P(kStart);
  EXPECT_TRUE(ValidateConfirm(r).ok()) << "person and phone may come later";
  r.set_person_in_charge("李工");
  ExpectInvalid(ValidateConfirm(r), "phone: required with the person in charge");
  r.set_phone("1370000222");
  ExpectInvalid(ValidateConfirm(r),
                "phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
                "(0xx-xxxxxxxx[-ext])");
  r.set_phone("13700002222");
  EXPECT_TRUE(ValidateConfirm(r).ok());
}

TEST(ValidateGetTest, ANoticeId) {
  v1::GetNoticeRequest r;
  ExpectInvalid(ValidateGet(r), "notice_id: required");
  r.set_notice_id(kId);
  EXPECT_TRUE(ValidateGet(r).ok());
}

TEST(ValidateCheckTest, AnAddressAnAccountOrATransformerArea) {
  v1::CheckAddressRequest r;
  ExpectInvalid(ValidateCheck(r),
                "address: required: an address with at least one part, an account_number or a "
                "transformer_area");
  r.mutable_address()->set_street("解放路12号");  // no area part, no place id
  ExpectInvalid(ValidateCheck(r),
                "address: required: an address with at least one part, an account_number or a "
                "transformer_area");
  r.mutable_address()->set_county("西湖区");
  EXPECT_TRUE(ValidateCheck(r).ok());

  v1::CheckAddressRequest by_place;
  by_place.mutable_address()->set_feeder("F1");
  EXPECT_TRUE(ValidateCheck(by_place).ok());
  v1::CheckAddressRequest by_account;
  by_account.set_account_number("3301234567");
  EXPECT_TRUE(ValidateCheck(by_account).ok());
  v1::CheckAddressRequest by_area;
  by_area.set_transformer_area("TA-0012");
  EXPECT_TRUE(ValidateCheck(by_area).ok());
  by_area.mutable_at()->set_seconds(-1);
  ExpectInvalid(ValidateCheck(by_area),
                "at: must lie in [2000-01-01, 2100-01-01) (got 1969-12-31T23:59:59+00:00)");
}

TEST(ValidateListTest, AKnownViewAndAWindowOfAtMostAYear) {
  v1::ListNoticesRequest r;
  EXPECT_TRUE(ValidateList(r).ok());
  r.set_view(static_cast<v1::NoticeView>(17));
  ExpectInvalid(ValidateList(r), "view: unknown value 17");
  r.set_view(v1::NOTICE_VIEW_UPCOMING);
  *r.mutable_within() = ToProtoDuration(absl::Hours(366 * 24));
  EXPECT_TRUE(ValidateList(r).ok());
  *r.mutable_within() = ToProtoDuration(absl::Hours(366 * 24) + absl::Seconds(1));
  ExpectInvalid(ValidateList(r), "within: at most 366 days");
  *r.mutable_within() = ToProtoDuration(-absl::Seconds(1));
  ExpectInvalid(ValidateList(r), "within: must not be negative (0: the view's default)");
  r.clear_within();
  r.mutable_area();
  ExpectInvalid(ValidateList(r), "area: names no area");
  r.mutable_area()->set_city("杭州市");
  EXPECT_TRUE(ValidateList(r).ok());
  r.mutable_page()->set_page_size(501);
  ExpectInvalid(ValidateList(r), "page.page_size: 0 (default 50) to 500");
}

TEST(ValidateReliabilityTest, APeriodInOrder) {
  v1::GetReliabilityRequest r;
  ExpectInvalid(ValidateReliability(r), "period_start: required");
  *r.mutable_period_start() = P(At(2026, 1, 1, 0));
  ExpectInvalid(ValidateReliability(r), "period_end: required");
  *r.mutable_period_end() = P(At(2026, 1, 1, 0));
  ExpectInvalid(ValidateReliability(r), "period_end: must be after period_start");
  *r.mutable_period_end() = P(At(2027, 1, 1, 0));
  EXPECT_TRUE(ValidateReliability(r).ok());
  r.mutable_area()->set_street("x");
  ExpectInvalid(ValidateReliability(r), "area: names no area");
}

}  // namespace
}  // namespace hotline::outage
