// Proves Future/Promise: single assignment, many awaiters woken in order,
// errors and exceptions, broken promises, and the set-twice check.
#include "loop/future.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

Task<> AwaitAndLog(Future<int> future, std::vector<std::string>& log, std::string name) {
  absl::StatusOr<int> value = co_await future;
  log.push_back(name + "=" + (value.ok() ? std::to_string(*value) : value.status().ToString()));
}

TEST(Future, EveryAwaiterWakesWithTheValueInTheOrderTheyCame) {
  TapeSource zeros({}, TapeSource::Mode::kStrict);
  Loop loop({.source = &zeros});
  Promise<int> promise(loop, "answer");
  std::vector<std::string> log;
  for (std::string name : {"a", "b", "c"}) loop.Spawn(AwaitAndLog(promise.future(), log, name));
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock) << "nobody sets it yet";
  promise.SetValue(42);
  EXPECT_TRUE(log.empty()) << "Set must not resume awaiters inline";
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"a=42", "b=42", "c=42"}));
}

TEST(Future, AReadyFutureDoesNotSuspend) {
  Loop loop;
  Promise<int> promise(loop);
  promise.SetValue(7);
  std::vector<std::string> log;
  loop.Spawn(AwaitAndLog(promise.future(), log, "x"));
  loop.Run();
  EXPECT_EQ(log, std::vector<std::string>{"x=7"});
  EXPECT_EQ(loop.steps(), 1u);
}

TEST(Future, ErrorsArriveAsTheResultStatus) {
  Loop loop;
  Promise<int> promise(loop);
  std::vector<std::string> log;
  loop.Spawn(AwaitAndLog(promise.future(), log, "x"));
  promise.SetError(absl::NotFoundError("no such key"));
  loop.Run();
  EXPECT_EQ(log, std::vector<std::string>{"x=NOT_FOUND: no such key"});
}

TEST(Future, ADestroyedUnsetPromiseBreaksItsFuture) {
  Loop loop;
  std::vector<std::string> log;
  {
    Promise<int> promise(loop, "reply");
    loop.Spawn(AwaitAndLog(promise.future(), log, "x"));
    ASSERT_EQ(loop.RunFor(1ms).outcome, RunOutcome::kDeadlock);
  }
  ASSERT_TRUE(loop.Run().ok());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr("ABORTED: broken promise: future #1 'reply'"));
}

TEST(Future, ExceptionsAreRethrownInEveryAwaiter) {
  Loop loop;
  Promise<int> promise(loop);
  auto awaiter = [](Future<int> future) -> Task<std::string> {
    try {
      (void)co_await future;
    } catch (const std::runtime_error& error) {
      co_return error.what();
    }
    co_return "no exception";
  };
  TaskHandle<std::string> a = loop.Spawn(awaiter(promise.future()));
  TaskHandle<std::string> b = loop.Spawn(awaiter(promise.future()));
  promise.SetException(std::make_exception_ptr(std::runtime_error("disk on fire")));
  loop.Run();
  EXPECT_EQ(a.result().value(), "disk on fire");
  EXPECT_EQ(b.result().value(), "disk on fire");
}

TEST(Future, VoidPromisesResolveWithOkStatus) {
  Loop loop;
  Promise<> done(loop);
  auto waiter = [](Future<> done) -> Task<absl::Status> { co_return co_await done; };
  TaskHandle<absl::Status> handle = loop.Spawn(waiter(done.future()));
  done.SetValue();
  loop.Run();
  EXPECT_TRUE(handle.result().ok());
}

TEST(Future, ResolvingIsTraced) {
  Loop loop({.trace = {.keep_all = true}});
  Promise<int> promise(loop, "reply");
  promise.SetValue(1);
  EXPECT_THAT(loop.FormatTrace(loop.trace().events()),
              HasSubstr("future 'reply' resolved with a value"));
}

TEST(Future, SettingAPromiseTwiceThrowsNamingBothPlaces) {
  Loop loop;
  Promise<int> promise(loop, "once");
  promise.SetValue(1);
  try {
    promise.SetValue(2);
    FAIL() << "no exception";
  } catch (const PromiseAlreadySet& error) {
    EXPECT_THAT(error.what(), ::testing::MatchesRegex(
                                  "future #1 'once' was resolved twice: first at "
                                  ".*future_test.cc:[0-9]+, again at .*future_test.cc:[0-9]+"));
  }
  EXPECT_EQ(promise.future().result().value(), 1) << "the first value stands";
}

}  // namespace
}  // namespace laplace
