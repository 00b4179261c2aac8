// Proves the shrinker's passes: the stream's candidates are always
// shortlex-smaller, and the fixpoint passes zero every run of non-zero
// choices at every offset, keep one surprise at a time, and move a value to
// a nearby choice of its kind.
#include "properties/candidates.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "properties/shrinker.h"

namespace laplace::properties {
namespace {

Tape Schedule(std::initializer_list<uint64_t> values) {
  Tape tape;
  for (uint64_t v : values) tape.push_back({ChoiceKind::kSchedule, 10, v});
  return tape;
}

bool Contains(const std::vector<Tape>& candidates, const Tape& tape) {
  return std::find(candidates.begin(), candidates.end(), tape) != candidates.end();
}

TEST(CandidateStream, EveryCandidateIsStrictlySmaller) {
  Tape current = Schedule({3, 0, 7, 1, 0, 2, 9, 0, 4});
  CandidateStream stream(current);
  int count = 0;
  while (std::optional<Tape> candidate = stream.Next()) {
    Tape trimmed = *candidate;
    TrimTrailingZeros(trimmed);
    EXPECT_TRUE(ShortlexLess(trimmed, current)) << "candidate " << count;
    ++count;
  }
  EXPECT_GT(count, 20);
}

TEST(CandidateStream, AnEmptyTapeHasNoCandidates) {
  CandidateStream stream({});
  EXPECT_FALSE(stream.Next().has_value());
}

TEST(FixpointCandidates, ZeroWindowsCoverEveryOffsetNotOnlyMultiplesOfTheirSize) {
  // The needed choice is the middle one: zeroing the two before and the two
  // after it takes windows of 2 starting at odd non-zero offsets too.
  const Tape current = Schedule({1, 2, 3, 4, 5});
  std::vector<Tape> windows = FixpointCandidates(current, FixpointPass::kZeroWindow);
  EXPECT_TRUE(Contains(windows, Schedule({0, 0, 3, 4, 5})));
  EXPECT_TRUE(Contains(windows, Schedule({1, 0, 0, 4, 5})));
  EXPECT_TRUE(Contains(windows, Schedule({1, 2, 0, 0, 5})));
  EXPECT_TRUE(Contains(windows, Schedule({1, 2, 3})));  // the last two, trimmed
  EXPECT_TRUE(Contains(windows, Schedule({1, 0, 0, 0, 5})));
  for (const Tape& candidate : windows) EXPECT_TRUE(ShortlexLess(candidate, current));
}

TEST(FixpointCandidates, KeepOneLeavesASingleSurpriseOrASingleScheduleChoice) {
  Tape current = Schedule({2, 0, 3});
  current.push_back({ChoiceKind::kFault, 5, 4});
  std::vector<Tape> kept = FixpointCandidates(current, FixpointPass::kKeepOne);
  Tape only_fault = Schedule({0, 0, 0});
  only_fault.push_back({ChoiceKind::kFault, 5, 4});
  EXPECT_TRUE(Contains(kept, Schedule({2})));
  EXPECT_TRUE(Contains(kept, Schedule({0, 0, 3})));
  EXPECT_TRUE(Contains(kept, only_fault));
  Tape first_pick_and_fault = current;
  first_pick_and_fault[2].value = 0;
  EXPECT_TRUE(Contains(kept, first_pick_and_fault)) << "the schedule-only variant keeps faults";
}

TEST(FixpointCandidates, MoveTakesAValueToNearbyChoicesOfTheSameKind) {
  Tape current = {{ChoiceKind::kFault, 7, 0},
                  {ChoiceKind::kDelay, 9, 0},
                  {ChoiceKind::kFault, 3, 0},
                  {ChoiceKind::kFault, 7, 6}};
  std::vector<Tape> moved = FixpointCandidates(current, FixpointPass::kMove);
  const Tape to_first = {{ChoiceKind::kFault, 7, 6}};
  const Tape to_third_fitted = {
      {ChoiceKind::kFault, 7, 0}, {ChoiceKind::kDelay, 9, 0}, {ChoiceKind::kFault, 3, 2}};
  EXPECT_TRUE(Contains(moved, to_first));
  EXPECT_TRUE(Contains(moved, to_third_fitted)) << "6 does not fit bound 3: the largest does";
  for (const Tape& candidate : moved) {
    EXPECT_EQ(candidate.size() > 1 ? candidate[1].value : 0u, 0u) << "never onto the delay";
  }
}

}  // namespace
}  // namespace laplace::properties
