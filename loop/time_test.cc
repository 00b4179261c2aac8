// Proves FormatDuration/FormatTime render virtual time exactly and briefly.
#include "loop/time.h"

#include "gtest/gtest.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;

TEST(FormatDuration, PicksTheLargestUnitWithUpToThreeDecimals) {
  EXPECT_EQ(FormatDuration(0ns), "0");
  EXPECT_EQ(FormatDuration(750ns), "750ns");
  EXPECT_EQ(FormatDuration(12us), "12us");
  EXPECT_EQ(FormatDuration(2500us), "2.5ms");
  EXPECT_EQ(FormatDuration(1001ms), "1.001s");
  EXPECT_EQ(FormatDuration(3s), "3s");
  EXPECT_EQ(FormatDuration(2h), "7200s");
  EXPECT_EQ(FormatDuration(-1ms), "-1ms");
  EXPECT_EQ(FormatDuration(1234567ns), "1.234ms") << "truncated, not rounded";
}

TEST(FormatDuration, HandlesTheExtremes) {
  EXPECT_EQ(FormatDuration(Duration(INT64_MIN)), "-9223372036.854s");
  EXPECT_EQ(FormatDuration(Duration(INT64_MAX)), "9223372036.854s");
}

TEST(FormatTime, PrefixesTheInstant) {
  EXPECT_EQ(FormatTime(Time(5ms)), "t=5ms");
  EXPECT_EQ(FormatTime(Time()), "t=0");
}

}  // namespace
}  // namespace laplace
