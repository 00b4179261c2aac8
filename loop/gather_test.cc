// Proves Gather runs labelled children concurrently, keeps argument order, cancels with its parent.
#include "loop/gather.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/result.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

Task<int> SleepThenReturn(Loop& loop, Duration nap, int value, std::vector<int>& finished) {
  co_await loop.Sleep(nap);
  finished.push_back(value);
  co_return value;
}

Task<std::string> SleepThenName(Loop& loop, Duration nap, std::string name,
                                std::vector<int>& finished) {
  co_await loop.Sleep(nap);
  finished.push_back(static_cast<int>(name.size()));
  co_return name;
}

Task<> SleepOnly(Loop& loop, Duration nap, std::vector<int>& finished) {
  co_await loop.Sleep(nap);
  finished.push_back(0);
}

using Mixed = std::tuple<Result<int>, Result<std::string>, Result<void>>;
using ::laplace::testing::Counted;
using ::laplace::testing::Counts;

Task<> GatherMixed(Loop& loop, std::vector<int>& finished, Mixed& out) {
  out =
      co_await Gather(loop, SleepThenReturn(loop, 30ms, 1, finished),
                      SleepThenName(loop, 10ms, "two", finished), SleepOnly(loop, 20ms, finished));
}

TEST(Gather, TheTupleFormGivesResultsInArgumentOrderWhileChildrenInterleave) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Loop loop({.seed = seed});
    std::vector<int> finished;
    Mixed out;
    loop.Spawn(GatherMixed(loop, finished, out), "parent");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    ASSERT_TRUE(std::get<0>(out).ok());
    EXPECT_EQ(*std::get<0>(out), 1);
    ASSERT_TRUE(std::get<1>(out).ok());
    EXPECT_EQ(*std::get<1>(out), "two");
    EXPECT_TRUE(std::get<2>(out).ok());
    // They finished in the order of their sleeps, and concurrently: the longest sleep, not the
    // sum of all three.
    EXPECT_THAT(finished, ElementsAre(3, 0, 1));
    EXPECT_EQ(loop.Now(), Time(30ms));
  }
}

Task<> GatherVector(Loop& loop, std::vector<Duration> naps, std::vector<int>& finished,
                    std::vector<Result<int>>& out) {
  std::vector<Task<int>> tasks;
  for (size_t i = 0; i < naps.size(); ++i) {
    tasks.push_back(SleepThenReturn(loop, naps[i], static_cast<int>(i), finished));
  }
  out = co_await Gather(loop, std::move(tasks));
}

TEST(Gather, TheVectorFormGivesResultsInArgumentOrderWhileChildrenInterleave) {
  Loop loop({.seed = 2});
  std::vector<int> finished;
  std::vector<Result<int>> out;
  loop.Spawn(GatherVector(loop, {5ms, 1ms, 4ms, 2ms, 3ms}, finished, out), "parent");
  ASSERT_TRUE(loop.Run().ok());
  ASSERT_EQ(out.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(out[i].ok()) << i;
    EXPECT_EQ(*out[i], i);
  }
  EXPECT_THAT(finished, ElementsAre(1, 3, 4, 2, 0));
  EXPECT_EQ(loop.Now(), Time(5ms));
}

TEST(Gather, AnEmptyVectorGivesNoResultsAtOnce) {
  Loop loop;
  std::vector<int> finished;
  std::vector<Result<int>> out(3);
  loop.Spawn(GatherVector(loop, {}, finished, out));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(loop.steps(), 1u);
}

struct Identity {
  TaskId id = 0;
  std::string label;
};

Task<> RecordIdentity(Loop& loop, Identity& out) {
  out.id = loop.current_task();
  out.label = std::string(loop.label(out.id));
  co_await loop.Yield();
}

Task<> GatherIdentities(Loop& loop, std::vector<Identity>& children, Identity& parent) {
  parent.id = loop.current_task();
  std::vector<Task<>> tasks;
  for (Identity& child : children) tasks.push_back(RecordIdentity(loop, child));
  (void)co_await Gather(loop, std::move(tasks));
}

TEST(Gather, ChildrenAreSeparateTasksLabelledAfterTheirParent) {
  for (bool labelled : {true, false}) {
    Loop loop({.seed = 3});
    std::vector<Identity> children(3);
    Identity parent;
    loop.Spawn(GatherIdentities(loop, children, parent), labelled ? "boss" : "");
    ASSERT_TRUE(loop.Run().ok());
    std::string prefix = labelled ? "boss" : "#" + std::to_string(parent.id);
    for (size_t i = 0; i < children.size(); ++i) {
      EXPECT_NE(children[i].id, 0u);
      EXPECT_NE(children[i].id, parent.id);
      EXPECT_EQ(children[i].label, prefix + "/gather[" + std::to_string(i) + "]");
    }
    EXPECT_NE(children[0].id, children[1].id);
  }
}

Task<int> ThrowAfter(Loop& loop, Duration nap, std::string what) {
  co_await loop.Sleep(nap);
  throw std::runtime_error(what);
}

Task<> GatherCatching(Loop& loop, Task<int> first, Task<int> second,
                      std::vector<std::string>& log) {
  try {
    (void)co_await Gather(loop, std::move(first), std::move(second));
    log.push_back("no exception");
  } catch (const std::runtime_error& error) {
    log.push_back(std::string("caught ") + error.what() + " at " + FormatTime(loop.Now()));
  }
}

TEST(Gather, AnExceptionInAChildIsRethrownOnlyAfterEveryChildEnded) {
  Loop loop({.seed = 4});
  std::vector<int> finished;
  std::vector<std::string> log;
  loop.Spawn(GatherCatching(loop, ThrowAfter(loop, 1ms, "boom"),
                            SleepThenReturn(loop, 5ms, 2, finished), log));
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(finished, ElementsAre(2));
  EXPECT_THAT(log, ElementsAre("caught boom at t=5ms"));
}

TEST(Gather, OfSeveralExceptionsTheFirstByArgumentOrderIsRethrown) {
  Loop loop({.seed = 5});
  std::vector<std::string> log;
  loop.Spawn(
      GatherCatching(loop, ThrowAfter(loop, 3ms, "first"), ThrowAfter(loop, 1ms, "second"), log));
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("caught first at t=3ms"));
}

// Sleeps, then cancels the task whose id `victim` holds by then.
Task<int> CancelSibling(Loop& loop, const TaskId& victim) {
  co_await loop.Sleep(1ms);
  loop.Cancel(victim);
  co_return 1;
}

Task<int> RecordIdThenSleep(Loop& loop, TaskId& id) {
  id = loop.current_task();
  co_await loop.Sleep(1h);
  co_return 2;
}

Task<> GatherWithACancelledChild(Loop& loop, TaskId& victim, std::vector<Result<int>>& out) {
  std::vector<Task<int>> tasks;
  tasks.push_back(CancelSibling(loop, victim));
  tasks.push_back(RecordIdThenSleep(loop, victim));
  out = co_await Gather(loop, std::move(tasks));
}

TEST(Gather, AChildCancelledByAnotherTaskGivesItsErrorInItsPlace) {
  Loop loop({.seed = 6});
  TaskId victim = 0;
  std::vector<Result<int>> out;
  loop.Spawn(GatherWithACancelledChild(loop, victim, out));
  ASSERT_TRUE(loop.Run().ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(*out[0], 1);
  EXPECT_TRUE(absl::IsCancelled(out[1].status())) << out[1].status();
  EXPECT_EQ(loop.Now(), Time(1ms));
}

Task<std::unique_ptr<int>> MakeOwned(Loop& loop, Duration nap, int value) {
  co_await loop.Sleep(nap);
  co_return std::make_unique<int>(value);
}

Task<> GatherOwned(Loop& loop, std::vector<int>& got) {
  auto [a, b] = co_await Gather(loop, MakeOwned(loop, 2ms, 1), MakeOwned(loop, 1ms, 2));
  std::vector<Task<std::unique_ptr<int>>> tasks;
  tasks.push_back(MakeOwned(loop, 1ms, 3));
  tasks.push_back(MakeOwned(loop, 0ms, 4));
  std::vector<Result<std::unique_ptr<int>>> rest = co_await Gather(loop, std::move(tasks));
  got = {**a, **b, *rest[0].value(), *rest[1].value()};
}

TEST(Gather, MoveOnlyResultsComeThroughBothForms) {
  Loop loop({.seed = 9});
  std::vector<int> got;
  loop.Spawn(GatherOwned(loop, got));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(got, ElementsAre(1, 2, 3, 4));
}

Task<int> SleepCounted(Loop& loop, Duration nap, [[maybe_unused]] Counted in_frame) {
  co_await loop.Sleep(nap);
  co_return 0;
}

Task<> GatherCounted(Loop& loop, Counts& counts, [[maybe_unused]] Counted in_frame) {
  std::vector<Task<int>> tasks;
  for (int i = 0; i < 3; ++i) tasks.push_back(SleepCounted(loop, 1h, Counted(counts)));
  (void)co_await Gather(loop, std::move(tasks));
}

TEST(Gather, CancellingTheAwaitingTaskCancelsEveryChild) {
  Counts counts;
  Loop loop({.seed = 7});
  TaskHandle<> parent = loop.Spawn(GatherCounted(loop, counts, Counted(counts)), "parent");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(loop.live_tasks(), 4u);
  EXPECT_EQ(counts.alive(), 4);
  EXPECT_TRUE(parent.Cancel());
  // Every frame is gone at once: the parent's, and each child's.
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(loop.live_tasks(), 0u);
  // And so are the children's timers: nothing is left to run.
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_EQ(loop.Now(), Time(1ms));
}

TEST(Gather, DestroyingTheLoopDuringAGatherDestroysEveryFrameOnce) {
  Counts counts;
  {
    Loop loop({.seed = 8});
    loop.Spawn(GatherCounted(loop, counts, Counted(counts)), "parent");
    ASSERT_TRUE(loop.RunFor(1ms).ok());
    EXPECT_EQ(counts.alive(), 4);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
