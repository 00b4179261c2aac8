// Proves what a Simulation checks and how each failure is named: invariants
// after every step, liveness, expectations on futures, assertions (ours and
// RapidCheck's), deadlocks, budgets, exceptions, and the end-of-run rules.
#include "properties/simulation.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/future.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/property.h"
#include "properties/runner.h"

namespace laplace::properties {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::optional<Failure> FailureOf(const Body& body, uint64_t seed = 0) {
  return RunOnce(body, TapeSpec::Seed(seed), {}).failure;
}

Task<> Count(Loop& loop, int& counter, int to) {
  while (counter < to) {
    ++counter;
    co_await loop.Sleep(1ms);
  }
}

TEST(Simulation, AnInvariantIsCheckedAfterEveryStepAndNamedByItsName) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    sim.AddInvariant("below-three", [counter] { return *counter < 3; });
    sim.loop().Spawn(Count(sim.loop(), *counter, 10));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "invariant:below-three");
  EXPECT_EQ(failure->time, Time(2ms)) << "caught at the step that broke it";
}

TEST(Simulation, AStatusInvariantExplainsTheViolation) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    sim.AddInvariantStatus("small", [counter] {
      return *counter < 2 ? absl::OkStatus() : absl::InternalError("counter reached 2");
    });
    sim.loop().Spawn(Count(sim.loop(), *counter, 5));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->message, "counter reached 2");
}

TEST(Simulation, EventuallyPassesWhenTheConditionComesTrueInTime) {
  EXPECT_FALSE(FailureOf([](Simulation& sim) {
                 auto counter = std::make_shared<int>(0);
                 sim.loop().Spawn(Count(sim.loop(), *counter, 5));
                 sim.Eventually(
                     "reaches-five", [counter] { return *counter == 5; }, 10ms);
                 sim.Run();
               }).has_value());
}

TEST(Simulation, EventuallyFailsAsLivenessAtTheDeadline) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    sim.loop().Spawn(Count(sim.loop(), *counter, 5));
    sim.Eventually(
        "reaches-nine", [counter] { return *counter == 9; }, 20ms);
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "liveness:reaches-nine");
  EXPECT_EQ(failure->time, Time(20ms));
}

TEST(Simulation, EventuallySaysWhatStateDidNotGetThere) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    sim.loop().Spawn(Count(sim.loop(), *counter, 5));
    sim.Eventually(
        "reaches-nine", [counter] { return *counter == 9; }, 20ms,
        [counter] { return "the counter is at " + std::to_string(*counter); });
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->message, "did not happen within 20ms: the counter is at 5");
}

TEST(Simulation, ASatisfiedEventuallyDoesNotKeepTheRunGoing) {
  RunReport report = RunOnce(
      [](Simulation& sim) {
        auto counter = std::make_shared<int>(0);
        sim.loop().Spawn(Count(sim.loop(), *counter, 3));
        sim.Eventually(
            "reaches-three", [counter] { return *counter == 3; }, 1h);
        sim.Run();
      },
      TapeSpec::Seed(0), {});
  EXPECT_FALSE(report.failed());
  EXPECT_EQ(report.end_time, Time(3ms)) << "not an hour: the deadline timer was cancelled";
}

TEST(Simulation, ARunThatEndsBeforeAnEventuallyDeadlineFailsIt) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    sim.Eventually(
        "never", [] { return false; }, 1h);
    (void)sim.RunFor(1ms);
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_THAT(failure->message, HasSubstr("before the deadline t=3600s"));
}

TEST(Simulation, AFailedRunIsReportedAsItStoodWhenItFailed) {
  RunReport report = RunOnce(
      [](Simulation& sim) {
        auto counter = std::make_shared<int>(0);
        sim.loop().Spawn(Count(sim.loop(), *counter, 3));
        sim.Run();
        Promise<int> dropped(sim.loop(), "dropped-after-the-failure");
        LAPLACE_ASSERT_EQ(*counter, 4);
      },
      TapeSpec::Seed(0), {});
  ASSERT_TRUE(report.failed());
  for (const std::string& line : report.trace) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("dropped-after-the-failure")));
  }
  EXPECT_THAT(report.trace.back(), HasSubstr("FAILURE"));
}

TEST(Simulation, ExpectResolvesWithinNamesTheFutureThatWasLate) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    Promise<int> never(sim.loop(), "reply");
    sim.ExpectResolvesWithin(never.future(), 5ms, "reply-in-time");
    sim.Run();
    sim.AllowBrokenPromises();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "liveness:reply-in-time");
  EXPECT_THAT(failure->message, HasSubstr("did not resolve within 5ms"));
}

TEST(Simulation, ExpectationsOnFuturesHoldOrFailByName) {
  auto scenario = [](bool reply_early) {
    return [reply_early](Simulation& sim) {
      auto request = std::make_shared<Promise<int>>(sim.loop(), "request");
      auto reply = std::make_shared<Promise<int>>(sim.loop(), "reply");
      sim.ExpectResolvesBefore(request->future(), reply->future(), "request-first");
      sim.ExpectResolvesTo(reply->future(), ValueMatches<int>(::testing::Gt(40)), "big-reply");
      sim.loop().CallLater(reply_early ? 1ms : 3ms, [reply] { reply->SetValue(42); });
      sim.loop().CallLater(2ms, [request] { request->SetValue(1); });
      sim.Run();
    };
  };
  EXPECT_FALSE(FailureOf(scenario(false)).has_value());
  std::optional<Failure> failure = FailureOf(scenario(true));
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "expectation:request-first");
}

TEST(Simulation, ExpectResolvesToRejectsTheWrongValue) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto reply = std::make_shared<Promise<int>>(sim.loop(), "reply");
    sim.ExpectResolvesTo(reply->future(), ValueMatches<int>(::testing::Eq(7)), "seven");
    sim.loop().CallLater(1ms, [reply] { reply->SetValue(6); });
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "expectation:seven");
}

TEST(Simulation, ExpectNeverResolvesCatchesAResolution) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto cancelled = std::make_shared<Promise<>>(sim.loop());
    sim.ExpectNeverResolves(cancelled->future(), "never");
    sim.loop().CallLater(1ms, [cancelled] { cancelled->SetValue(); });
    auto counter = std::make_shared<int>(0);
    sim.loop().Spawn(Count(sim.loop(), *counter, 3));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "expectation:never");
}

TEST(Simulation, AnUnnamedExpectationIsNamedByItsFileAndLine) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto done = std::make_shared<Promise<>>(sim.loop());
    sim.ExpectNeverResolves(done->future());
    done->SetValue();
    auto counter = std::make_shared<int>(0);  // outlives the run that Count takes a step in
    sim.loop().Spawn(Count(sim.loop(), *counter, 1));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_THAT(failure->site, HasSubstr("properties/simulation_test.cc:"));
}

TEST(Simulation, AnInvariantThatThrowsIsThatInvariantsFailure) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    sim.AddInvariant("lookup-succeeds", [counter]() -> bool {
      if (*counter == 2) throw std::out_of_range("no entry 2");
      return true;
    });
    sim.loop().Spawn(Count(sim.loop(), *counter, 5));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "invariant:lookup-succeeds");
  EXPECT_THAT(failure->message, HasSubstr("the invariant threw std::out_of_range: no entry 2"));
}

TEST(Simulation, ADeadlockIsAFailure) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto never = std::make_shared<Promise<int>>(sim.loop(), "never");
    auto waiter = [](Future<int> future) -> Task<> { (void)co_await future; };
    sim.loop().Spawn(waiter(never->future()), "stuck");
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->kind, kDeadlock);
  EXPECT_THAT(failure->message, HasSubstr("'stuck' waits on future #1 'never'"));
  // A deadlock has no site to quote.
  EXPECT_THAT(failure->ToString(), ::testing::StartsWith("deadlock at t=0 (step 1): "));
  EXPECT_THAT(failure->ToString(), ::testing::Not(HasSubstr("''")));
}

Task<> SpinForever() {
  volatile bool forever = true;
  while (forever) {
  }
  co_return;
}

TEST(SimulationDeathTest, TheWatchdogNamesTheRunningTaskByIdAndLabel) {
  EXPECT_EXIT(
      RunOnce(
          [](Simulation& sim) {
            sim.loop().Spawn(SpinForever(), "spinner");
            sim.Run();
          },
          TapeSpec::Seed(0), {.watchdog = std::chrono::seconds(1), .reproduce_hint = "hint"}),
      ::testing::ExitedWithCode(3), "the running task was #1 'spinner'");
}

TEST(Simulation, AnExceptionEscapingATaskIsNamedByItsType) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto thrower = [](Loop& loop) -> Task<> {
      co_await loop.Sleep(1ms);
      throw std::out_of_range("index 9");
    };
    sim.loop().Spawn(thrower(sim.loop()));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->signature(), "exception:std::out_of_range");
}

TEST(Simulation, RapidChecksAssertionsInTasksAreNamedByTheirSite) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto checker = [](Loop& loop) -> Task<> {
      co_await loop.Sleep(1ms);
      RC_ASSERT(1 + 1 == 3);
    };
    sim.loop().Spawn(checker(sim.loop()));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->kind, kAssertion);
  EXPECT_THAT(failure->site, HasSubstr("properties/simulation_test.cc:"));
}

TEST(Simulation, RapidChecksPreconditionInATaskDiscardsTheCase) {
  RunReport report = RunOnce(
      [](Simulation& sim) {
        auto picky = [](Loop& loop) -> Task<> {
          co_await loop.Sleep(1ms);
          RC_PRE(false);
        };
        sim.loop().Spawn(picky(sim.loop()));
        sim.Run();
      },
      TapeSpec::Seed(0), {});
  EXPECT_TRUE(report.discarded);
  EXPECT_FALSE(report.failed());
}

TEST(Simulation, RapidChecksAssertionInATaskKeepsItsOwnMessage) {
  std::optional<Failure> failure = FailureOf([](Simulation& sim) {
    auto checker = [](Loop& loop) -> Task<> {
      co_await loop.Sleep(1ms);
      RC_ASSERT(2 + 2 == 5);
    };
    sim.loop().Spawn(checker(sim.loop()));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_THAT(failure->message, HasSubstr("RC_ASSERT(2 + 2 == 5)"));
}

Task<> SetIfUnset(Loop& loop, Promise<int>& promise, int value) {
  if (promise.done()) co_return;
  co_await loop.Yield();  // the race: check, then act
  promise.SetValue(value);
}

TEST(Simulation, APromiseSetTwiceByARaceIsAFailureNotACrash) {
  bool found = false;
  for (uint64_t seed = 0; seed < 50 && !found; ++seed) {
    std::optional<Failure> failure = FailureOf(
        [](Simulation& sim) {
          auto promise = std::make_shared<Promise<int>>(sim.loop(), "answer");
          sim.loop().Spawn(SetIfUnset(sim.loop(), *promise, 1));
          sim.loop().Spawn(SetIfUnset(sim.loop(), *promise, 2));
          sim.Run();
        },
        seed);
    if (!failure.has_value()) continue;
    found = true;
    EXPECT_EQ(failure->signature(), "exception:laplace::PromiseAlreadySet");
    EXPECT_THAT(failure->message, HasSubstr("future #1 'answer' was resolved twice"));
  }
  EXPECT_TRUE(found);
}

TEST(Simulation, LaplaceAssertStopsTheTaskAndTheRun) {
  auto after = std::make_shared<bool>(false);
  std::optional<Failure> failure = FailureOf([after](Simulation& sim) {
    auto checker = [](Loop& loop, bool& after) -> Task<> {
      co_await loop.Sleep(1ms);
      LAPLACE_ASSERT_EQ(2 + 2, 5) << "arithmetic";
      after = true;
    };
    sim.loop().Spawn(checker(sim.loop(), *after));
    sim.Run();
  });
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->kind, kAssertion);
  EXPECT_THAT(failure->message, HasSubstr("left is 4, right is 5: arithmetic"));
  EXPECT_FALSE(*after);
}

TEST(Simulation, ExhaustedBudgetsAreFailures) {
  RunOptions options;
  options.loop.steps_max = 50;
  RunReport report = RunOnce(
      [](Simulation& sim) {
        auto spinner = [](Loop& loop) -> Task<> {
          while (true) co_await loop.Sleep(1ms);
        };
        sim.loop().Spawn(spinner(sim.loop()));
        sim.Run();
      },
      TapeSpec::Seed(0), options);
  ASSERT_TRUE(report.failed());
  EXPECT_EQ(report.failure->signature(), "budget:step budget exhausted");
}

TEST(Simulation, UnfinishedTasksAndBrokenPromisesFailUnlessAllowed) {
  auto leave_work = [](bool allow) {
    return [allow](Simulation& sim) {
      auto never = std::make_shared<Promise<int>>(sim.loop());
      auto waiter = [](Future<int> future) -> Task<> { (void)co_await future; };
      sim.loop().Spawn(waiter(never->future()));
      if (allow) {
        sim.AllowUnfinishedTasks();
        sim.AllowBrokenPromises();  // `never` dies with the body
      }
      (void)sim.RunFor(1ms);
    };
  };
  std::optional<Failure> failure = FailureOf(leave_work(false));
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->kind, kDeadlock) << "RunFor sees the deadlock";
  EXPECT_FALSE(FailureOf(leave_work(true)).has_value());

  std::optional<Failure> broken = FailureOf([](Simulation& sim) {
    { Promise<int> dropped(sim.loop()); }
    sim.Run();
  });
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(broken->signature(), "unfinished:promises");
}

}  // namespace
}  // namespace laplace::properties
