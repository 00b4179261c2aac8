// Proves Barrier's contract: every party waits for the last, which does not suspend, each gets
// its arrival index, rounds repeat, a cancelled waiter leaves its round, and teardown is clean.
#include "loop/barrier.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Task<> Phases(Loop& loop, Barrier& barrier, int rounds, std::string name,
              std::vector<std::string>& log, std::vector<size_t>& indexes) {
  for (int round = 0; round < rounds; ++round) {
    log.push_back(name + " arrives " + std::to_string(round));
    indexes.push_back(co_await barrier.Wait());
    log.push_back(name + " passes " + std::to_string(round));
    co_await loop.Yield();
  }
}

TEST(Barrier, EveryPartyWaitsForTheLastAndGetsItsArrivalIndex) {
  Loop loop({.seed = 3});
  Barrier barrier(loop, 3, "phase");
  std::vector<std::string> log;
  std::vector<size_t> indexes;
  std::vector<TaskHandle<>> tasks;
  for (const char* name : {"a", "b", "c"}) {
    tasks.push_back(loop.Spawn(Phases(loop, barrier, 1, name, log, indexes)));
  }
  ASSERT_TRUE(loop.Run().ok());
  // Nobody passes before everyone has arrived.
  size_t last_arrival = 0, first_pass = log.size();
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].find("arrives") != std::string::npos) last_arrival = i;
    if (log[i].find("passes") != std::string::npos) first_pass = std::min(first_pass, i);
  }
  EXPECT_LT(last_arrival, first_pass);
  EXPECT_THAT(indexes, UnorderedElementsAre(0u, 1u, 2u));
  EXPECT_EQ(barrier.rounds(), 1u);
}

TEST(Barrier, RoundsRepeatAndNoTaskSlipsIntoTheNextRoundEarly) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Loop loop({.seed = seed});
    Barrier barrier(loop, 2, "phase");
    std::vector<std::string> log;
    std::vector<size_t> indexes;
    TaskHandle<> a = loop.Spawn(Phases(loop, barrier, 3, "a", log, indexes));
    TaskHandle<> b = loop.Spawn(Phases(loop, barrier, 3, "b", log, indexes));
    ASSERT_TRUE(loop.Run().ok());
    EXPECT_EQ(barrier.rounds(), 3u);
    // Round r+1 is passed by nobody before both have arrived for it.
    for (int round = 1; round < 3; ++round) {
      std::string suffix = " " + std::to_string(round);
      size_t arrivals = 0;
      for (const std::string& line : log) {
        if (line == "a arrives" + suffix || line == "b arrives" + suffix) ++arrivals;
        if (line == "a passes" + suffix || line == "b passes" + suffix) {
          EXPECT_EQ(arrivals, 2u) << "seed " << seed;
          break;
        }
      }
    }
  }
}

TEST(Barrier, ABarrierOfOneNeverSuspends) {
  Loop loop;
  Barrier barrier(loop, 1);
  std::vector<std::string> log;
  std::vector<size_t> indexes;
  TaskHandle<> a = loop.Spawn(Phases(loop, barrier, 2, "a", log, indexes));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(indexes, (std::vector<size_t>{0, 0}));
  EXPECT_EQ(loop.steps(), 3u);  // started, and resumed after each of two yields
}

TEST(Barrier, ACancelledWaiterLeavesItsRoundWhichThenWaitsForOneMore) {
  Loop loop;
  Barrier barrier(loop, 3, "phase");
  std::vector<std::string> log;
  std::vector<size_t> indexes;
  TaskHandle<> a = loop.Spawn(Phases(loop, barrier, 1, "a", log, indexes));
  TaskHandle<> b = loop.Spawn(Phases(loop, barrier, 1, "b", log, indexes));
  RunResult stuck = loop.Run();
  ASSERT_EQ(stuck.outcome, RunOutcome::kDeadlock);
  EXPECT_THAT(stuck.blocked.at(0).waiting_on, HasSubstr("barrier #1 'phase' (2 of 3 waiting"));
  loop.Cancel(a.id());
  EXPECT_EQ(barrier.waiting(), 1u);
  TaskHandle<> c = loop.Spawn(Phases(loop, barrier, 1, "c", log, indexes));
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // b and c: still one short
  TaskHandle<> d = loop.Spawn(Phases(loop, barrier, 1, "d", log, indexes));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(barrier.rounds(), 1u);
}

TEST(Barrier, DestroyingTheLoopDestroysEveryWaitingFrameOnce) {
  testing::Counts counts;
  {
    Loop loop;
    Barrier barrier(loop, 3);
    auto waiter = [](Barrier& barrier, testing::Counted) -> Task<> {
      size_t index = co_await barrier.Wait();
      (void)index;
    };
    TaskHandle<> a = loop.Spawn(waiter(barrier, testing::Counted(counts)));
    TaskHandle<> b = loop.Spawn(waiter(barrier, testing::Counted(counts)));
    EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
