// Proves the bounded search runs every schedule within its bound exactly once, reports when the
// bounded space is exhausted (a proof that no such schedule fails), finds a bug at the fewest
// preemptions it needs when iterating, and notices a program that is not deterministic.
#include "loop/strategies/bounded_search.h"

#include <set>

#include "gtest/gtest.h"
#include "loop/strategies/testing/programs.h"
#include "loop/task.h"

namespace laplace::strategies {
namespace {

using testing::RunLostUpdate;

// Runs `program` under `search` until it fails or the search ends; returns the failing
// schedule's number (1-based), or 0.
uint64_t SearchFor(BoundedSearch& search, bool (*program)(LoopOptions)) {
  while (search.NextSchedule()) {
    if (program({.source = &search.source(), .strategy = &search.strategy()})) {
      return search.schedules();
    }
  }
  return 0;
}

TEST(BoundedSearch, ExhaustingBoundZeroProvesNoSchedulWithoutPreemptionsLosesAnUpdate) {
  BoundedSearch search({.preemptions_max = 0});
  EXPECT_EQ(SearchFor(search, RunLostUpdate), 0u);
  EXPECT_TRUE(search.exhausted());
  // Without preemptions only the first pick is free: a first, or b first.
  EXPECT_EQ(search.schedules(), 2u);
  EXPECT_FALSE(search.nondeterminism().has_value());
}

TEST(BoundedSearch, IteratingFindsTheBugAtTheFewestPreemptionsItNeeds) {
  BoundedSearch search({.preemptions_max = 3});
  const uint64_t failing = SearchFor(search, RunLostUpdate);
  ASSERT_GT(failing, 0u);
  EXPECT_EQ(search.bound(), 1);
  EXPECT_FALSE(search.exhausted());
  EXPECT_EQ(search.config().ToString(), "bounded:preemptions=1");
}

Task<> Yields(Loop& loop, int times) {
  for (int i = 0; i < times; ++i) co_await loop.Yield();
}

// Runs every schedule of two tasks yielding `times` times each within `bound` preemptions and
// returns the distinct orders in which the tasks' steps ran.
std::set<std::vector<TaskId>> AllOrders(int bound, int times, uint64_t* schedules) {
  BoundedSearch search({.preemptions_max = bound, .iterative = false});
  std::set<std::vector<TaskId>> orders;
  while (search.NextSchedule()) {
    class Order final : public Strategy {
     public:
      explicit Order(Strategy& inner) : inner_(inner) {}
      std::string_view name() const override { return "order"; }
      void OnStep(TaskId task, const PendingOperation&) override { steps.push_back(task); }
      size_t Pick(SchedulingPoint& point) override { return inner_.Pick(point); }
      std::vector<TaskId> steps;

     private:
      Strategy& inner_;
    } order(search.strategy());
    {
      Loop loop({.source = &search.source(), .strategy = &order});
      TaskHandle<> a = loop.Spawn(Yields(loop, times));
      TaskHandle<> b = loop.Spawn(Yields(loop, times));
      EXPECT_TRUE(loop.Run().ok());
    }
    EXPECT_TRUE(orders.insert(order.steps).second) << "a schedule ran twice";
  }
  EXPECT_TRUE(search.exhausted());
  *schedules = search.schedules();
  return orders;
}

TEST(BoundedSearch, RunsEveryScheduleWithinTheBoundOnce) {
  uint64_t schedules = 0;
  // Two tasks of three steps: every interleaving is C(6, 3) = 20; with at most one preemption,
  // a first (or b first) then one switch back and forth at most.
  EXPECT_EQ(AllOrders(/*bound=*/10, /*times=*/2, &schedules).size(), 20u);
  EXPECT_EQ(schedules, 20u);
  std::set<std::vector<TaskId>> one = AllOrders(/*bound=*/1, /*times=*/2, &schedules);
  EXPECT_EQ(one.size(), schedules);
  EXPECT_LT(one.size(), 20u);
  EXPECT_GT(one.size(), 2u);
}

bool Nondeterministic(LoopOptions options) {
  static int calls = 0;
  Loop loop(options);
  auto spawn = [&](int count) {
    for (int i = 0; i < count; ++i) TaskHandle<> task = loop.Spawn(Yields(loop, 1));
  };
  spawn(2 + (++calls % 2));  // a different number of tasks every other run
  loop.Run();
  return false;
}

TEST(BoundedSearch, SaysWhenTheProgramIsNotDeterministicGivenItsChoices) {
  BoundedSearch search({.preemptions_max = 1});
  SearchFor(search, Nondeterministic);
  ASSERT_TRUE(search.nondeterminism().has_value());
}

}  // namespace
}  // namespace laplace::strategies
