// Proves that `laplace show`'s rendering lists every part of a replay readably: the failure
// with its virtual time, the tape's non-zero entries by index, the trace tail, and escaped text,
// with the failure's causal chain first when the file has one.
#include "replays/internal/describe.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/replay_file.h"

namespace laplace::replays::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Replay Example() {
  Replay replay;
  replay.set_format_version(kFormatVersion);
  replay.set_test_name("Bank.Transfers");
  replay.set_bazel_target("//examples:bank_test");
  replay.mutable_strategy()->set_name("pct");
  Parameter* depth = replay.mutable_strategy()->add_parameters();
  depth->set_name("depth");
  depth->set_value(3);
  replay.set_seed(42);
  laplace::Tape tape(13, {laplace::ChoiceKind::kSchedule, 3, 0});
  tape[12].value = 1;
  tape[4] = {laplace::ChoiceKind::kFault, 100, 7};
  SetReplayTape(tape, replay);
  replay.mutable_arguments()->add_rendering("int amount = 3");
  replay.set_expect(EXPECT_FAILURE);
  replay.mutable_failure()->set_signature("invariant:total");
  replay.mutable_failure()->set_kind("invariant");
  replay.mutable_failure()->set_message("total is 95\nexpected 100");
  replay.mutable_failure()->set_virtual_time_ns(5'000'000);
  replay.mutable_failure()->set_step(17);
  replay.set_trace_digest("00c0ffee12345678");
  replay.add_trace_tail("t=5ms client-2 resumed after sleep");
  replay.mutable_shrinking()->set_original_length(120);
  replay.mutable_shrinking()->set_shrunk_length(13);
  replay.mutable_shrinking()->set_candidates_tried(311);
  return replay;
}

TEST(DescribeReplay, ListsTheTestFailureTapeAndTrace) {
  std::string text = DescribeReplay(Example(), "x.textpb");
  EXPECT_EQ(text.rfind("x.textpb\n", 0), 0u) << text;
  EXPECT_THAT(text, HasSubstr("test:          Bank.Transfers (//examples:bank_test)\n"));
  EXPECT_THAT(text, HasSubstr("expect:        failure"));
  EXPECT_THAT(text, HasSubstr("strategy:      pct (depth=3)\n"));
  EXPECT_THAT(text, HasSubstr("seed:          42\n"));
  EXPECT_THAT(text, HasSubstr("arguments:     int amount = 3\n"));
  EXPECT_THAT(text, HasSubstr("failure:       invariant:total (invariant)\n"));
  EXPECT_THAT(text, HasSubstr("    message:     total is 95\n                 expected 100\n"));
  EXPECT_THAT(text, HasSubstr("    at:          t=5ms, step 17\n"));
  EXPECT_THAT(text, HasSubstr("tape 120 -> 13 entries, 311 candidates tried, reached a fixpoint"));
  EXPECT_THAT(text, HasSubstr("tape:          13 entries, 2 non-zero:\n"
                              "                 #4 fault 7/100\n"
                              "                 #12 schedule 1/3\n"));
  EXPECT_THAT(text, HasSubstr("trace tail:    t=5ms client-2 resumed after sleep\n"));
  EXPECT_THAT(text, HasSubstr("environment:   (not recorded)\n"));
}

TEST(DescribeReplay, PrintsTheCausalChainFirstUnderItsHeading) {
  Replay replay = Example();
  replay.add_causal_chain("#3 t=1ms nemesis: backup crashed");
  replay.add_causal_chain("#9 t=5ms FAILURE: total is 95  <- #3 fault");
  replay.set_causal_ancestors(8);
  std::string text = DescribeReplay(replay, "x.textpb");
  EXPECT_EQ(text.rfind("x.textpb\n"
                       "  causal chain of the failure (2 events, the most telling of the 8 it "
                       "depends on):\n"
                       "    #3 t=1ms nemesis: backup crashed\n"
                       "    #9 t=5ms FAILURE: total is 95  <- #3 fault\n"
                       "  test: ",
                       0),
            0u)
      << text;
}

TEST(DescribeReplay, AFileWithoutACausalChainSaysNothingOfIt) {
  EXPECT_THAT(DescribeReplay(Example(), "x.textpb"), Not(HasSubstr("causal chain")));
}

TEST(DescribeReplay, ARebuiltFileSaysWhatItReplacedAndWhere) {
  Replay replay = Example();
  EXPECT_THAT(DescribeReplay(replay, "x.textpb"), Not(HasSubstr("rebuilt:")));
  replay.mutable_rebuilt()->set_from_digest("00000000deadbeef");
  replay.mutable_rebuilt()->set_divergence("choice #3 at t=1ms, step 4, in task #1 'w'");
  EXPECT_THAT(DescribeReplay(replay, "x.textpb"),
              HasSubstr("rebuilt:       from 00000000deadbeef.textpb, which diverged on the new "
                        "code at choice #3 at t=1ms, step 4, in task #1 'w'\n"));
}

// A rebuilt EXPECT_PASS file keeps the old failure (the bug it guards), but its tape and trace
// are of a run that passed: the failure must not read as what the file does.
TEST(DescribeReplay, ARebuiltFileThatPassesLabelsItsFailureAsRecordedBeforeTheRebuild) {
  Replay replay = Example();
  replay.set_expect(EXPECT_PASS);
  replay.mutable_rebuilt()->set_from_digest("c36268edc3f61576");
  EXPECT_THAT(DescribeReplay(replay, "x.textpb"),
              HasSubstr("failure:       recorded failure (before the rebuild of c36268edc3f61576; "
                        "replay to see what it does today):\n"
                        "                 invariant:total (invariant)\n"
                        "                 the rebuilt file passed on the code it was rebuilt for; "
                        "this is the bug it guards against\n"
                        "    message:     total is 95\n"));
  replay.set_expect(EXPECT_FAILURE);
  EXPECT_THAT(DescribeReplay(replay, "x.textpb"),
              HasSubstr("failure:       invariant:total (invariant)\n"
                        "                 (the rebuilt run's failure, with the signature it had "
                        "before the rebuild of c36268edc3f61576, as the file expects)\n"));
  replay.clear_rebuilt();
  EXPECT_THAT(DescribeReplay(replay, "x.textpb"), Not(HasSubstr("recorded failure")));
}

TEST(DescribeReplay, SaysNoneForEmptyParts) {
  Replay replay = Example();
  replay.clear_tape();
  replay.clear_arguments();
  replay.clear_trace_tail();
  std::string text = DescribeReplay(replay, "x.textpb");
  EXPECT_THAT(text, HasSubstr("tape:          0 entries, 0 non-zero\n"));
  EXPECT_THAT(text, HasSubstr("arguments:     (none)\n"));
  EXPECT_THAT(text, HasSubstr("trace tail:    (none)\n"));
}

TEST(DescribeReplay, CapsALongTapeListing) {
  Replay replay = Example();
  SetReplayTape(laplace::Tape(kTapeEntriesShownMax + 7, {laplace::ChoiceKind::kDraw, 2, 1}),
                replay);
  std::string text = DescribeReplay(replay, "x.textpb");
  EXPECT_THAT(text, HasSubstr("#99 draw 1/2\n"));
  EXPECT_THAT(text, Not(HasSubstr("#100 draw")));
  EXPECT_THAT(text, HasSubstr("... and 7 more non-zero entries"));
}

TEST(DescribeReplay, EscapesTerminalControlCharactersButKeepsUtf8) {
  Replay replay = Example();
  replay.mutable_failure()->set_message("caf\xc3\xa9 \x1b[31mred");
  std::string text = DescribeReplay(replay, "x.textpb");
  EXPECT_THAT(text, HasSubstr("caf\xc3\xa9 \\x1b[31mred"));
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace laplace::replays::internal
