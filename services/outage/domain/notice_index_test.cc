// The notices CheckAddress answers from: found by each address level, by
// transformer area and by feeder, whatever the spelling; restored, cancelled
// and proposed notices and restored places are not; older versions never
// overwrite newer ones; a reset replaces everything.

#include "services/outage/domain/notice_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/barrier.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

using ::hotline::address::AreaAddress;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time Day(int day, int hour = 8) {
  return absl::FromCivil(absl::CivilSecond(2026, 12, day, hour, 0, 0), absl::UTCTimeZone());
}

v1::OutageNotice Notice(std::string id, v1::NoticeState state = v1::NOTICE_STATE_SCHEDULED,
                        int64_t version = 1, absl::Time start = Day(10)) {
  v1::OutageNotice n;
  n.set_notice_id(id);
  n.set_kind(v1::OUTAGE_KIND_PLANNED);
  n.set_state(state);
  n.set_version(version);
  *n.mutable_planned_start() = ToProtoTime(start);
  *n.mutable_planned_restore() = ToProtoTime(start + absl::Hours(10));
  return n;
}

v1::OutageNotice WithArea(v1::OutageNotice n, const common::v1::Address& area) {
  *n.add_areas() = area;
  return n;
}

std::vector<std::string> Ids(const std::vector<v1::OutageNotice>& notices) {
  std::vector<std::string> ids;
  for (const v1::OutageNotice& n : notices) {
    ids.push_back(n.notice_id());
  }
  return ids;
}

// The address of a customer in 东风村, as an agent types it, with its
// transformer area and feeder when known.
common::v1::Address Customer(std::string township = "城关镇", std::string village = "东风村") {
  common::v1::Address a = AreaAddress("广东省", "清远市", "连州市", township, village);
  a.set_street("解放路8号");
  return a;
}

// One notice per level, each an area on the way down to 东风村.
class EveryLevel : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Reset({
        WithArea(Notice("1-province", v1::NOTICE_STATE_SCHEDULED, 1, Day(1)),
                 AreaAddress("广东省")),
        WithArea(Notice("2-city", v1::NOTICE_STATE_ACTIVE, 1, Day(2)),
                 AreaAddress("广东省", "清远市")),
        WithArea(Notice("3-county", v1::NOTICE_STATE_SCHEDULED, 1, Day(3)),
                 AreaAddress("广东省", "清远市", "连州市")),
        WithArea(Notice("4-township", v1::NOTICE_STATE_SCHEDULED, 1, Day(4)),
                 AreaAddress("广东省", "清远市", "连州市", "城关镇")),
        WithArea(Notice("5-village", v1::NOTICE_STATE_SCHEDULED, 1, Day(5)),
                 AreaAddress("广东省", "清远市", "连州市", "城关镇", "东风村")),
    });
  }
  NoticeIndex index_;
};

TEST_F(EveryLevel, AnAddressIsFoundByTheNoticeOfEachLevelItLiesIn) {
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(Customer()))),
              ElementsAre("1-province", "2-city", "3-county", "4-township", "5-village"));
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(Customer("城关镇", "西湖社区")))),
              ElementsAre("1-province", "2-city", "3-county", "4-township"));
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(Customer("西岸镇", "东风村")))),
              ElementsAre("1-province", "2-city", "3-county"));
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(AreaAddress("广东省", "韶关市", "乐昌市")))),
              ElementsAre("1-province"));
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(AreaAddress("湖南省", "长沙市")))), IsEmpty());
}

TEST_F(EveryLevel, AnAddressWithoutItsUpperLevelsStillMatches) {
  // Intake often has only the township and the village.
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(AreaAddress("", "", "", "城关镇", "东风村")))),
              ElementsAre("4-township", "5-village"));
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(AreaAddress("", "", "连州市", "城关镇")))),
              ElementsAre("3-county", "4-township"));
  // A level it gives that differs is held against it.
  EXPECT_THAT(Ids(index_.Covering(PlaceOf(AreaAddress("", "", "阳山县", "城关镇", "东风村")))),
              IsEmpty());
}

TEST_F(EveryLevel, OtherSpellingsOfTheSamePlaceMatch) {
  EXPECT_THAT(Ids(index_.Covering(
                  PlaceOf(AreaAddress("广东省 ", "清远　市", "连州市", "城 关 镇", "东风村。")))),
              ElementsAre("1-province", "2-city", "3-county", "4-township", "5-village"));
}

TEST(NoticeIndex, AnAreaWithoutUpperLevelsCoversAddressesThatGiveThem) {
  NoticeIndex index;
  index.Put(WithArea(Notice("n"), AreaAddress("", "", "", "城关镇", "东风村")));
  EXPECT_THAT(Ids(index.Covering(PlaceOf(Customer()))), ElementsAre("n"));
  EXPECT_THAT(Ids(index.Covering(PlaceOf(Customer("西岸镇")))), IsEmpty());
  // The address is above the notice's deepest level: not known to lie in it.
  EXPECT_THAT(Ids(index.Covering(PlaceOf(AreaAddress("广东省", "清远市", "连州市", "城关镇")))),
              IsEmpty());
}

TEST(NoticeIndex, FoundByTransformerAreaAndByFeederInAnySpelling) {
  NoticeIndex index;
  v1::OutageNotice by_ta = Notice("by-ta", v1::NOTICE_STATE_SCHEDULED, 1, Day(3));
  by_ta.add_transformer_areas("TA-001");
  v1::OutageNotice by_feeder = Notice("by-feeder", v1::NOTICE_STATE_ACTIVE, 1, Day(4));
  by_feeder.add_feeders("10kV城东线");
  ASSERT_TRUE(index.Put(by_ta));
  ASSERT_TRUE(index.Put(by_feeder));

  EXPECT_THAT(Ids(index.Covering(TransformerAreaPlace("ta 001"))), ElementsAre("by-ta"));
  EXPECT_THAT(Ids(index.Covering(TransformerAreaPlace("ＴＡ－００１"))), ElementsAre("by-ta"));
  EXPECT_THAT(Ids(index.Covering(TransformerAreaPlace("TA-002"))), IsEmpty());

  common::v1::Address address = AreaAddress("湖南省");  // an area no notice covers
  address.set_feeder("10KV 城东线");
  EXPECT_THAT(Ids(index.Covering(PlaceOf(address))), ElementsAre("by-feeder"));
  address.set_transformer_area("TA001");
  EXPECT_THAT(Ids(index.Covering(PlaceOf(address))), ElementsAre("by-ta", "by-feeder"));
}

TEST(NoticeIndex, ANoticeFoundThroughSeveralPlacesComesOnce) {
  NoticeIndex index;
  v1::OutageNotice n = WithArea(Notice("n"), AreaAddress("广东省", "清远市", "连州市", "城关镇"));
  *n.add_areas() = AreaAddress("", "", "", "城关镇", "东风村");
  n.add_transformer_areas("TA-001");
  n.add_feeders("F1");
  index.Put(n);
  common::v1::Address address = Customer();
  address.set_transformer_area("TA-001");
  address.set_feeder("F1");
  EXPECT_THAT(Ids(index.Covering(PlaceOf(address))), ElementsAre("n"));
}

TEST(NoticeIndex, ResultsByPlannedStartThenId) {
  NoticeIndex index;
  const common::v1::Address area = AreaAddress("", "", "连州市");
  index.Put(WithArea(Notice("b", v1::NOTICE_STATE_SCHEDULED, 1, Day(12)), area));
  index.Put(WithArea(Notice("a", v1::NOTICE_STATE_SCHEDULED, 1, Day(12)), area));
  index.Put(WithArea(Notice("c", v1::NOTICE_STATE_ACTIVE, 1, Day(11)), area));
  EXPECT_THAT(Ids(index.Covering(PlaceOf(Customer()))), ElementsAre("c", "a", "b"));
  EXPECT_THAT(Ids(index.All()), ElementsAre("c", "a", "b"));
}

TEST(NoticeIndex, RestoredCancelledAndProposedNoticesAreNotReturned) {
  NoticeIndex index;
  const common::v1::Address area = AreaAddress("", "", "连州市", "城关镇");
  ASSERT_TRUE(index.Put(WithArea(Notice("restored", v1::NOTICE_STATE_ACTIVE, 2), area)));
  ASSERT_TRUE(index.Put(WithArea(Notice("cancelled", v1::NOTICE_STATE_SCHEDULED, 1), area)));
  ASSERT_TRUE(index.Put(WithArea(Notice("kept", v1::NOTICE_STATE_SCHEDULED, 1), area)));
  ASSERT_EQ(index.Covering(PlaceOf(Customer())).size(), 3u);

  EXPECT_TRUE(index.Put(WithArea(Notice("restored", v1::NOTICE_STATE_RESTORED, 3), area)));
  EXPECT_TRUE(index.Put(WithArea(Notice("cancelled", v1::NOTICE_STATE_CANCELLED, 2), area)));
  EXPECT_TRUE(index.Put(WithArea(Notice("proposed", v1::NOTICE_STATE_PROPOSED, 1), area)));
  EXPECT_THAT(Ids(index.Covering(PlaceOf(Customer()))), ElementsAre("kept"));
  EXPECT_THAT(Ids(index.All()), ElementsAre("kept"));
  EXPECT_EQ(index.size(), 1u);
}

TEST(NoticeIndex, AProposalIsHeldOnceConfirmed) {
  NoticeIndex index;
  v1::OutageNotice n = Notice("fault", v1::NOTICE_STATE_PROPOSED, 1);
  n.add_transformer_areas("TA-001");
  index.Put(n);
  EXPECT_THAT(index.Covering(TransformerAreaPlace("TA-001")), IsEmpty());
  n.set_state(v1::NOTICE_STATE_ACTIVE);
  n.set_version(2);
  EXPECT_TRUE(index.Put(n));
  EXPECT_THAT(Ids(index.Covering(TransformerAreaPlace("TA-001"))), ElementsAre("fault"));
}

TEST(NoticeIndex, APlaceRestoredEarlyIsNoLongerAffected) {
  NoticeIndex index;
  v1::OutageNotice n = Notice("n", v1::NOTICE_STATE_ACTIVE, 3);
  *n.add_areas() = AreaAddress("", "", "连州市", "城关镇", "东风村");
  *n.add_areas() = AreaAddress("", "", "连州市", "城关镇", "西湖社区");
  n.add_transformer_areas("TA-001");
  n.add_transformer_areas("TA-002");
  n.add_feeders("F1");
  n.add_feeders("F2");
  v1::PlaceRestore* village = n.add_restored_places();
  *village->mutable_area() =
      AreaAddress("", "", "连州市", "城关 镇", "东风村");  // as the crew wrote it
  n.add_restored_places()->set_transformer_area("ta-001");
  n.add_restored_places()->set_feeder("F1");
  index.Put(n);

  EXPECT_THAT(index.Covering(PlaceOf(Customer("城关镇", "东风村"))), IsEmpty());
  EXPECT_THAT(Ids(index.Covering(PlaceOf(Customer("城关镇", "西湖社区")))), ElementsAre("n"));
  EXPECT_THAT(index.Covering(TransformerAreaPlace("TA-001")), IsEmpty());
  EXPECT_THAT(Ids(index.Covering(TransformerAreaPlace("TA-002"))), ElementsAre("n"));
  common::v1::Address on_f1;
  on_f1.set_feeder("F1");
  EXPECT_THAT(index.Covering(PlaceOf(on_f1)), IsEmpty());
  common::v1::Address on_f2;
  on_f2.set_feeder("F2");
  EXPECT_THAT(Ids(index.Covering(PlaceOf(on_f2))), ElementsAre("n"));
}

TEST(NoticeIndex, AnOlderVersionAfterANewerOneIsIgnored) {
  NoticeIndex index;
  const common::v1::Address area = AreaAddress("", "", "连州市");
  v1::OutageNotice v3 = WithArea(Notice("n", v1::NOTICE_STATE_ACTIVE, 3), area);
  v3.set_work("更换变压器");
  v1::OutageNotice v2 = WithArea(Notice("n", v1::NOTICE_STATE_SCHEDULED, 2), area);
  v2.set_work("线路检修");
  ASSERT_TRUE(index.Put(v3));
  EXPECT_FALSE(index.Put(v2));
  EXPECT_FALSE(index.Put(v3));  // the same change delivered twice
  std::vector<v1::OutageNotice> found = index.Covering(PlaceOf(Customer()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].version(), 3);
  EXPECT_EQ(found[0].work(), "更换变压器");
}

TEST(NoticeIndex, AnOlderVersionAfterTheRemovalDoesNotBringANoticeBack) {
  NoticeIndex index;
  const common::v1::Address area = AreaAddress("", "", "连州市");
  ASSERT_TRUE(index.Put(WithArea(Notice("n", v1::NOTICE_STATE_ACTIVE, 2), area)));
  ASSERT_TRUE(index.Put(WithArea(Notice("n", v1::NOTICE_STATE_RESTORED, 3), area)));
  EXPECT_FALSE(index.Put(WithArea(Notice("n", v1::NOTICE_STATE_ACTIVE, 2), area)));
  EXPECT_FALSE(index.Put(WithArea(Notice("n", v1::NOTICE_STATE_ACTIVE, 3), area)));
  EXPECT_THAT(index.Covering(PlaceOf(Customer())), IsEmpty());
  // A removal seen first (the restore overtook the start on another path).
  ASSERT_TRUE(index.Put(WithArea(Notice("m", v1::NOTICE_STATE_CANCELLED, 2), area)));
  EXPECT_FALSE(index.Put(WithArea(Notice("m", v1::NOTICE_STATE_SCHEDULED, 1), area)));
  EXPECT_EQ(index.size(), 0u);
}

TEST(NoticeIndex, AChangedNoticeIsFoundByItsNewPlacesOnly) {
  NoticeIndex index;
  index.Put(WithArea(Notice("n", v1::NOTICE_STATE_SCHEDULED, 1), AreaAddress("", "", "连州市")));
  index.Put(WithArea(Notice("n", v1::NOTICE_STATE_SCHEDULED, 2), AreaAddress("", "", "阳山县")));
  EXPECT_THAT(index.Covering(PlaceOf(Customer())), IsEmpty());
  EXPECT_THAT(Ids(index.Covering(PlaceOf(AreaAddress("", "", "阳山县", "城关镇")))),
              ElementsAre("n"));
  EXPECT_EQ(index.size(), 1u);
}

TEST(NoticeIndex, ResetReplacesEverything) {
  NoticeIndex index;
  const common::v1::Address area = AreaAddress("", "", "连州市");
  index.Put(WithArea(Notice("old-1", v1::NOTICE_STATE_SCHEDULED, 4), area));
  index.Put(WithArea(Notice("old-2", v1::NOTICE_STATE_ACTIVE, 1), area));
  index.Put(WithArea(Notice("kept", v1::NOTICE_STATE_ACTIVE, 5), area));

  index.Reset({WithArea(Notice("new", v1::NOTICE_STATE_SCHEDULED, 1, Day(11)), area),
               WithArea(Notice("kept", v1::NOTICE_STATE_ACTIVE, 2, Day(9)), area),
               WithArea(Notice("closed", v1::NOTICE_STATE_RESTORED, 6), area)});
  EXPECT_THAT(Ids(index.All()), ElementsAre("kept", "new"));
  EXPECT_EQ(index.All()[0].version(), 2);  // the reload is the truth
  EXPECT_THAT(Ids(index.Covering(PlaceOf(Customer()))), ElementsAre("kept", "new"));

  // A late put of a change older than what was held does not bring it back.
  EXPECT_FALSE(index.Put(WithArea(Notice("old-1", v1::NOTICE_STATE_SCHEDULED, 3), area)));
  EXPECT_TRUE(index.Put(WithArea(Notice("old-1", v1::NOTICE_STATE_SCHEDULED, 5), area)));
  EXPECT_FALSE(index.Put(WithArea(Notice("closed", v1::NOTICE_STATE_ACTIVE, 5), area)));

  index.Reset({});
  EXPECT_THAT(index.All(), IsEmpty());
  EXPECT_THAT(index.Covering(PlaceOf(Customer())), IsEmpty());
}

TEST(NoticeIndex, ChecksDuringPutsSeeWholeNotices) {
  NoticeIndex index;
  const common::v1::Address area = AreaAddress("", "", "连州市");
  constexpr int kReaders = 3;
  constexpr int kVersions = 300;
  absl::Barrier start(kReaders + 1);
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      start.Block();
      int64_t last = 0;
      while (last < kVersions) {
        for (const v1::OutageNotice& n : index.Covering(PlaceOf(Customer()))) {
          if (n.work() != absl::StrCat("v", n.version()) || n.version() < last) {
            torn.fetch_add(1);
          }
          last = n.version();
        }
      }
    });
  }
  start.Block();
  for (int v = 1; v <= kVersions; ++v) {
    v1::OutageNotice n = WithArea(Notice("n", v1::NOTICE_STATE_ACTIVE, v), area);
    n.set_work(absl::StrCat("v", v));
    index.Put(n);
  }
  for (std::thread& t : readers) {
    t.join();
  }
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace hotline::outage
