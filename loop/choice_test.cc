// Proves the choice sources: seeded runs record their tape, strict replays
// reproduce it and report divergences, lenient and byte sources never fail,
// and every source answers 0 past the end of its input.
#include "loop/choice.h"

#include "gtest/gtest.h"

namespace laplace {
namespace {

TEST(SeededSource, RecordsEveryAnswerWithItsKindAndBound) {
  SeededSource source(5);
  uint64_t a = source.Choose(3, ChoiceKind::kSchedule);
  uint64_t b = source.Choose(100, ChoiceKind::kFault);
  EXPECT_LT(a, 3u);
  EXPECT_LT(b, 100u);
  EXPECT_EQ(source.tape(), (Tape{{ChoiceKind::kSchedule, 3, a}, {ChoiceKind::kFault, 100, b}}));
  EXPECT_FALSE(source.divergence().has_value());
}

TEST(SeededSource, TheSameSeedGivesTheSameAnswers) {
  SeededSource first(11), second(11), other(12);
  for (int i = 0; i < 100; ++i) {
    first.Choose(1000, ChoiceKind::kDraw);
    second.Choose(1000, ChoiceKind::kDraw);
    other.Choose(1000, ChoiceKind::kDraw);
  }
  EXPECT_EQ(first.tape(), second.tape());
  EXPECT_NE(first.tape(), other.tape());
}

// Sources record into packed words, with an escape for bounds of 2^30 and
// more (internal/tape_recorder.h). Whatever the bound, the tape must come
// back exactly, across chunk boundaries and from recycled chunks.
Tape RecordMixedBounds(uint64_t seed, int count) {
  static constexpr uint64_t kBounds[] = {2,
                                         3,
                                         1000,
                                         (uint64_t{1} << 30) - 1,
                                         uint64_t{1} << 30,
                                         (uint64_t{1} << 30) + 1,
                                         uint64_t{1} << 34,
                                         uint64_t{1} << 63,
                                         UINT64_MAX};
  SeededSource source(seed);
  Prng expected_prng(seed);
  Tape expected;
  for (int i = 0; i < count; ++i) {
    // Runs of small bounds with an escape every so often, so that escapes
    // land at every offset within a chunk, the last words included.
    uint64_t bound = kBounds[(i % 7 == 6) ? 3 + (i / 7) % 6 : i % 3];
    auto kind = static_cast<ChoiceKind>(i % kChoiceKindCount);
    uint64_t value = source.Choose(bound, kind);
    expected.push_back(Choice{kind, bound, expected_prng.Below(bound)});
    EXPECT_EQ(value, expected.back().value) << "choice " << i;
  }
  EXPECT_EQ(source.tape_size(), expected.size());
  Tape tape = source.tape();
  EXPECT_EQ(tape.size(), expected.size());
  for (size_t i = 0; i < tape.size() && i < expected.size(); ++i) {
    if (tape[i] != expected[i]) {
      ADD_FAILURE() << "entry " << i << ": recorded " << FormatChoice(tape[i]) << " kind "
                    << ChoiceKindName(tape[i].kind) << ", expected " << FormatChoice(expected[i]);
      break;
    }
  }
  return tape;
}

TEST(SeededSource, TapesOfAnyBoundRoundTripAcrossChunks) {
  // About 100,000 words: three chunks and a bit.
  Tape first = RecordMixedBounds(21, 70'000);
  // The first source's chunks are back in the pool; a second recording
  // writes over them and must not see the old words.
  Tape second = RecordMixedBounds(22, 70'000);
  Tape again = RecordMixedBounds(21, 70'000);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, second);
}

TEST(SeededSource, AnEmptySourceHasAnEmptyTape) {
  SeededSource source(1);
  EXPECT_EQ(source.tape_size(), 0u);
  EXPECT_TRUE(source.tape().empty());
}

TEST(TapeSource, StrictReplayReproducesARecordedTape) {
  SeededSource seeded(3);
  for (uint64_t bound = 2; bound < 50; ++bound) seeded.Choose(bound, ChoiceKind::kDelay);
  TapeSource replay(seeded.tape(), TapeSource::Mode::kStrict);
  for (uint64_t bound = 2; bound < 50; ++bound) replay.Choose(bound, ChoiceKind::kDelay);
  EXPECT_EQ(replay.tape(), seeded.tape());
  EXPECT_FALSE(replay.divergence().has_value());
}

TEST(TapeSource, AnswersZeroPastTheEnd) {
  TapeSource replay({{ChoiceKind::kDraw, 5, 4}}, TapeSource::Mode::kStrict);
  EXPECT_EQ(replay.Choose(5, ChoiceKind::kDraw), 4u);
  EXPECT_EQ(replay.Choose(7, ChoiceKind::kSchedule), 0u);
  EXPECT_EQ(replay.Choose(9, ChoiceKind::kFault), 0u);
  EXPECT_FALSE(replay.divergence().has_value());
}

TEST(TapeSource, StrictReplayReportsTheFirstDivergenceAndGoesOn) {
  Tape tape = {{ChoiceKind::kDraw, 5, 4}, {ChoiceKind::kSchedule, 3, 2}, {ChoiceKind::kDraw, 9, 8}};
  TapeSource replay(tape, TapeSource::Mode::kStrict);
  EXPECT_EQ(replay.Choose(5, ChoiceKind::kDraw), 4u);
  EXPECT_EQ(replay.Choose(4, ChoiceKind::kSchedule), 0u);  // bound differs
  EXPECT_EQ(replay.Choose(9, ChoiceKind::kDraw), 8u);      // best effort goes on
  ASSERT_TRUE(replay.divergence().has_value());
  EXPECT_EQ(replay.divergence()->index, 1u);
  EXPECT_EQ(replay.divergence()->ToString(),
            "choice #1: the tape has schedule 2/3 but the program asked for schedule (bound 4)");
}

TEST(TapeSource, StrictReplayNoticesAKindChange) {
  TapeSource replay({{ChoiceKind::kFault, 10, 1}}, TapeSource::Mode::kStrict);
  replay.Choose(10, ChoiceKind::kDelay);
  ASSERT_TRUE(replay.divergence().has_value());
  EXPECT_EQ(replay.divergence()->actual_kind, ChoiceKind::kDelay);
}

TEST(TapeSource, LenientReplayReducesValuesWithinEachStreamAndKind) {
  TapeSource replay({{ChoiceKind::kDraw, 100, 57}, {ChoiceKind::kFault, 100, 3}},
                    TapeSource::Mode::kLenient);
  EXPECT_EQ(replay.Choose(4, ChoiceKind::kFault), 3u);  // the fault entry, not the draw
  EXPECT_EQ(replay.Choose(10, ChoiceKind::kDraw), 7u);  // 57 mod 10
  EXPECT_FALSE(replay.divergence().has_value());
  EXPECT_EQ(replay.tape(), (Tape{{ChoiceKind::kFault, 4, 3}, {ChoiceKind::kDraw, 10, 7}}));
}

TEST(TapeSource, AChoiceThatVanishesFromOneStreamMovesNoOtherStream) {
  // Recorded: stream a draws twice, stream b once, interleaved.
  const Stream a = Stream::Named("a"), b = Stream::Named("b");
  SeededSource seeded(11);
  seeded.Choose(1000, ChoiceKind::kFault, a.id);
  const uint64_t b_value = seeded.Choose(1000, ChoiceKind::kDelay, b.id);
  const uint64_t a_second = seeded.Choose(1000, ChoiceKind::kFault, a.id);
  // Replayed by a program that no longer makes a's first choice, and asks
  // for b last: each stream still gets its own values, in its own order.
  TapeSource replay(seeded.tape(), TapeSource::Mode::kLenient);
  Tape recorded = seeded.tape();
  recorded.erase(recorded.begin());
  TapeSource edited(recorded, TapeSource::Mode::kLenient);
  EXPECT_EQ(edited.Choose(1000, ChoiceKind::kFault, a.id), a_second);
  EXPECT_EQ(edited.Choose(1000, ChoiceKind::kDelay, b.id), b_value);
  EXPECT_EQ(replay.Choose(1000, ChoiceKind::kDelay, b.id), b_value);
}

TEST(Stream, TextRoundTripsToTheSameId) {
  for (const Stream& stream : {Stream::Named("net n1->n2 put", 3), Stream::Named("plain"),
                               Stream::Named("odd#12", 0), Stream::Named("odd#12", 5)}) {
    EXPECT_EQ(ParseStreamId(StreamText(stream.name, stream.key)), stream.id)
        << StreamText(stream.name, stream.key);
  }
  EXPECT_EQ(StreamText("net put", 3), "net put#3");
  EXPECT_EQ(MakeStreamId({}, {}, 0), kUnnamedStream);
  EXPECT_NE(Stream::Named("a", 1).id, Stream::Named("a", 2).id);
  EXPECT_EQ(MakeStreamId("task ", "x", 1), Stream::Named("task x", 1).id);
}

TEST(ChoiceSource, RecordDecidedPutsAPickOnTheTapeThatAReplayAnswers) {
  SeededSource seeded(5);
  seeded.RecordDecided(ChoiceKind::kSchedule, 4, 3, Stream::Named("task w").id);
  TapeSource replay(seeded.tape(), TapeSource::Mode::kStrict);
  EXPECT_EQ(replay.Choose(4, ChoiceKind::kSchedule, Stream::Named("task w").id), 3u);
  EXPECT_FALSE(replay.divergence().has_value());
}

TEST(ByteSource, ConsumesJustEnoughBytesLittleEndian) {
  const uint8_t bytes[] = {0x05, 0x34, 0x12, 0xff};
  ByteSource source(bytes);
  EXPECT_EQ(source.Choose(10, ChoiceKind::kDraw), 5u);                    // one byte
  EXPECT_EQ(source.Choose(70000, ChoiceKind::kDraw), 0xff1234u % 70000);  // bytes 34 12 ff
  EXPECT_EQ(source.tape().size(), 2u);
}

TEST(ByteSource, AnswersZeroPastTheEnd) {
  ByteSource source({});
  EXPECT_EQ(source.Choose(1000, ChoiceKind::kDraw), 0u);
}

TEST(Tape, TrimTrailingZerosDropsOnlyTheTail) {
  Tape tape = {{ChoiceKind::kDraw, 5, 0}, {ChoiceKind::kDraw, 5, 2}, {ChoiceKind::kDraw, 5, 0}};
  TrimTrailingZeros(tape);
  EXPECT_EQ(tape.size(), 2u);
}

TEST(ChoiceKind, NamesRoundTrip) {
  for (int i = 0; i < kChoiceKindCount; ++i) {
    auto kind = static_cast<ChoiceKind>(i);
    EXPECT_EQ(ParseChoiceKind(ChoiceKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseChoiceKind("bogus").has_value());
}

}  // namespace
}  // namespace laplace
