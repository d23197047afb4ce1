#include "libs/text/masking.h"

#include <gtest/gtest.h>

namespace hotline::text {
namespace {

TEST(MaskNameTest, KeepsTheFirstCharacter) {
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("李四"), "李*");
  EXPECT_EQ(MaskName("欧阳"), "欧*");
  EXPECT_EQ(MaskName("王"), "*");
  EXPECT_EQ(MaskName("Li Lei"), "L*****");
  EXPECT_EQ(MaskName(""), "");
}

TEST(MaskPhoneTest, KeepsFirstThreeAndLastFour) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("010-12345678"), "010*****5678");
  EXPECT_EQ(MaskPhone("1234567"), "*******");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace hotline::text
