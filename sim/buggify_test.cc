// Proves BUGGIFY sites switch on/off once per run, never fire on a zero tape, and replay.
#include "sim/buggify.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "sim/internal/replay_testing.h"
#include "sim/world.h"

namespace laplace::sim {
namespace {

int CountFaultChoices(const Tape& tape) {
  int count = 0;
  for (const Choice& choice : tape) count += choice.kind == ChoiceKind::kFault;
  return count;
}

// One site, reached `times` times; returns how often it fired.
int ReachSite(Buggify& buggify, int times) {
  int fired = 0;
  for (int i = 0; i < times; ++i) fired += LAPLACE_BUGGIFY(buggify);
  return fired;
}

TEST(Buggify, ASiteIsSwitchedOnOrOffOnceAndKeepsThatDecisionForTheRun) {
  int runs_on = 0;
  int runs_off = 0;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    Loop loop({.seed = seed});
    Buggify buggify(loop, {.site_on_ratio = {1, 2}, .fire_ratio = {1, 2}});
    const int fired = ReachSite(buggify, 50);
    ASSERT_EQ(buggify.sites().size(), 1u);
    const BuggifySite site = buggify.sites()[0];
    EXPECT_EQ(site.reached, 50u);
    EXPECT_EQ(site.fired, static_cast<uint64_t>(fired));
    if (site.on) {
      ++runs_on;
      // One on/off choice, then one fire choice per visit.
      EXPECT_EQ(CountFaultChoices(loop.tape()), 51);
      EXPECT_GT(fired, 0);
      EXPECT_LT(fired, 50);
    } else {
      ++runs_off;
      EXPECT_EQ(CountFaultChoices(loop.tape()), 1);  // decided once, never again
      EXPECT_EQ(fired, 0);
    }
  }
  EXPECT_GT(runs_on, 0);
  EXPECT_GT(runs_off, 0);
}

TEST(Buggify, AZeroTapeNeverFires) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  Buggify buggify(loop, {.site_on_ratio = {99, 100}, .fire_ratio = {99, 100}});
  EXPECT_EQ(ReachSite(buggify, 100), 0);
  EXPECT_FALSE(buggify.sites()[0].on);
}

TEST(Buggify, TheWorldWideSwitchTurnsEverySiteOffWithoutDrawingChoices) {
  Loop loop({.seed = 1});
  Buggify buggify(loop, {.enabled = false, .site_on_ratio = {1, 1}, .fire_ratio = {1, 1}});
  EXPECT_EQ(ReachSite(buggify, 10), 0);
  EXPECT_TRUE(loop.tape().empty());
  EXPECT_TRUE(buggify.sites().empty());
  buggify.set_enabled(true);
  EXPECT_EQ(ReachSite(buggify, 10), 10);
  buggify.set_enabled(false);
  EXPECT_EQ(ReachSite(buggify, 10), 0);
}

TEST(Buggify, SitesAreKeyedAndOrderedByFileAndLine) {
  Loop loop({.seed = 2});
  Buggify buggify(loop, {.site_on_ratio = {1, 1}, .fire_ratio = {1, 1}});
  EXPECT_TRUE(buggify.Fire(SourceLocation::current("b.cc", 5)));
  EXPECT_TRUE(buggify.Fire(SourceLocation::current("a.cc", 9)));
  EXPECT_TRUE(buggify.Fire(SourceLocation::current("b.cc", 2)));
  // A different pointer to the same file name is the same site.
  const std::string same_file = "a.cc";
  EXPECT_TRUE(buggify.Fire(SourceLocation::current(same_file.c_str(), 9)));
  std::vector<std::string> order;
  for (const BuggifySite& site : buggify.sites()) {
    order.push_back(site.file + ":" + std::to_string(site.line));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"a.cc:9", "b.cc:2", "b.cc:5"}));
  EXPECT_EQ(buggify.sites()[0].reached, 2u);
}

TEST(Buggify, TheMacroTakesABuggifyANodeOrAWorld) {
  Loop loop({.seed = 3});
  World world(loop, {.buggify = {.site_on_ratio = {1, 1}, .fire_ratio = {1, 1}}});
  Node& node = world.AddNode("n1", [](Node& self) -> Task<> { co_await self.loop().Yield(); });
  EXPECT_TRUE(LAPLACE_BUGGIFY(world));
  EXPECT_TRUE(LAPLACE_BUGGIFY(node));
  EXPECT_TRUE(LAPLACE_BUGGIFY(world.buggify()));
  EXPECT_EQ(world.buggify().sites().size(), 3u);
  EXPECT_EQ(world.buggify().sites()[0].file, __FILE__);
}

// Scenario: three sites in a loop, with FoundationDB's default ratios.
void BuggyRun(Loop& loop) {
  World world(loop);
  int fired = 0;
  for (int i = 0; i < 200; ++i) {
    fired += LAPLACE_BUGGIFY(world);
    fired += LAPLACE_BUGGIFY(world);
    fired += LAPLACE_BUGGIFY(world);
  }
  EXPECT_GT(fired, 0);
}

TEST(Buggify, FiringsReplayIdentically) {
  // Seed 4 switches at least one of the three sites on (checked inside).
  testing::ExpectReplaysIdentically(4, BuggyRun);
}

TEST(Buggify, TraceNotesTheSwitchAndEveryFiring) {
  Loop loop({.seed = 5, .trace = {.keep_all = true}});
  Buggify buggify(loop, {.site_on_ratio = {1, 1}, .fire_ratio = {1, 1}});
  EXPECT_TRUE(buggify.Fire(SourceLocation::current("kv.cc", 42)));
  const std::string trace = loop.FormatTrace(loop.trace().events());
  EXPECT_NE(trace.find("buggify kv.cc:42 switched on for this run"), std::string::npos) << trace;
  EXPECT_NE(trace.find("buggify kv.cc:42 fires"), std::string::npos) << trace;
  EXPECT_EQ(loop.fault_counts().at("buggify"), 1u);  // and counted for the summary
}

}  // namespace
}  // namespace laplace::sim
