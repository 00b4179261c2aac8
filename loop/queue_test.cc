// Proves Queue's FIFO, blocking, hand-off, closing and cancellation contract: no item lost.
#include "loop/queue.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::laplace::testing::Counted;
using ::laplace::testing::Counts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Task<> PutAll(Loop& loop, Queue<int>& queue, int first, int count, std::vector<std::string>& log) {
  for (int i = first; i < first + count; ++i) {
    absl::Status status = co_await queue.Put(i);
    log.push_back("put " + std::to_string(i) + " at " + FormatTime(loop.Now()) +
                  (status.ok() ? "" : ": " + std::string(absl::StatusCodeToString(status.code()))));
  }
}

Task<> GetN(Loop& loop, Queue<int>& queue, int count, Duration pause, std::vector<int>& got) {
  for (int i = 0; i < count; ++i) {
    co_await loop.Sleep(pause);
    absl::StatusOr<int> item = co_await queue.Get();
    got.push_back(item.ok() ? *item : -1);
  }
}

TEST(Queue, ItemsComeOutInTheOrderTheyWentIn) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Loop loop({.seed = seed});
    Queue<int> queue(loop, 3);
    std::vector<std::string> log;
    std::vector<int> got;
    loop.Spawn(PutAll(loop, queue, 0, 50, log));
    loop.Spawn(GetN(loop, queue, 50, 0ms, got));
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    std::vector<int> expected(50);
    for (int i = 0; i < 50; ++i) expected[i] = i;
    EXPECT_EQ(got, expected) << "seed " << seed;
    EXPECT_EQ(queue.size(), 0u);
  }
}

TEST(Queue, PutBlocksWhenFullUntilAGet) {
  Loop loop({.seed = 1});
  Queue<int> queue(loop, 2);
  std::vector<std::string> log;
  std::vector<int> got;
  loop.Spawn(PutAll(loop, queue, 1, 3, log), "producer");
  loop.Spawn(GetN(loop, queue, 1, 5ms, got), "consumer");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_THAT(log, ElementsAre("put 1 at t=0", "put 2 at t=0"));
  EXPECT_EQ(queue.size(), 2u);
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("put 1 at t=0", "put 2 at t=0", "put 3 at t=5ms"));
  EXPECT_THAT(got, ElementsAre(1));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(*queue.TryGet(), 2);
  EXPECT_EQ(*queue.TryGet(), 3);
}

TEST(Queue, ABlockedPutterIsReportedAsWaitingToPut) {
  Loop loop;
  Queue<int> queue(loop, 1, "inbox");
  std::vector<std::string> log;
  loop.Spawn(PutAll(loop, queue, 1, 2, log), "producer");
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock);
  ASSERT_EQ(result.blocked.size(), 1u);
  EXPECT_EQ(result.blocked[0].label, "producer");
  EXPECT_THAT(result.blocked[0].waiting_on, HasSubstr("queue #"));
  EXPECT_THAT(result.blocked[0].waiting_on, HasSubstr("'inbox' (1/1 items)"));
  // The queue's own description must not claim that the putter waits for a get.
  EXPECT_THAT(queue.Describe(), Not(HasSubstr("queue get")));
}

Task<> GetAndLog(Loop& loop, Queue<int>& queue, std::string name, std::vector<std::string>& log) {
  absl::StatusOr<int> item = co_await queue.Get();
  log.push_back(name +
                (item.ok()
                     ? " got " + std::to_string(*item)
                     : " failed: " + std::string(absl::StatusCodeToString(item.status().code()))) +
                " at " + FormatTime(loop.Now()));
}

Task<> PutLater(Loop& loop, Queue<int>& queue, Duration delay, int item) {
  co_await loop.Sleep(delay);
  absl::Status status = co_await queue.Put(item);
  EXPECT_TRUE(status.ok()) << status;
}

TEST(Queue, GetBlocksWhenEmptyUntilAPut) {
  Loop loop({.seed = 2});
  Queue<int> queue(loop, 4);
  std::vector<std::string> log;
  loop.Spawn(GetAndLog(loop, queue, "consumer", log));
  loop.Spawn(PutLater(loop, queue, 3ms, 7));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("consumer got 7 at t=3ms"));
}

TEST(Queue, AnItemPutWhileGettersWaitGoesStraightToTheOldestGetter) {
  Loop loop({.seed = 3});
  Queue<int> queue(loop, 4);
  std::vector<std::string> log;
  loop.Spawn(GetAndLog(loop, queue, "first", log));
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // waiting, nothing else to do
  loop.Spawn(GetAndLog(loop, queue, "second", log));
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  ASSERT_TRUE(queue.TryPut(10).ok());
  // Handed over, not queued: nobody else can take it now.
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_TRUE(absl::IsUnavailable(queue.TryGet().status()));
  ASSERT_TRUE(queue.TryPut(20).ok());
  EXPECT_EQ(queue.size(), 0u);
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ::testing::UnorderedElementsAre("first got 10 at t=0", "second got 20 at t=0"));
}

TEST(Queue, CloseFailsPutsAndLetsGetsDrainThenEnd) {
  Loop loop({.seed = 4});
  Queue<int> queue(loop, 4, "q");
  ASSERT_TRUE(queue.TryPut(1).ok());
  ASSERT_TRUE(queue.TryPut(2).ok());
  queue.Close();
  queue.Close();  // idempotent
  EXPECT_TRUE(queue.closed());
  EXPECT_TRUE(absl::IsFailedPrecondition(queue.TryPut(3)));
  std::vector<std::string> log;
  loop.Spawn(PutAll(loop, queue, 3, 1, log));
  ASSERT_TRUE(loop.Run().ok());
  for (std::string name : {"a", "b", "c"}) {
    loop.Spawn(GetAndLog(loop, queue, name, log));
    ASSERT_TRUE(loop.Run().ok());
  }
  EXPECT_THAT(log, ElementsAre("put 3 at t=0: FAILED_PRECONDITION", "a got 1 at t=0",
                               "b got 2 at t=0", "c failed: OUT_OF_RANGE at t=0"));
  EXPECT_TRUE(absl::IsOutOfRange(queue.TryGet().status()));
}

TEST(Queue, CloseWakesWaitingGettersWithOutOfRange) {
  Loop loop({.seed = 5});
  Queue<int> queue(loop, 4);
  std::vector<std::string> log;
  loop.Spawn(GetAndLog(loop, queue, "a", log));
  loop.Spawn(GetAndLog(loop, queue, "b", log));
  loop.CallAt(Time(2ms), [&queue] { queue.Close(); });
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ::testing::UnorderedElementsAre("a failed: OUT_OF_RANGE at t=2ms",
                                                   "b failed: OUT_OF_RANGE at t=2ms"));
}

TEST(Queue, CloseWakesWaitingPuttersWithFailedPreconditionAndDropsTheirItems) {
  Loop loop({.seed = 6});
  Queue<int> queue(loop, 1);
  std::vector<std::string> log;
  loop.Spawn(PutAll(loop, queue, 1, 2, log));  // 1 fits, 2 waits
  loop.CallAt(Time(2ms), [&queue] { queue.Close(); });
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("put 1 at t=0", "put 2 at t=2ms: FAILED_PRECONDITION"));
  EXPECT_EQ(*queue.TryGet(), 1);
  EXPECT_TRUE(absl::IsOutOfRange(queue.TryGet().status()));
}

TEST(Queue, TryPutAndTryGetSayWhyTheyCannot) {
  Loop loop;
  Queue<int> queue(loop, 2, "q");
  EXPECT_TRUE(absl::IsUnavailable(queue.TryGet().status()));
  EXPECT_TRUE(queue.TryPut(1).ok());
  EXPECT_TRUE(queue.TryPut(2).ok());
  absl::Status full = queue.TryPut(3);
  EXPECT_TRUE(absl::IsResourceExhausted(full)) << full;
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(*queue.TryGet(), 1);
  EXPECT_TRUE(queue.TryPut(3).ok());
  queue.Close();
  EXPECT_TRUE(absl::IsFailedPrecondition(queue.TryPut(4)));
  EXPECT_EQ(*queue.TryGet(), 2);
  EXPECT_EQ(*queue.TryGet(), 3);
  EXPECT_TRUE(absl::IsOutOfRange(queue.TryGet().status()));
}

TEST(Queue, DescribeShowsFillAndClosing) {
  Loop loop;
  Queue<int> queue(loop, 8, "inbox");
  ASSERT_TRUE(queue.TryPut(1).ok());
  EXPECT_THAT(queue.Describe(), HasSubstr("'inbox' (1/8 items)"));
  queue.Close();
  EXPECT_THAT(queue.Describe(), HasSubstr("'inbox' (1/8 items, closed)"));
}

// Puts one item and, before the getter it was handed to can run, cancels that getter.
Task<> PutThenCancelTheGetter(Loop& loop, Queue<int>& queue, const TaskId& getter, int item,
                              std::vector<std::string>& log) {
  co_await loop.Sleep(1ms);
  absl::Status status = co_await queue.Put(item);
  log.push_back(status.ok() && queue.size() == 0 ? "handed over" : "queued");
  loop.Cancel(getter);
}

TEST(Queue, AGetterCancelledAfterBeingHandedAnItemGivesItBack) {
  for (bool another_getter : {true, false}) {
    Loop loop({.seed = 7});
    Queue<int> queue(loop, 4);
    std::vector<std::string> log;
    TaskId victim_id = 0;
    TaskHandle<> victim = loop.Spawn(GetAndLog(loop, queue, "victim", log), "victim");
    victim_id = victim.id();
    loop.Spawn(PutThenCancelTheGetter(loop, queue, victim_id, 42, log), "producer");
    ASSERT_TRUE(loop.RunFor(0ms).ok());  // the victim waits first
    if (another_getter) loop.Spawn(GetAndLog(loop, queue, "next", log), "next");
    ASSERT_TRUE(loop.Run().ok());
    EXPECT_TRUE(absl::IsCancelled(victim.result()));
    if (another_getter) {
      EXPECT_THAT(log, ElementsAre("handed over", "next got 42 at t=1ms"));
      EXPECT_EQ(queue.size(), 0u);
    } else {
      EXPECT_THAT(log, ElementsAre("handed over"));
      EXPECT_EQ(*queue.TryGet(), 42);
    }
  }
}

// After a restored item, the queue may briefly hold one more than its capacity (the item must go
// somewhere), but the next Get must not refill it from a waiting putter past the capacity.
TEST(Queue, ARestoredItemDoesNotKeepTheQueueOverCapacity) {
  Loop loop({.seed = 8});
  Queue<int> queue(loop, 1);
  std::vector<std::string> log;
  TaskHandle<> victim = loop.Spawn(GetAndLog(loop, queue, "victim", log), "victim");
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // the victim waits
  ASSERT_TRUE(queue.TryPut(1).ok());                     // handed to the victim
  ASSERT_TRUE(queue.TryPut(2).ok());                     // fills the queue
  victim.Cancel();                                       // 1 comes back, to the front
  EXPECT_EQ(queue.size(), 2u);
  loop.Spawn(PutAll(loop, queue, 3, 2, log), "producer");
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // 3 waits for room
  std::vector<int> got;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<int> item = queue.TryGet();
    ASSERT_TRUE(item.ok()) << item.status();
    got.push_back(*item);
    EXPECT_LE(queue.size(), queue.capacity()) << "after getting " << *item;
    (void)loop.Run();
  }
  EXPECT_THAT(got, ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(log, ElementsAre("put 3 at t=0", "put 4 at t=0"));
}

TEST(Queue, CancellingABlockedPutterMeansItsItemNeverAppears) {
  Loop loop({.seed = 9});
  Queue<int> queue(loop, 1);
  std::vector<std::string> log;
  ASSERT_TRUE(queue.TryPut(1).ok());
  TaskHandle<> putter = loop.Spawn(PutAll(loop, queue, 2, 1, log));
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // 2 waits for room
  EXPECT_TRUE(putter.Cancel());
  EXPECT_EQ(*queue.TryGet(), 1);
  EXPECT_TRUE(absl::IsUnavailable(queue.TryGet().status()));
  queue.Close();
  EXPECT_TRUE(absl::IsOutOfRange(queue.TryGet().status()));
  EXPECT_TRUE(log.empty());
}

// A consumer that keeps getting until the queue ends; what it got counts only once Get returned
// in this task.
Task<> Consume(Loop& loop, Queue<int>& queue, std::vector<int>& received) {
  while (true) {
    absl::StatusOr<int> item = co_await queue.Get();
    if (!item.ok()) co_return;
    received.push_back(*item);
    co_await loop.Sleep(Duration(loop.Choose(3, ChoiceKind::kDelay)));
  }
}

Task<> Produce(Loop& loop, Queue<int>& queue, int first, int count) {
  for (int i = first; i < first + count; ++i) {
    absl::Status status = co_await queue.Put(i);
    EXPECT_TRUE(status.ok()) << status;
    co_await loop.Sleep(Duration(loop.Choose(3, ChoiceKind::kDelay)));
  }
}

// Cancels a random consumer now and then (one that may hold a handed-over item it never ran
// with) and starts a fresh one, then closes the queue once the producers are done.
Task<> Chaos(Loop& loop, Queue<int>& queue, std::vector<TaskHandle<>>& consumers,
             std::vector<TaskHandle<>> producers, std::vector<int>& received) {
  for (int round = 0; round < 40; ++round) {
    co_await loop.Sleep(Duration(1 + loop.Choose(2, ChoiceKind::kDelay)));
    size_t victim = loop.Choose(consumers.size(), ChoiceKind::kDraw);
    consumers[victim].Cancel();
    consumers[victim] = loop.Spawn(Consume(loop, queue, received), "consumer");
  }
  for (TaskHandle<>& producer : producers) (void)co_await producer;
  queue.Close();
}

TEST(Queue, NoItemIsLostOrDuplicatedWhileConsumersAreCancelled) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    Loop loop({.seed = seed});
    Queue<int> queue(loop, 2);
    std::vector<int> received;
    std::vector<TaskHandle<>> producers;
    std::vector<TaskHandle<>> consumers;
    for (int p = 0; p < 3; ++p) producers.push_back(loop.Spawn(Produce(loop, queue, p * 100, 40)));
    for (int c = 0; c < 3; ++c) consumers.push_back(loop.Spawn(Consume(loop, queue, received)));
    loop.Spawn(Chaos(loop, queue, consumers, producers, received), "chaos");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
    std::sort(received.begin(), received.end());
    std::vector<int> expected;
    for (int p = 0; p < 3; ++p) {
      for (int i = 0; i < 40; ++i) expected.push_back(p * 100 + i);
    }
    EXPECT_EQ(received, expected) << "seed " << seed;
  }
}

Task<> LockedProducer(Loop& loop, Queue<int>& queue, Lock& lock, int& produced, int first) {
  for (int i = first; i < first + 10; ++i) {
    {
      LockGuard guard = co_await lock.Acquire();
      ++produced;
      co_await loop.Yield();  // a scheduling point while holding the lock
    }
    absl::Status status = co_await queue.Put(i);
    EXPECT_TRUE(status.ok()) << status;
    co_await loop.Sleep(Duration(loop.Choose(3, ChoiceKind::kDelay)) * 1000);
  }
}

Task<> LockedConsumer(Loop& loop, Queue<int>& queue, Lock& lock, int& total) {
  while (true) {
    absl::StatusOr<int> item = co_await queue.Get();
    if (!item.ok()) co_return;
    LockGuard guard = co_await lock.Acquire();
    total += *item;
    co_await loop.Yield();
  }
}

Task<> CloseAfter(Queue<int>& queue, std::vector<TaskHandle<>> producers) {
  for (TaskHandle<>& producer : producers) (void)co_await producer;
  queue.Close();
}

// Three producers and two consumers on a small queue, sharing a lock; returns the trace digest.
uint64_t RunLockedWorkload(uint64_t seed) {
  Loop loop({.seed = seed});
  Queue<int> queue(loop, 2, "work");
  Lock lock(loop, "stats");
  int produced = 0;
  int total = 0;
  std::vector<TaskHandle<>> producers;
  for (int p = 0; p < 3; ++p) {
    producers.push_back(loop.Spawn(LockedProducer(loop, queue, lock, produced, p * 100),
                                   "producer-" + std::to_string(p)));
  }
  for (int c = 0; c < 2; ++c) {
    loop.Spawn(LockedConsumer(loop, queue, lock, total), "consumer-" + std::to_string(c));
  }
  loop.Spawn(CloseAfter(queue, producers), "closer");
  RunResult result = loop.Run();
  EXPECT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
  EXPECT_EQ(produced, 30);
  EXPECT_EQ(total, 3 * 45 + 10 * (0 + 100 + 200));
  return loop.digest();
}

TEST(Queue, AWorkloadWithALockGivesTheSameDigestForTheSameSeedAndVariesAcrossSeeds) {
  std::set<uint64_t> digests;
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    uint64_t digest = RunLockedWorkload(seed);
    EXPECT_EQ(RunLockedWorkload(seed), digest) << "seed " << seed;
    digests.insert(digest);
  }
  EXPECT_GE(digests.size(), 2u);
}

Task<> PutOwned(Queue<std::unique_ptr<int>>& queue, int value, std::vector<std::string>& log) {
  absl::Status status = co_await queue.Put(std::make_unique<int>(value));
  log.push_back("put " + std::to_string(value) + (status.ok() ? "" : " failed"));
}

Task<> GetOwned(Queue<std::unique_ptr<int>>& queue, std::vector<std::string>& log) {
  absl::StatusOr<std::unique_ptr<int>> item = co_await queue.Get();
  log.push_back(item.ok() ? "got " + std::to_string(**item) : "get failed");
}

TEST(Queue, MoveOnlyItemsPassThroughEveryPath) {
  Loop loop({.seed = 10});
  Queue<std::unique_ptr<int>> queue(loop, 1);
  std::vector<std::string> log;
  // Direct hand-off to a waiting getter.
  loop.Spawn(GetOwned(queue, log));
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  loop.Spawn(PutOwned(queue, 1, log));
  ASSERT_TRUE(loop.Run().ok());
  // Queued, then a blocked putter refilled by a Get.
  loop.Spawn(PutOwned(queue, 2, log));
  ASSERT_TRUE(loop.Run().ok());
  loop.Spawn(PutOwned(queue, 3, log));
  ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  loop.Spawn(GetOwned(queue, log));
  ASSERT_TRUE(loop.Run().ok());
  // Try* forms.
  EXPECT_TRUE(absl::IsResourceExhausted(queue.TryPut(std::make_unique<int>(4))));
  absl::StatusOr<std::unique_ptr<int>> three = queue.TryGet();
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(**three, 3);
  EXPECT_TRUE(queue.TryPut(std::make_unique<int>(5)).ok());
  queue.Close();
  loop.Spawn(GetOwned(queue, log));
  loop.Spawn(PutOwned(queue, 6, log));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ::testing::UnorderedElementsAre("got 1", "put 1", "put 2", "put 3", "got 2",
                                                   "got 5", "put 6 failed"));
}

// Counted is also the queue's item type here, so items held by the queue or by a frame are
// counted too.
Task<> PutCounted(Queue<Counted>& queue, Counted item) {
  (void)co_await queue.Put(std::move(item));
}

Task<> GetCounted(Queue<Counted>& queue, [[maybe_unused]] Counted in_frame) {
  (void)co_await queue.Get();
}

Task<> PutAndStop(Loop& loop, Queue<Counted>& queue, Counted item) {
  co_await loop.Sleep(1ms);
  (void)co_await queue.Put(std::move(item));  // handed to a waiting getter
  loop.Stop("leave the getter handed an item but not run");
  co_await loop.Sleep(1h);
}

// Blocked getters (one of them handed an item it never ran with) on one queue, and blocked
// putters on a full one.
void SpawnBlockedOnQueues(Loop& loop, Queue<Counted>& empty, Queue<Counted>& full, Counts& counts) {
  for (int i = 0; i < 3; ++i) loop.Spawn(GetCounted(empty, Counted(counts)));
  loop.Spawn(PutAndStop(loop, empty, Counted(counts)));
  EXPECT_TRUE(full.TryPut(Counted(counts)).ok());
  for (int i = 0; i < 3; ++i) loop.Spawn(PutCounted(full, Counted(counts)));
}

TEST(Queue, DestroyingTheLoopDestroysEveryBlockedFrameAndItemOnce) {
  for (bool queues_die_first : {false, true}) {
    Counts counts;
    auto loop = std::make_unique<Loop>(LoopOptions{.seed = 11});
    auto empty = std::make_unique<Queue<Counted>>(*loop, 1, "empty");
    auto full = std::make_unique<Queue<Counted>>(*loop, 1, "full");
    SpawnBlockedOnQueues(*loop, *empty, *full, counts);
    RunResult result = loop->Run();
    ASSERT_EQ(result.outcome, RunOutcome::kStopped) << result.ToString();
    EXPECT_GT(counts.alive(), 0);
    if (queues_die_first) {
      empty.reset();
      full.reset();
    }
    loop.reset();
    empty.reset();
    full.reset();
    EXPECT_EQ(counts.alive(), 0) << "queues die first: " << queues_die_first;
    EXPECT_EQ(counts.copied, 0);
  }
}

}  // namespace
}  // namespace laplace
