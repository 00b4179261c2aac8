// Proves every zoo program's claims: the buggy body fails at its stated minimal preemptions and
// at no fewer (the bounded search, exhausted), its failure replays, a portfolio failure shrinks
// (to no fewer than the minimum), and the fixed twin passes the bounded search at that bound and
// 10,000 portfolio schedules.
#include "tests/zoo/zoo.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/strategies/portfolio.h"
#include "properties/bounded.h"

namespace laplace::zoo {
namespace {

using properties::BoundedResult;
using properties::RunOnce;
using properties::RunReport;
using properties::SearchBounded;
using properties::TapeSpec;

class ZooTest : public ::testing::TestWithParam<ZooProgram> {};

}  // namespace

// For GoogleTest's messages: the program's name, not its bytes.
void PrintTo(const ZooProgram& program, std::ostream* out) { *out << program.name; }

namespace {

BoundedResult Search(const properties::Body& body, int bound) {
  return SearchBounded(body, {.preemptions_max = bound, .schedules_max = 200'000}, {});
}

TEST_P(ZooTest, TheBuggyProgramFailsAtItsMinimalPreemptionsAndNotBelow) {
  const ZooProgram& program = GetParam();
  if (program.minimal_preemptions > 0) {
    BoundedResult below = Search(program.buggy, program.minimal_preemptions - 1);
    EXPECT_FALSE(below.failing.has_value()) << below.Summary(program.minimal_preemptions - 1);
    EXPECT_TRUE(below.exhausted) << below.Summary(program.minimal_preemptions - 1);
  }
  BoundedResult at = Search(program.buggy, program.minimal_preemptions);
  ASSERT_TRUE(at.failing.has_value()) << at.Summary(program.minimal_preemptions);
  EXPECT_EQ(at.failing->preemptions, static_cast<uint64_t>(program.minimal_preemptions));
}

TEST_P(ZooTest, ItsFailureReplaysAndAPortfolioFailureShrinks) {
  const ZooProgram& program = GetParam();
  BoundedResult at = Search(program.buggy, program.minimal_preemptions);
  ASSERT_TRUE(at.failing.has_value()) << at.Summary(program.minimal_preemptions);
  const RunReport& failing = *at.failing;
  RunReport replayed =
      RunOnce(program.buggy, TapeSpec::Replay(failing.tape, TapeSource::Mode::kLenient), {});
  ASSERT_TRUE(replayed.failed());
  EXPECT_EQ(replayed.failure->signature(), failing.failure->signature());
  EXPECT_EQ(replayed.digest, failing.digest);
  // A portfolio's failure (a strategy that decides its picks) shrinks the same way.
  strategies::Portfolio portfolio;
  properties::RunOptions run;
  run.loop.strategy = &portfolio;
  for (uint64_t seed = 0; seed < 10'000; ++seed) {
    RunReport report = RunOnce(program.buggy, TapeSpec::Seed(seed), run);
    if (!report.failed()) continue;
    RunReport shrunk = Shrunk(program.buggy, report);
    ASSERT_TRUE(shrunk.failed());
    EXPECT_EQ(shrunk.failure->signature(), report.failure->signature());
    // Never below the minimum (the bounded search's claim), never above what the run had.
    // Whether it reaches the minimum is the shrinker's score: bench/strategies reports it.
    EXPECT_GE(shrunk.preemptions, static_cast<uint64_t>(program.minimal_preemptions))
        << "seed " << seed << " (" << report.strategy.ToString() << ")";
    EXPECT_LE(shrunk.preemptions, report.preemptions);
    return;
  }
  ADD_FAILURE() << "no portfolio schedule of 10,000 failed";
}

TEST_P(ZooTest, TheFixedTwinPassesTheBoundedSearchAndTenThousandPortfolioSchedules) {
  const ZooProgram& program = GetParam();
  const int bound = program.minimal_preemptions > 0 ? program.minimal_preemptions : 1;
  BoundedResult search = Search(program.fixed, bound);
  EXPECT_FALSE(search.failing.has_value())
      << search.Summary(bound) << ": " << search.failing->failure->ToString();
  EXPECT_TRUE(search.exhausted) << search.Summary(bound);
  strategies::Portfolio portfolio;
  properties::RunOptions run;
  run.loop.strategy = &portfolio;
  run.trace_tail = 1;  // the failure's line is all a report here needs
  for (uint64_t seed = 0; seed < 10'000; ++seed) {
    RunReport report = RunOnce(program.fixed, TapeSpec::Seed(seed), run);
    ASSERT_FALSE(report.failed()) << "seed " << seed << " (" << report.strategy.ToString()
                                  << "): " << report.failure->ToString();
  }
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooTest, ::testing::ValuesIn(Zoo()),
                         [](const ::testing::TestParamInfo<ZooProgram>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace laplace::zoo
