// Proves WhenAny: the first finisher wins, ties go low, losers die first, a throw is rethrown.
#include "loop/when_any.h"

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// Appends "<name> cleaned up" to a log when destroyed: a child's RAII resource.
class CleanUp {
 public:
  CleanUp(std::string name, std::vector<std::string>& log) : name_(std::move(name)), log_(&log) {}
  CleanUp(const CleanUp&) = delete;
  CleanUp& operator=(const CleanUp&) = delete;
  ~CleanUp() { log_->push_back(name_ + " cleaned up"); }

 private:
  std::string name_;
  std::vector<std::string>* log_;
};

Task<std::string> Racer(Loop& loop, std::string name, Duration nap, std::vector<std::string>& log) {
  CleanUp clean_up(name, log);
  co_await loop.Sleep(nap);
  co_return name;
}

Task<> Race(Loop& loop, std::vector<std::string>& log) {
  AnyResult<std::string> first =
      co_await WhenAny(loop, Racer(loop, "slow", 3ms, log), Racer(loop, "fast", 1ms, log),
                       Racer(loop, "middle", 2ms, log));
  log.push_back("winner " + std::to_string(first.index) + " " + first.result.value() + " at " +
                FormatTime(loop.Now()) + " with " + std::to_string(loop.live_tasks()) +
                " task(s) alive");
}

TEST(WhenAny, TheFirstToFinishWinsAndTheLosersAreGoneBeforeTheAwaiterResumes) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Loop loop({.seed = seed});
    std::vector<std::string> log;
    loop.Spawn(Race(loop, log), "race");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[0], "fast cleaned up");
    // The losers were cancelled (newest first) before WhenAny returned; only the awaiting task
    // itself is still alive when it resumes.
    EXPECT_THAT(std::vector<std::string>(log.begin() + 1, log.begin() + 3),
                UnorderedElementsAre("slow cleaned up", "middle cleaned up"));
    EXPECT_EQ(log[3], "winner 1 fast at t=1ms with 1 task(s) alive");
    // The losers' timers went with them.
    EXPECT_EQ(loop.Now(), Time(1ms));
  }
}

struct Identity {
  TaskId id = 0;
  std::string label;
};

Task<int> RecordIdentity(Loop& loop, Identity& out, Duration nap) {
  out.id = loop.current_task();
  out.label = std::string(loop.label(out.id));
  co_await loop.Sleep(nap);
  co_return 0;
}

Task<> RaceIdentities(Loop& loop, std::vector<Identity>& children) {
  std::vector<Task<int>> tasks;
  for (size_t i = 0; i < children.size(); ++i) {
    tasks.push_back(RecordIdentity(loop, children[i], Duration(1ms) * (i + 1)));
  }
  (void)co_await WhenAny(loop, std::move(tasks));
}

TEST(WhenAny, ChildrenAreSeparateTasksLabelledAfterTheirParent) {
  Loop loop({.seed = 2});
  std::vector<Identity> children(3);
  TaskHandle<> parent = loop.Spawn(RaceIdentities(loop, children), "parent");
  ASSERT_TRUE(loop.Run().ok());
  std::set<TaskId> ids = {parent.id()};
  for (size_t i = 0; i < children.size(); ++i) {
    ids.insert(children[i].id);
    EXPECT_EQ(children[i].label, "parent/when_any[" + std::to_string(i) + "]");
  }
  EXPECT_EQ(ids.size(), 4u);
}

Task<int> FinishAt(Loop& loop, std::vector<Duration> naps, int value, std::vector<int>& finished) {
  for (Duration nap : naps) co_await loop.Sleep(nap);
  finished.push_back(value);
  co_return value;
}

Task<> RaceTie(Loop& loop, std::vector<int>& finished, AnyResult<int>& out) {
  // Both finish at t=5ms. Child 1's timer was set first, so with an all-zero tape it fires, runs
  // and finishes first; child 0 finishes next, before the awaiting task runs.
  // The naps are named locals: g++ 12 rejects a braced list for a std::vector parameter inside
  // a co_await expression ("error: array used as initializer").
  std::vector<Duration> two_naps = {1ms, 4ms};
  std::vector<Duration> one_nap = {5ms};
  out = co_await WhenAny(loop, FinishAt(loop, two_naps, 0, finished),
                         FinishAt(loop, one_nap, 1, finished));
}

TEST(WhenAny, ChildrenThatFinishedBeforeTheAwaiterRanTieToTheLowestIndex) {
  TapeSource zeros({}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  std::vector<int> finished;
  AnyResult<int> out{.index = 99, .result = absl::UnknownError("unset")};
  loop.Spawn(RaceTie(loop, finished, out));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(finished, ElementsAre(1, 0));  // child 1 really finished first
  EXPECT_EQ(out.index, 0u);
  EXPECT_EQ(*out.result, 0);
}

Task<int> FinishAndFlag(Loop& loop, size_t index, std::vector<bool>& finished) {
  co_await loop.Sleep(1ms);
  finished[index] = true;
  co_return static_cast<int>(index);
}

Task<> RaceEqualsAndCheck(Loop& loop, std::vector<bool>& finished, std::vector<size_t>& winners) {
  std::vector<Task<int>> tasks;
  for (size_t i = 0; i < finished.size(); ++i) tasks.push_back(FinishAndFlag(loop, i, finished));
  AnyResult<int> any = co_await WhenAny(loop, std::move(tasks));
  // The winner finished, and no child of a lower index had finished by now.
  EXPECT_TRUE(finished[any.index]);
  for (size_t i = 0; i < any.index; ++i) EXPECT_FALSE(finished[i]) << i;
  EXPECT_EQ(*any.result, static_cast<int>(any.index));
  winners.push_back(any.index);
}

TEST(WhenAny, TheWinnerIsTheLowestIndexAmongThoseFinishedWhateverTheSchedule) {
  std::set<size_t> distinct;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Loop loop({.seed = seed});
    std::vector<bool> finished(4, false);
    std::vector<size_t> winners;
    loop.Spawn(RaceEqualsAndCheck(loop, finished, winners));
    ASSERT_TRUE(loop.Run().ok()) << "seed " << seed;
    ASSERT_EQ(winners.size(), 1u);
    distinct.insert(winners[0]);
  }
  // The schedule varied who finished first, so the property was checked in more than one case.
  EXPECT_GE(distinct.size(), 2u);
}

Task<std::string> Thrower(Loop& loop, Duration nap, std::vector<std::string>& log) {
  CleanUp clean_up("thrower", log);
  co_await loop.Sleep(nap);
  throw std::runtime_error("boom");
}

Task<> RaceWithAThrower(Loop& loop, std::vector<std::string>& log) {
  try {
    (void)co_await WhenAny(loop, Racer(loop, "sleeper", 5ms, log), Thrower(loop, 1ms, log));
    log.push_back("no exception");
  } catch (const std::runtime_error& error) {
    log.push_back(std::string("caught ") + error.what() + " at " + FormatTime(loop.Now()));
  }
}

TEST(WhenAny, AWinnerThatThrewIsRethrownAndTheLosersAreStillCancelled) {
  Loop loop({.seed = 3});
  std::vector<std::string> log;
  loop.Spawn(RaceWithAThrower(loop, log));
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("thrower cleaned up", "sleeper cleaned up", "caught boom at t=1ms"));
  EXPECT_EQ(loop.Now(), Time(1ms));
}

Task<std::unique_ptr<int>> MakeOwned(Loop& loop, Duration nap, int value) {
  co_await loop.Sleep(nap);
  co_return std::make_unique<int>(value);
}

Task<> RaceOwned(Loop& loop, std::vector<int>& got) {
  AnyResult<std::unique_ptr<int>> first =
      co_await WhenAny(loop, MakeOwned(loop, 2ms, 1), MakeOwned(loop, 1ms, 2));
  got = {static_cast<int>(first.index), **first.result};
}

TEST(WhenAny, AMoveOnlyResultComesThrough) {
  Loop loop({.seed = 6});
  std::vector<int> got;
  loop.Spawn(RaceOwned(loop, got));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(got, ElementsAre(1, 2));
}

Task<> RaceForever(Loop& loop, std::vector<std::string>& log) {
  CleanUp clean_up("parent", log);
  (void)co_await WhenAny(loop, Racer(loop, "a", 1h, log), Racer(loop, "b", 2h, log));
  log.push_back("parent resumed");
}

TEST(WhenAny, CancellingTheAwaitingTaskCancelsEveryChild) {
  Loop loop({.seed = 4});
  std::vector<std::string> log;
  TaskHandle<> parent = loop.Spawn(RaceForever(loop, log), "parent");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(loop.live_tasks(), 3u);
  EXPECT_TRUE(parent.Cancel());
  EXPECT_EQ(loop.live_tasks(), 0u);
  EXPECT_THAT(log, UnorderedElementsAre("parent cleaned up", "a cleaned up", "b cleaned up"));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.Now(), Time(1ms));
}

TEST(WhenAny, DestroyingTheLoopDuringAWhenAnyDestroysEveryFrameOnce) {
  std::vector<std::string> log;
  {
    Loop loop({.seed = 5});
    loop.Spawn(RaceForever(loop, log), "parent");
    ASSERT_TRUE(loop.RunFor(1ms).ok());
    EXPECT_TRUE(log.empty());
  }
  EXPECT_THAT(log, UnorderedElementsAre("parent cleaned up", "a cleaned up", "b cleaned up"));
}

}  // namespace
}  // namespace laplace
