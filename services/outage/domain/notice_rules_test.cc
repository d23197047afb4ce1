// The lead-time rule of each kind of notice and the one-hour rule of
// amendments, at their edges.

#include "services/outage/domain/notice_rules.h"

#include <gtest/gtest.h>

#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 12, 10, 0, 0, 0),
                                          absl::UTCTimeZone());  // 08:00 in Shanghai

absl::Duration Of(const google::protobuf::Duration& d) { return FromProtoDuration(d); }

struct KindLead {
  v1::OutageKind kind;
  absl::Duration lead;
};

class PublishLeadTest : public ::testing::TestWithParam<KindLead> {};

TEST_P(PublishLeadTest, ExactlyTheLeadIsInTime) {
  const KindLead p = GetParam();
  const v1::Timeliness t = PublishTimeliness(NoticeRules{}, p.kind, kStart - p.lead, kStart, "");
  EXPECT_FALSE(t.late());
  EXPECT_EQ(Of(t.required_lead()), p.lead);
  EXPECT_EQ(Of(t.given_lead()), p.lead);
  EXPECT_FALSE(t.has_shortfall());
  EXPECT_EQ(Of(t.shortfall()), absl::ZeroDuration());
}

TEST_P(PublishLeadTest, OneSecondShortIsLateByOneSecond) {
  const KindLead p = GetParam();
  const v1::Timeliness t =
      PublishTimeliness(NoticeRules{}, p.kind, kStart - p.lead + absl::Seconds(1), kStart, "why");
  EXPECT_TRUE(t.late());
  EXPECT_EQ(Of(t.required_lead()), p.lead);
  EXPECT_EQ(Of(t.given_lead()), p.lead - absl::Seconds(1));
  EXPECT_EQ(Of(t.shortfall()), absl::Seconds(1));
  EXPECT_EQ(t.late_reason(), "why");
}

TEST_P(PublishLeadTest, MoreThanTheLeadIsInTime) {
  const KindLead p = GetParam();
  EXPECT_FALSE(
      PublishTimeliness(NoticeRules{}, p.kind, kStart - p.lead - absl::Hours(1), kStart, "")
          .late());
}

TEST_P(PublishLeadTest, PublishedAfterTheStartIsLateByTheLeadAndTheTimeSince) {
  const KindLead p = GetParam();
  const v1::Timeliness t =
      PublishTimeliness(NoticeRules{}, p.kind, kStart + absl::Minutes(5), kStart, "");
  EXPECT_TRUE(t.late());
  EXPECT_EQ(Of(t.given_lead()), -absl::Minutes(5));
  EXPECT_EQ(Of(t.shortfall()), p.lead + absl::Minutes(5));
}

INSTANTIATE_TEST_SUITE_P(EveryKindWithALead, PublishLeadTest,
                         ::testing::Values(KindLead{v1::OUTAGE_KIND_PLANNED, absl::Hours(7 * 24)},
                                           KindLead{v1::OUTAGE_KIND_TEMPORARY, absl::Hours(2 * 24)},
                                           KindLead{v1::OUTAGE_KIND_ORDERLY_USE, absl::Hours(24)},
                                           KindLead{v1::OUTAGE_KIND_OTHER_UNPLANNED,
                                                    absl::Minutes(30)}),
                         [](const ::testing::TestParamInfo<KindLead>& param_info) {
                           return EnumText(param_info.param.kind);
                         });

TEST(PublishTimelinessTest, AFaultIsNeverLate) {
  const NoticeRules rules;
  EXPECT_EQ(rules.RequiredLead(v1::OUTAGE_KIND_FAULT), absl::ZeroDuration());
  for (absl::Duration after : {absl::ZeroDuration(), absl::Seconds(1), absl::Hours(5)}) {
    const v1::Timeliness t =
        PublishTimeliness(rules, v1::OUTAGE_KIND_FAULT, kStart + after, kStart, "");
    EXPECT_FALSE(t.late()) << after;
    EXPECT_EQ(Of(t.given_lead()), -after);
    EXPECT_EQ(Of(t.required_lead()), absl::ZeroDuration());
    EXPECT_FALSE(t.has_shortfall());
  }
}

TEST(PublishTimelinessTest, TheLeadsAreSettings) {
  NoticeRules rules;
  rules.planned_lead = absl::Hours(10 * 24);
  const v1::Timeliness t =
      PublishTimeliness(rules, v1::OUTAGE_KIND_PLANNED, kStart - absl::Hours(9 * 24), kStart, "");
  EXPECT_TRUE(t.late());
  EXPECT_EQ(Of(t.shortfall()), absl::Hours(24));
}

TEST(PublishTimelinessTest, AnUnspecifiedOrUnknownKindNeedsNoLead) {
  const NoticeRules rules;
  EXPECT_EQ(rules.RequiredLead(v1::OUTAGE_KIND_UNSPECIFIED), absl::ZeroDuration());
  EXPECT_EQ(rules.RequiredLead(static_cast<v1::OutageKind>(42)), absl::ZeroDuration());
}

// A notice announced for 08:00-18:00 on 2026-12-10 (UTC times).
v1::OutageNotice Announced() {
  v1::OutageNotice notice;
  *notice.mutable_planned_start() = ToProtoTime(kStart);
  *notice.mutable_planned_restore() = ToProtoTime(kStart + absl::Hours(10));
  return notice;
}

const absl::Time kRestore = kStart + absl::Hours(10);

TEST(AmendmentTermsTest, AnEarlierStartExactlyAnHourAheadOfTheNewStartIsInTime) {
  const absl::Time new_start = kStart - absl::Hours(2);
  const AmendmentTerms terms = AmendmentTermsOf(NoticeRules{}, Announced(), new_start, std::nullopt,
                                                new_start - absl::Hours(1));
  EXPECT_TRUE(terms.earlier_start);
  EXPECT_FALSE(terms.later_restore);
  EXPECT_TRUE(terms.NeedsNotice());
  EXPECT_FALSE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.required_lead()), absl::Hours(1));
  EXPECT_EQ(Of(terms.timeliness.given_lead()), absl::Hours(1));
  EXPECT_FALSE(terms.timeliness.has_shortfall());
}

TEST(AmendmentTermsTest, AnEarlierStartOneSecondShortIsLateByOneSecond) {
  const absl::Time new_start = kStart - absl::Hours(2);
  const AmendmentTerms terms = AmendmentTermsOf(NoticeRules{}, Announced(), new_start, std::nullopt,
                                                new_start - absl::Hours(1) + absl::Seconds(1));
  EXPECT_TRUE(terms.earlier_start);
  EXPECT_TRUE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.given_lead()), absl::Hours(1) - absl::Seconds(1));
  EXPECT_EQ(Of(terms.timeliness.shortfall()), absl::Seconds(1));
}

TEST(AmendmentTermsTest, ALaterRestoreExactlyAnHourBeforeTheAnnouncedRestoreIsInTime) {
  const AmendmentTerms terms =
      AmendmentTermsOf(NoticeRules{}, Announced(), std::nullopt, kRestore + absl::Hours(3),
                       kRestore - absl::Hours(1));
  EXPECT_FALSE(terms.earlier_start);
  EXPECT_TRUE(terms.later_restore);
  EXPECT_FALSE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.given_lead()), absl::Hours(1));
}

TEST(AmendmentTermsTest, ALaterRestoreOneSecondShortIsLateByOneSecond) {
  const AmendmentTerms terms =
      AmendmentTermsOf(NoticeRules{}, Announced(), std::nullopt, kRestore + absl::Hours(3),
                       kRestore - absl::Hours(1) + absl::Seconds(1));
  EXPECT_TRUE(terms.later_restore);
  EXPECT_TRUE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.shortfall()), absl::Seconds(1));
}

TEST(AmendmentTermsTest, ALaterRestoreIsMeasuredBeforeTheRestoreAnnouncedSoFar) {
  // Hours before the new restore, but only 30 minutes before the one people
  // were told: late.
  const AmendmentTerms terms =
      AmendmentTermsOf(NoticeRules{}, Announced(), std::nullopt, kRestore + absl::Hours(5),
                       kRestore - absl::Minutes(30));
  EXPECT_TRUE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.given_lead()), absl::Minutes(30));
  EXPECT_EQ(Of(terms.timeliness.shortfall()), absl::Minutes(30));
}

// With both moving, the new start comes before the old start and so before
// the restore announced so far: the start's lead is always the smaller.
TEST(AmendmentTermsTest, WhenBothMoveTheSmallerLeadCounts) {
  const absl::Time now = kStart - absl::Hours(5);
  // The new start 90 minutes away, the announced restore 15 hours away.
  AmendmentTerms terms = AmendmentTermsOf(NoticeRules{}, Announced(), now + absl::Minutes(90),
                                          kRestore + absl::Hours(1), now);
  EXPECT_TRUE(terms.earlier_start);
  EXPECT_TRUE(terms.later_restore);
  EXPECT_FALSE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.given_lead()), absl::Minutes(90));

  // The new start 59 minutes away: late by a minute, though the restore is far.
  terms = AmendmentTermsOf(NoticeRules{}, Announced(), now + absl::Minutes(59),
                           kRestore + absl::Hours(1), now);
  EXPECT_TRUE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.shortfall()), absl::Minutes(1));
}

TEST(AmendmentTermsTest, ALaterStartOrAnEarlierRestoreNeedsNoNotice) {
  const absl::Time now = kStart - absl::Minutes(1);
  const AmendmentTerms terms = AmendmentTermsOf(NoticeRules{}, Announced(), kStart + absl::Hours(1),
                                                kRestore - absl::Hours(1), now);
  EXPECT_FALSE(terms.earlier_start);
  EXPECT_FALSE(terms.later_restore);
  EXPECT_FALSE(terms.NeedsNotice());
  EXPECT_FALSE(terms.timeliness.late());
  EXPECT_FALSE(terms.timeliness.has_required_lead());
}

TEST(AmendmentTermsTest, TheSameTimesOrNoneNeedNoNotice) {
  const absl::Time now = kStart - absl::Minutes(1);
  EXPECT_FALSE(AmendmentTermsOf(NoticeRules{}, Announced(), kStart, kRestore, now).NeedsNotice());
  EXPECT_FALSE(
      AmendmentTermsOf(NoticeRules{}, Announced(), std::nullopt, std::nullopt, now).NeedsNotice());
}

TEST(AmendmentTermsTest, TheAmendLeadIsASetting) {
  NoticeRules rules;
  rules.amend_lead = absl::Hours(2);
  const absl::Time new_start = kStart - absl::Hours(3);
  const AmendmentTerms terms =
      AmendmentTermsOf(rules, Announced(), new_start, std::nullopt, new_start - absl::Hours(1));
  EXPECT_TRUE(terms.timeliness.late());
  EXPECT_EQ(Of(terms.timeliness.required_lead()), absl::Hours(2));
  EXPECT_EQ(Of(terms.timeliness.shortfall()), absl::Hours(1));
}

}  // namespace
}  // namespace hotline::outage
