// Proves a Ratio formats exactly and that only a zero ratio counts as never.
#include "loop/ratio.h"

#include "gtest/gtest.h"

namespace laplace {
namespace {

TEST(Ratio, FormatsExactly) {
  EXPECT_EQ(FormatRatio({0, 7}), "0");
  EXPECT_EQ(FormatRatio({1, 100}), "1/100");
  EXPECT_EQ(FormatRatio({3, 3}), "1");
}

TEST(Ratio, OnlyAZeroNumeratorIsNever) {
  EXPECT_TRUE(Ratio{}.never());
  EXPECT_TRUE((Ratio{0, 9}.never()));
  EXPECT_FALSE((Ratio{1, 1000}.never()));
  EXPECT_EQ((Ratio{1, 2}), (Ratio{1, 2}));
  EXPECT_NE((Ratio{1, 2}), (Ratio{2, 4}));  // exact fractions, not reduced ones
}

}  // namespace
}  // namespace laplace
