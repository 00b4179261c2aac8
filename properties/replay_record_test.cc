// Proves the replay glue: a replay file made from a run reproduces it
// (signature and digest) in a fresh run; replaying it against a modified
// program reports the first divergent choice, when and where it was made and
// what the file expected there, and is never a pass; expectations (pass / failure) are judged as
// documented.
#include "properties/replay_record.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/runner.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using ::testing::HasSubstr;

Task<> Increment(Loop& loop, int& counter) {
  int seen = counter;
  co_await loop.Yield();
  counter = seen + 1;
}

// Two lost-update workers; `extra_draw` changes the program: it draws one
// more value before spawning, which shifts every later choice.
Body LostUpdate(bool extra_draw) {
  return [extra_draw](Simulation& sim) {
    if (extra_draw) (void)sim.loop().Choose(7, ChoiceKind::kDraw);
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < 3; ++w) sim.loop().Spawn(Increment(sim.loop(), *counter));
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, 3);
  };
}

RunReport FirstFailure(const Body& body) {
  for (uint64_t seed = 0;; ++seed) {
    RunReport report = RunOnce(body, TapeSpec::Seed(seed), {});
    if (report.failed()) return report;
  }
}

RunReport Replay(const Body& body, const replays::Replay& file, bool stop_on_divergence) {
  RunOptions options;
  options.loop.stop_on_divergence = stop_on_divergence;
  return RunOnce(body, TapeSpec::Replay(replays::TapeFromReplay(file), TapeSource::Mode::kStrict),
                 options);
}

TEST(ReplayRecord, AFileReproducesItsRunInAFreshRun) {
  Body body = LostUpdate(false);
  RunReport failing = FirstFailure(body);
  replays::Replay file =
      MakeReplay({.test_name = "Zoo.LostUpdate", .report = failing}, replays::EXPECT_FAILURE);
  ASSERT_TRUE(replays::ValidateReplay(file, "memory").ok());
  RunReport rerun = Replay(body, file, true);
  ReplayVerdict verdict = CheckRerun(file, rerun);
  EXPECT_TRUE(verdict.ok) << verdict.message;
  EXPECT_THAT(verdict.message, HasSubstr("reproduced assertion:"));
  EXPECT_EQ(rerun.digest, failing.digest);
}

TEST(ReplayRecord, AModifiedProgramReportsTheDivergentChoice) {
  RunReport failing = FirstFailure(LostUpdate(false));
  replays::Replay file =
      MakeReplay({.test_name = "Zoo.LostUpdate", .report = failing}, replays::EXPECT_FAILURE);
  RunReport rerun = Replay(LostUpdate(true), file, true);
  ASSERT_TRUE(rerun.divergence.has_value());
  EXPECT_EQ(rerun.divergence->index, 0u) << "the extra draw is the very first choice";
  ReplayVerdict verdict = CheckRerun(file, rerun);
  EXPECT_FALSE(verdict.ok);
  EXPECT_TRUE(verdict.diverged);
  EXPECT_THAT(verdict.message, HasSubstr("where: choice #0 at t=0, step 0, outside any task: "
                                         "the tape has schedule"));
  EXPECT_THAT(verdict.message, HasSubstr("but the program asked for draw (bound 7)"));
  EXPECT_THAT(verdict.message, HasSubstr("--laplace_record"));
}

TEST(ReplayRecord, AnExpectPassReplayThatDivergedIsNoPass) {
  RunReport failing = FirstFailure(LostUpdate(false));
  replays::Replay file =
      MakeReplay({.test_name = "Zoo.LostUpdate", .report = failing}, replays::EXPECT_PASS);
  // The "fix": the same program with a lock would pass; here, a body whose
  // assertion holds stands in for it, plus the extra draw to diverge.
  Body fixed = [](Simulation& sim) {
    (void)sim.loop().Choose(7, ChoiceKind::kDraw);
    sim.Run();
  };
  RunReport rerun = Replay(fixed, file, /*stop_on_divergence=*/false);
  ReplayVerdict verdict = CheckRerun(file, rerun);
  EXPECT_FALSE(verdict.ok) << verdict.message;
  EXPECT_TRUE(verdict.diverged);
  EXPECT_THAT(verdict.message, HasSubstr("diverged: the program no longer makes the choices"));
}

TEST(ReplayRecord, AnExpectPassFileFailsWhileTheBugIsPresent) {
  Body body = LostUpdate(false);
  RunReport failing = FirstFailure(body);
  replays::Replay file =
      MakeReplay({.test_name = "Zoo.LostUpdate", .report = failing}, replays::EXPECT_PASS);
  ReplayVerdict verdict = CheckRerun(file, Replay(body, file, false));
  EXPECT_FALSE(verdict.ok);
  EXPECT_THAT(verdict.message, HasSubstr("(the bug this file was recorded for)"));
}

TEST(ReplayRecord, AReproductionWithADifferentTraceIsNotAReproduction) {
  Body body = LostUpdate(false);
  RunReport failing = FirstFailure(body);
  replays::Replay file =
      MakeReplay({.test_name = "Zoo.LostUpdate", .report = failing}, replays::EXPECT_FAILURE);
  file.set_trace_digest("0123456789abcdef");
  ReplayVerdict verdict = CheckRerun(file, Replay(body, file, true));
  EXPECT_FALSE(verdict.ok);
  EXPECT_THAT(verdict.message, HasSubstr("but the trace differs"));
}

}  // namespace
}  // namespace laplace::properties
