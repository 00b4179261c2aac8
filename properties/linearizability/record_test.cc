// Proves Record captures both ends of Task and Future calls with their virtual times and reads
// kDeadlineExceeded as info and kUnavailable as fail, and that CheckLinearizable fails a run whose
// history is not linearizable with its own signature and the witness in the message.
#include "properties/linearizability/record.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "properties/linearizability/check_linearizable.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/models.h"
#include "properties/runner.h"
#include "properties/simulation.h"

namespace laplace::linearizability {
namespace {

using namespace std::chrono_literals;

// A register whose reads are served by a replica that learns of each write
// `lag` after it was acknowledged: a stale-read bug when lag > 0.
class LaggyRegister {
 public:
  LaggyRegister(Loop& loop, Duration lag) : loop_(loop), lag_(lag) {}

  Task<absl::Status> Write(int value) {
    co_await loop_.Sleep(1ms);
    if (lag_ == Duration::zero()) {
      replica_ = value;
    } else {
      loop_.Spawn(Propagate(value), "propagate");
    }
    co_return absl::OkStatus();
  }
  Task<absl::StatusOr<std::optional<int>>> Read() {
    co_await loop_.Sleep(1ms);
    co_return replica_;
  }

 private:
  Task<> Propagate(int value) {
    co_await loop_.Sleep(lag_);
    replica_ = value;
  }

  Loop& loop_;
  Duration lag_;
  std::optional<int> replica_;
};

Task<absl::Status> Fails(Loop& loop, absl::Status status) {
  co_await loop.Sleep(2ms);
  co_return status;
}

TEST(Record, RecordsBothEndsWithTheirTimesAndTheResultAsOutput) {
  Loop loop({.seed = 1});
  History history(loop);
  LaggyRegister store(loop, Duration::zero());
  auto client = [](LaggyRegister& store, History& history) -> Task<> {
    absl::Status wrote = co_await Record(history, {0, "write", 7}, store.Write(7));
    EXPECT_TRUE(wrote.ok());
    absl::StatusOr<std::optional<int>> read = co_await Record(history, {0, "read"}, store.Read());
    EXPECT_EQ(read.value(), 7);
  };
  loop.Spawn(client(store, history), "client");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(history.ToEdn(),
            "{:process 0, :type :invoke, :f :write, :value 7, :time 0}\n"
            "{:process 0, :type :ok, :f :write, :value nil, :time 1000000}\n"
            "{:process 0, :type :invoke, :f :read, :value nil, :time 1000000}\n"
            "{:process 0, :type :ok, :f :read, :value 7, :time 2000000}\n");
}

TEST(Record, ADeadlineExceededIsInfoAndUnavailableIsFail) {
  Loop loop({.seed = 1});
  History history(loop);
  auto client = [](Loop& loop, History& history) -> Task<> {
    (void)co_await Record(history, {0, "write", 1},
                          Fails(loop, absl::DeadlineExceededError("no reply")));
    (void)co_await Record(history, {0, "write", 2}, Fails(loop, absl::UnavailableError("refused")));
    (void)co_await Record(history, {0, "write", 3},
                          Fails(loop, absl::AbortedError("host crashed")));
  };
  loop.Spawn(client(loop, history), "client");
  ASSERT_TRUE(loop.Run().ok());
  absl::StatusOr<std::vector<Operation>> ops = history.Operations();
  ASSERT_TRUE(ops.ok());
  ASSERT_EQ(ops->size(), 3u);
  EXPECT_EQ((*ops)[0].outcome, Outcome::kInfo);
  EXPECT_EQ((*ops)[1].outcome, Outcome::kFail);
  EXPECT_EQ((*ops)[2].outcome, Outcome::kInfo);
}

TEST(Record, ACallWhoseTaskIsCancelledNeverCompletes) {
  Loop loop({.seed = 1});
  History history(loop);
  LaggyRegister store(loop, Duration::zero());
  auto client = [](LaggyRegister& store, History& history) -> Task<> {
    (void)co_await Record(history, {4, "write", 1}, store.Write(1));
  };
  TaskHandle<> handle = loop.Spawn(client(store, history), "client");
  loop.RunFor(500us);
  ASSERT_TRUE(handle.Cancel());
  (void)loop.Run();
  ASSERT_EQ(history.size(), 1u);
  absl::StatusOr<std::vector<Operation>> ops = history.Operations();
  ASSERT_TRUE(ops.ok());
  EXPECT_EQ((*ops)[0].completed, Operation::kNever);
  EXPECT_FALSE((*ops)[0].known());
}

TEST(Record, RecordsAFutureAndASpawnedTasksHandle) {
  Loop loop({.seed = 1});
  History history(loop);
  Promise<int> promise(loop);
  auto client = [](Loop& loop, History& history, Future<int> future) -> Task<> {
    absl::StatusOr<int> got = co_await Record(history, {1, "read"}, future);
    EXPECT_EQ(got.value(), 5);
    TaskHandle<absl::Status> spawned = loop.Spawn(Fails(loop, absl::OkStatus()), "write");
    absl::Status wrote = co_await Record(history, {1, "write", 6}, std::move(spawned));
    EXPECT_TRUE(wrote.ok());
  };
  loop.Spawn(client(loop, history, promise.future()), "client");
  loop.CallAt(Time() + 3ms, [&promise] { promise.SetValue(5); });
  ASSERT_TRUE(loop.Run().ok());
  absl::StatusOr<CheckResult> result = Check(history, RegisterModel{.initial = 5});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->verdict, Verdict::kLinearizable);
  EXPECT_EQ(history.events()[1].time, Time() + 3ms);
}

// Three clients write and read the register; returns the body of a run.
properties::Body Clients(Duration lag, CheckOptions options = {}) {
  return [lag, options](properties::Simulation& sim) {
    History history(sim.loop());
    LaggyRegister store(sim.loop(), lag);
    auto client = [](Loop& loop, LaggyRegister& store, History& history, Process me) -> Task<> {
      for (int i = 0; i < 3; ++i) {
        int value = static_cast<int>(me) * 10 + i;
        (void)co_await Record(history, {me, "write", value}, store.Write(value));
        co_await loop.Sleep(Duration(loop.Choose(3) * 1000000));
        (void)co_await Record(history, {me, "read"}, store.Read());
      }
    };
    for (Process p = 0; p < 3; ++p) sim.loop().Spawn(client(sim.loop(), store, history, p));
    sim.Run();
    CheckLinearizable(sim, history, RegisterModel{}, "register", options);
  };
}

TEST(CheckLinearizable, AStaleReadFailsTheRunWithItsSignatureAndTheWitness) {
  properties::RunReport report =
      properties::RunOnce(Clients(5ms), properties::TapeSpec::Seed(3), {});
  ASSERT_TRUE(report.failed());
  EXPECT_EQ(report.failure->signature(), "linearizability:register");
  const std::string& message = report.failure->message;
  EXPECT_NE(message.find("history 'register' is not linearizable: "), std::string::npos) << message;
  EXPECT_NE(message.find("cannot be placed after it: read -> "), std::string::npos) << message;
  EXPECT_NE(message.find("  process "), std::string::npos) << message;
}

TEST(CheckLinearizable, AnUpToDateReplicaPassesEverySeed) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    properties::RunReport report =
        properties::RunOnce(Clients(Duration::zero()), properties::TapeSpec::Seed(seed), {});
    EXPECT_FALSE(report.failed()) << report.failure->ToString();
  }
}

TEST(CheckLinearizable, ACheckTheBudgetStopsFailsAsUnknown) {
  properties::RunReport report =
      properties::RunOnce(Clients(5ms, {.states_max = 1}), properties::TapeSpec::Seed(3), {});
  ASSERT_TRUE(report.failed());
  EXPECT_EQ(report.failure->signature(), "linearizability-unknown:register");
  EXPECT_NE(report.failure->message.find("the state budget ran out"), std::string::npos);
}

}  // namespace
}  // namespace laplace::linearizability
