// Proves the drawing helpers stay in bounds and map choice 0 to the least surprising value.
#include "sim/draw.h"

#include "gtest/gtest.h"
#include "loop/loop.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;

TEST(Draw, ChoiceZeroIsTheLeastSurprisingValue) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  EXPECT_FALSE(Roll(loop, {999, 1000}));
  EXPECT_EQ(DrawDuration(loop, milliseconds(3), milliseconds(9)), milliseconds(3));
  EXPECT_EQ(DrawSigned(loop, 1000), 0);
}

TEST(Draw, SmallChoicesAreSmallSkewsOfAlternatingSign) {
  Tape tape;
  for (uint64_t value : {1, 2, 3, 4}) tape.push_back({ChoiceKind::kFault, 21, value});
  TapeSource source(tape, TapeSource::Mode::kStrict);
  Loop loop({.source = &source});
  EXPECT_EQ(DrawSigned(loop, 10), 1);
  EXPECT_EQ(DrawSigned(loop, 10), -1);
  EXPECT_EQ(DrawSigned(loop, 10), 2);
  EXPECT_EQ(DrawSigned(loop, 10), -2);
  EXPECT_FALSE(source.divergence().has_value());
}

TEST(Draw, ValuesStayWithinTheirBoundsAndReachBothEnds) {
  Loop loop({.seed = 1});
  bool saw_min = false;
  bool saw_max = false;
  for (int i = 0; i < 2000; ++i) {
    const Duration d = DrawDuration(loop, Duration(10), Duration(20));
    EXPECT_GE(d, Duration(10));
    EXPECT_LE(d, Duration(20));
    saw_min |= d == Duration(10);
    saw_max |= d == Duration(20);
    const int64_t s = DrawSigned(loop, 3);
    EXPECT_GE(s, -3);
    EXPECT_LE(s, 3);
  }
  EXPECT_TRUE(saw_min);
  EXPECT_TRUE(saw_max);
}

TEST(Draw, CertainOutcomesDrawNoChoice) {
  Loop loop({.seed = 2});
  EXPECT_FALSE(Roll(loop, {0, 1}));
  EXPECT_TRUE(Roll(loop, {5, 5}));
  EXPECT_EQ(DrawDuration(loop, milliseconds(4), milliseconds(4)), milliseconds(4));
  EXPECT_EQ(DrawSigned(loop, 0), 0);
  EXPECT_TRUE(loop.tape().empty());
}

}  // namespace
}  // namespace laplace::sim
