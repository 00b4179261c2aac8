// Proves the Prng and the digest hash match their written specifications
// (golden values computed by an independent Python implementation), so every
// compiler, standard library and optimization level agrees.
#include "loop/prng.h"

#include <vector>

#include "gtest/gtest.h"
#include "loop/digest.h"

namespace laplace {
namespace {

TEST(Prng, NextMatchesTheWyrandSpecification) {
  Prng prng(42);
  EXPECT_EQ(prng.Next(), 0xae4a7cbfdda9b434ULL);
  EXPECT_EQ(prng.Next(), 0xe9cc09d33d38d9d2ULL);
  EXPECT_EQ(prng.Next(), 0xcb5756512b93433aULL);
}

TEST(Prng, BelowMatchesLemiresReductionSpecification) {
  Prng prng(7);
  std::vector<uint64_t> dice;
  for (int i = 0; i < 8; ++i) dice.push_back(prng.Below(6));
  EXPECT_EQ(dice, (std::vector<uint64_t>{5, 5, 2, 1, 4, 0, 3, 2}));
}

TEST(Prng, BelowIsRoughlyUniform) {
  Prng prng(1);
  std::vector<int> counts(10);
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) ++counts[prng.Below(10)];
  for (int count : counts) {
    EXPECT_GT(count, kDraws / 10 - 600);
    EXPECT_LT(count, kDraws / 10 + 600);
  }
}

TEST(Prng, BelowOneIsAlwaysZero) {
  Prng prng(9);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(prng.Below(1), 0u);
}

TEST(Digest, MatchesItsSpecification) {
  Digest digest;
  digest.Add(1, 2);
  digest.Add(3);
  EXPECT_EQ(digest.value(), 0x483450e076ebf504ULL);
  EXPECT_EQ(digest.count(), 2u);
}

TEST(Digest, HashStringMatchesItsSpecification) {
  EXPECT_EQ(HashString(""), 0x34aa7ece70af3656ULL);
  EXPECT_EQ(HashString("client-1"), 0x14ec74ca1b6ca1afULL);
  EXPECT_EQ(HashString("laplace's demon"), 0xfb00b24c9fa2b2c6ULL);
}

TEST(Digest, IsOrderSensitiveAndCountsTrailingZeros) {
  Digest ab, ba, a, a0;
  ab.Add(1);
  ab.Add(2);
  ba.Add(2);
  ba.Add(1);
  a.Add(1);
  a0.Add(1);
  a0.Add(0);
  EXPECT_NE(ab.value(), ba.value());
  EXPECT_NE(a.value(), a0.value());
}

TEST(Digest, Mix64IsTheSplitMixFinalizer) {
  EXPECT_EQ(Mix64(0), 0u);
  EXPECT_EQ(Mix64(1), 0x5692161d100b05e5ULL);
}

}  // namespace
}  // namespace laplace
