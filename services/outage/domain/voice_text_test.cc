// What the automatic voice line says for a notice in each state, with times
// in Asia/Shanghai.

#include "services/outage/domain/voice_text.h"

#include <gtest/gtest.h>

#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

// Times written in Shanghai's clock.
google::protobuf::Timestamp Local(int m, int d, int hh, int mm = 0) {
  return ToProtoTime(absl::FromCivil(absl::CivilMinute(2026, m, d, hh, mm), Shanghai()));
}

common::v1::Address Area(std::string township, std::string village) {
  common::v1::Address a;
  a.set_province("浙江省");
  a.set_county("西湖区");
  a.set_township(std::move(township));
  a.set_village_or_community(std::move(village));
  return a;
}

// 10kV城东线检修 over 城关镇东风村 and 西湖社区, 12-10 08:00 to 18:00,
// published on 12-01.
v1::OutageNotice Notice(v1::NoticeState state) {
  v1::OutageNotice n;
  n.set_kind(v1::OUTAGE_KIND_PLANNED);
  n.set_state(state);
  *n.add_areas() = Area("城关镇", "东风村");
  *n.add_areas() = Area("城关镇", "西湖社区");
  n.set_work("10kV城东线检修");
  *n.mutable_planned_start() = Local(12, 10, 8);
  *n.mutable_planned_restore() = Local(12, 10, 18);
  *n.mutable_published_at() = Local(12, 1, 9);
  return n;
}

TEST(VoiceTextTest, AScheduledNotice) {
  EXPECT_EQ(VoiceText(Notice(v1::NOTICE_STATE_SCHEDULED), Shanghai()),
            "因10kV城东线检修，城关镇东风村、西湖社区将于12月10日08:00至12月10日18:00停电，"
            "请提前做好准备。");
}

TEST(VoiceTextTest, TheTimesAreSpokenInTheZoneGiven) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_SCHEDULED);
  // 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Shanghai.
  *n.mutable_planned_start() =
      ToProtoTime(absl::FromCivil(absl::CivilMinute(2026, 12, 31, 16, 30), absl::UTCTimeZone()));
  *n.mutable_planned_restore() =
      ToProtoTime(absl::FromCivil(absl::CivilMinute(2027, 1, 1, 1, 5), absl::UTCTimeZone()));
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因10kV城东线检修，城关镇东风村、西湖社区将于1月1日00:30至1月1日09:05停电，"
            "请提前做好准备。");
  EXPECT_EQ(VoiceText(n, absl::UTCTimeZone()),
            "因10kV城东线检修，城关镇东风村、西湖社区将于12月31日16:30至1月1日01:05停电，"
            "请提前做好准备。");
}

TEST(VoiceTextTest, AnActiveNoticeFromItsActualStart) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_ACTIVE);
  *n.mutable_started_at() = Local(12, 10, 7, 45);
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因10kV城东线检修，城关镇东风村、西湖社区已于12月10日07:45停电，"
            "预计12月10日18:00恢复供电。");
}

TEST(VoiceTextTest, AnActiveNoticeWithSomePlacesBack) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_ACTIVE);
  *n.mutable_started_at() = Local(12, 10, 8);
  v1::PlaceRestore* back = n.add_restored_places();
  *back->mutable_area() = Area("城关镇", "西湖社区");
  *back->mutable_restored_at() = Local(12, 10, 12);
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因10kV城东线检修，城关镇东风村、西湖社区已于12月10日08:00停电，"
            "预计12月10日18:00恢复供电。其中城关镇西湖社区已恢复供电。");
}

TEST(VoiceTextTest, ARestoredNotice) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_RESTORED);
  *n.mutable_started_at() = Local(12, 10, 8);
  *n.mutable_restored_at() = Local(12, 10, 16, 20);
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因10kV城东线检修停电的城关镇东风村、西湖社区已于12月10日16:20恢复供电。");
}

TEST(VoiceTextTest, ACancelledNotice) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_CANCELLED);
  *n.mutable_cancelled_at() = Local(12, 5, 10);
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "城关镇东风村、西湖社区原定于12月10日08:00至12月10日18:00的停电已取消，将正常供电。");
}

v1::OutageNotice Suspected(v1::NoticeState state) {
  v1::OutageNotice n;
  n.set_kind(v1::OUTAGE_KIND_FAULT);
  n.set_state(state);
  n.add_transformer_areas("东风村2号");
  *n.mutable_planned_start() = Local(12, 5, 20, 1);
  *n.mutable_published_at() = Local(12, 5, 20, 10);
  return n;
}

TEST(VoiceTextTest, AProposalAndItsDismissal) {
  EXPECT_EQ(VoiceText(Suspected(v1::NOTICE_STATE_PROPOSED), Shanghai()),
            "东风村2号台区疑似发生故障停电，正在核实，请耐心等待。");
  EXPECT_EQ(VoiceText(Suspected(v1::NOTICE_STATE_CANCELLED), Shanghai()),
            "东风村2号台区的疑似故障停电信息已撤销。");
}

TEST(VoiceTextTest, AFaultWithoutWorkSaysTheKind) {
  v1::OutageNotice n = Suspected(v1::NOTICE_STATE_ACTIVE);
  *n.mutable_started_at() = n.planned_start();
  *n.mutable_planned_restore() = Local(12, 6, 2);
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因设备故障，东风村2号台区已于12月5日20:01停电，预计12月6日02:00恢复供电。");
  n.clear_planned_restore();
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因设备故障，东风村2号台区已于12月5日20:01停电，恢复供电时间另行通知。");
}

TEST(VoiceTextTest, ANoticePublishedAfterItsStartIsSpokenAsInEffect) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_SCHEDULED);
  n.set_kind(v1::OUTAGE_KIND_FAULT);
  n.set_work("因线路被外力破坏。\r\n\n  正在抢修。 ");
  *n.mutable_published_at() = Local(12, 10, 8, 30);
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因线路被外力破坏，正在抢修，城关镇东风村、西湖社区已于12月10日08:00停电，"
            "预计12月10日18:00恢复供电。");
}

TEST(VoiceTextTest, PlacesOfEveryKind) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_SCHEDULED);
  n.clear_work();
  n.set_kind(v1::OUTAGE_KIND_TEMPORARY);
  n.clear_areas();
  common::v1::Address county;
  county.set_province("浙江省");
  county.set_county("西湖区");
  *n.add_areas() = county;
  *n.add_areas() = Area("留下镇", "");
  n.add_transformer_areas("TA-0012");
  n.add_transformer_areas("东风村1号台区");
  n.add_feeders("10kV城东线");
  n.add_feeders("F12");
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因临时检修，西湖区、留下镇、TA-0012台区、东风村1号台区、10kV城东线、F12线路将于"
            "12月10日08:00至12月10日18:00停电，请提前做好准备。");
}

TEST(VoiceTextTest, ManyPlacesAreCounted) {
  v1::OutageNotice n = Notice(v1::NOTICE_STATE_SCHEDULED);
  n.clear_areas();
  n.set_kind(v1::OUTAGE_KIND_ORDERLY_USE);
  n.clear_work();
  for (int i = 1; i <= 10; ++i) {
    n.add_transformer_areas(absl::StrCat("T", i));
  }
  EXPECT_EQ(VoiceText(n, Shanghai()),
            "因有序用电，T1台区、T2台区、T3台区、T4台区、T5台区、T6台区、T7台区、T8台区等10处"
            "将于12月10日08:00至12月10日18:00停电，请提前做好准备。");
}

}  // namespace
}  // namespace hotline::outage
