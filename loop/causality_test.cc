// Proves each primitive's happens-before edge, and a causal chain worked out by hand.
#include "loop/causality.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/future.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/queue.h"
#include "loop/task.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;

// The index of the only event that matches, failing the test otherwise.
uint64_t Only(const CausalGraph& graph, const std::function<bool(const TraceEvent&)>& match) {
  std::vector<uint64_t> found;
  for (const TraceEvent& event : graph.events()) {
    if (match(event)) found.push_back(event.index);
  }
  EXPECT_EQ(found.size(), 1u);
  return found.empty() ? 0 : found.front();
}

uint64_t Note(const CausalGraph& graph, std::string_view text) {
  return Only(graph,
              [&](const TraceEvent& e) { return e.kind == EventKind::kNote && e.text == text; });
}

uint64_t EventOf(const CausalGraph& graph, EventKind kind, TaskId task,
                 std::optional<WaitKind> wait = std::nullopt) {
  return Only(graph, [&](const TraceEvent& e) {
    return e.kind == kind && e.task == task &&
           (!wait.has_value() || e.a == static_cast<uint64_t>(*wait));
  });
}

// The kind of the edge from -> to, or nothing.
std::optional<EdgeKind> EdgeBetween(const CausalGraph& graph, uint64_t from, uint64_t to) {
  for (const CausalEdge& edge : graph.causes(to)) {
    if (edge.from == from) return edge.kind;
  }
  return std::nullopt;
}

Task<> Setter(Loop& loop, Promise<int>& promise) {
  co_await loop.Sleep(1ms);
  loop.Note("setting");
  promise.SetValue(7);
}

Task<> Waiter(Loop& loop, Future<int> answer) {
  Result<int> value = co_await answer;
  loop.Note(value.ok() ? "got" : "no answer");
}

Task<> Bystander(Loop& loop) {
  co_await loop.Sleep(500us);
  loop.Note("unrelated");
}

// Waiter (task 1) awaits a promise that Setter (task 2) sets after a sleep;
// Bystander (task 3), spawned last, touches neither.
struct PromiseRun {
  explicit PromiseRun(uint64_t seed) : loop({.seed = seed, .trace = {.keep_all = true}}) {
    Promise<int> promise(loop, "answer");
    loop.Spawn(Waiter(loop, promise.future()), "waiter");
    loop.Spawn(Setter(loop, promise), "setter");
    loop.Spawn(Bystander(loop), "bystander");
    EXPECT_TRUE(loop.Run().ok());
  }
  Loop loop;
};

TEST(Causality, TheChainOfAnAwaitedPromiseIsWhatTheHandWorkedOutAndNothingElse) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    PromiseRun run(seed);
    CausalGraph graph(run.loop.trace().events());
    const uint64_t got = Note(graph, "got");
    std::vector<uint64_t> expected = {
        EventOf(graph, EventKind::kSpawn, 1),
        EventOf(graph, EventKind::kResume, 1, WaitKind::kStart),
        EventOf(graph, EventKind::kSuspend, 1, WaitKind::kFuture),
        EventOf(graph, EventKind::kSpawn, 2),
        EventOf(graph, EventKind::kResume, 2, WaitKind::kStart),
        EventOf(graph, EventKind::kSuspend, 2, WaitKind::kSleep),
        EventOf(graph, EventKind::kTimerFire, 2),
        EventOf(graph, EventKind::kResume, 2, WaitKind::kSleep),
        Note(graph, "setting"),
        Only(graph, [](const TraceEvent& e) { return e.kind == EventKind::kResolve; }),
        EventOf(graph, EventKind::kResume, 1, WaitKind::kFuture),
    };
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(graph.Ancestors(got), expected) << "seed " << seed;

    // Cut to what matters: the spawns, the note, the resolution, the wake-up.
    Chain chain = CausalChain(graph, got);
    std::vector<uint64_t> story = {
        EventOf(graph, EventKind::kSpawn, 1),
        EventOf(graph, EventKind::kSpawn, 2),
        Note(graph, "setting"),
        Only(graph, [](const TraceEvent& e) { return e.kind == EventKind::kResolve; }),
        EventOf(graph, EventKind::kResume, 1, WaitKind::kFuture),
        got};
    std::sort(story.begin(), story.end());
    EXPECT_EQ(chain.events, story) << "seed " << seed;
    EXPECT_EQ(chain.ancestors, expected.size());
    EXPECT_FALSE(chain.contains(Note(graph, "unrelated")));
  }
}

TEST(Causality, APromiseSetWakesItsAwaiterAndATimerLinksArmingFiringAndResume) {
  PromiseRun run(3);
  CausalGraph graph(run.loop.trace().events());
  const uint64_t resolve =
      Only(graph, [](const TraceEvent& e) { return e.kind == EventKind::kResolve; });
  EXPECT_EQ(EdgeBetween(graph, resolve, EventOf(graph, EventKind::kResume, 1, WaitKind::kFuture)),
            EdgeKind::kWake);
  const uint64_t slept = EventOf(graph, EventKind::kSuspend, 2, WaitKind::kSleep);
  const uint64_t fired = EventOf(graph, EventKind::kTimerFire, 2);
  EXPECT_EQ(EdgeBetween(graph, slept, fired), EdgeKind::kTimer);
  EXPECT_EQ(EdgeBetween(graph, fired, EventOf(graph, EventKind::kResume, 2, WaitKind::kSleep)),
            EdgeKind::kTimer);
  EXPECT_EQ(EdgeBetween(graph, EventOf(graph, EventKind::kSpawn, 2),
                        EventOf(graph, EventKind::kResume, 2, WaitKind::kStart)),
            EdgeKind::kSpawn);
  EXPECT_EQ(EdgeBetween(graph, Note(graph, "setting"), resolve), EdgeKind::kProgramOrder);
}

Task<> Holder(Loop& loop, Lock& lock) {
  LockGuard guard = co_await lock.Acquire();
  co_await loop.Sleep(1ms);
}

Task<> Contender(Loop& loop, Lock& lock) {
  co_await loop.Sleep(100us);
  LockGuard guard = co_await lock.Acquire();
  loop.Note("contender holds the lock");
}

TEST(Causality, ALockReleaseWakesTheNextHolder) {
  Loop loop({.seed = 5, .trace = {.keep_all = true}});
  Lock lock(loop, "l");
  loop.Spawn(Holder(loop, lock), "holder");
  loop.Spawn(Contender(loop, lock), "contender");
  ASSERT_TRUE(loop.Run().ok());
  CausalGraph graph(loop.trace().events());
  // The holder releases as its frame ends, right after it resumes from its sleep.
  EXPECT_EQ(EdgeBetween(graph, EventOf(graph, EventKind::kResume, 1, WaitKind::kSleep),
                        EventOf(graph, EventKind::kResume, 2, WaitKind::kLock)),
            EdgeKind::kWake);
}

Task<> Child(Loop& loop) { co_await loop.Sleep(1ms); }

Task<> Parent(Loop& loop) {
  TaskHandle<> child = loop.Spawn(Child(loop), "child");
  (void)co_await child;
  loop.Note("joined");
}

TEST(Causality, ATasksFinishResumesItsJoiner) {
  Loop loop({.seed = 1, .trace = {.keep_all = true}});
  loop.Spawn(Parent(loop), "parent");
  ASSERT_TRUE(loop.Run().ok());
  CausalGraph graph(loop.trace().events());
  EXPECT_EQ(EdgeBetween(graph, EventOf(graph, EventKind::kFinish, 2),
                        EventOf(graph, EventKind::kResume, 1, WaitKind::kJoin)),
            EdgeKind::kJoin);
}

Task<> Consumer(Loop& loop, Queue<int>& queue) {
  absl::StatusOr<int> item = co_await queue.Get();
  loop.Note(item.ok() ? "consumed" : "closed");
}

Task<> Producer(Loop& loop, Queue<int>& queue) {
  co_await loop.Sleep(1ms);
  loop.Note("producing");
  (void)co_await queue.Put(1);
}

TEST(Causality, AQueuePutWakesTheWaitingGetter) {
  Loop loop({.seed = 2, .trace = {.keep_all = true}});
  Queue<int> queue(loop, 4, "q");
  loop.Spawn(Consumer(loop, queue), "consumer");
  loop.Spawn(Producer(loop, queue), "producer");
  ASSERT_TRUE(loop.Run().ok());
  CausalGraph graph(loop.trace().events());
  std::vector<uint64_t> ancestors = graph.Ancestors(Note(graph, "consumed"));
  EXPECT_TRUE(std::binary_search(ancestors.begin(), ancestors.end(), Note(graph, "producing")));
  EXPECT_EQ(EdgeBetween(graph, Note(graph, "producing"),
                        EventOf(graph, EventKind::kResume, 1, WaitKind::kQueueGet)),
            EdgeKind::kWake);
}

TEST(Causality, ACallbackFollowsItsArmingAndWhatItRecordsFollowsItsFiring) {
  Loop loop({.trace = {.keep_all = true}});
  loop.Note("arming");
  loop.CallLater(1ms, [&loop] { loop.Note("fired"); });
  ASSERT_TRUE(loop.Run().ok());
  loop.Note("after the run");
  CausalGraph graph(loop.trace().events());
  const uint64_t fire = EventOf(graph, EventKind::kTimerFire, 0);
  EXPECT_EQ(EdgeBetween(graph, Note(graph, "arming"), fire), EdgeKind::kTimer);
  EXPECT_EQ(EdgeBetween(graph, fire, Note(graph, "fired")), EdgeKind::kProgramOrder);
  EXPECT_EQ(graph.event(Note(graph, "fired")).links.context, EventContext::kCallback);
  // Code after a Run call follows what the run did.
  EXPECT_EQ(EdgeBetween(graph, Note(graph, "fired"), Note(graph, "after the run")),
            EdgeKind::kProgramOrder);
}

Task<> SleepForever(Loop& loop) { co_await loop.Sleep(1000h); }

Task<> Crasher(Loop& loop) {
  co_await loop.Sleep(1ms);
  loop.Note("node 7 crashed", {.kind = NoteKind::kCrash, .group = 7});
  loop.CancelGroup(7, absl::UnavailableError("crashed"));
}

TEST(Causality, EveryCancellationOfACrashFollowsTheCrashAndIsInTheChainAsItsEffect) {
  Loop loop({.seed = 4, .trace = {.keep_all = true}});
  loop.Spawn(SleepForever(loop), SpawnOptions{.label = "a", .group = 7});
  loop.Spawn(SleepForever(loop), SpawnOptions{.label = "b", .group = 7});
  loop.Spawn(Crasher(loop), "crasher");
  ASSERT_TRUE(loop.Run().ok());
  loop.Note("checked");
  CausalGraph graph(loop.trace().events());
  const uint64_t crash = Note(graph, "node 7 crashed");
  EXPECT_EQ(graph.event(crash).links.group, 7u);
  const uint64_t cancel_a = EventOf(graph, EventKind::kCancel, 1);
  const uint64_t cancel_b = EventOf(graph, EventKind::kCancel, 2);
  EXPECT_EQ(EdgeBetween(graph, crash, cancel_a), EdgeKind::kCancel);
  EXPECT_EQ(EdgeBetween(graph, crash, cancel_b), EdgeKind::kCancel);
  EXPECT_TRUE(IsFaultEvent(graph.event(crash)));
  Chain chain = CausalChain(graph, Note(graph, "checked"));
  EXPECT_TRUE(chain.contains(crash));
  EXPECT_TRUE(chain.contains(cancel_a));
  EXPECT_TRUE(chain.contains(cancel_b));
}

TEST(Causality, AChainCutShortKeepsTheTargetTheCrashAndThenItsLatestEffect) {
  Loop loop({.seed = 4, .trace = {.keep_all = true}});
  loop.Spawn(SleepForever(loop), SpawnOptions{.label = "a", .group = 7});
  loop.Spawn(SleepForever(loop), SpawnOptions{.label = "b", .group = 7});
  loop.Spawn(Crasher(loop), "crasher");
  ASSERT_TRUE(loop.Run().ok());
  loop.Note("checked");
  CausalGraph graph(loop.trace().events());
  const uint64_t target = Note(graph, "checked");
  const uint64_t crash = Note(graph, "node 7 crashed");
  const uint64_t cancel_last = std::max(EventOf(graph, EventKind::kCancel, 1),
                                        EventOf(graph, EventKind::kCancel, 2));
  ASSERT_GT(CausalChain(graph, target).events.size(), 3u);
  Chain chain = CausalChain(graph, target, {.events_max = 3});
  EXPECT_EQ(chain.events, (std::vector<uint64_t>{crash, cancel_last, target}));
  EXPECT_EQ(chain.edges, (std::vector<CausalEdge>{{crash, cancel_last, EdgeKind::kCancel}}));
}

TEST(Causality, AGraphOfATailDropsLinksToEventsBeforeIt) {
  Loop loop({.seed = 3, .trace = {.tail_capacity = 6}});
  Promise<int> promise(loop, "answer");
  loop.Spawn(Waiter(loop, promise.future()), "waiter");
  loop.Spawn(Setter(loop, promise), "setter");
  ASSERT_TRUE(loop.Run().ok());
  std::vector<TraceEvent> tail = loop.trace().events();
  ASSERT_EQ(tail.size(), 6u);
  CausalGraph graph(tail);
  EXPECT_FALSE(graph.contains(tail.front().index - 1));
  for (const CausalEdge& edge : graph.edges()) {
    EXPECT_TRUE(graph.contains(edge.from));
    EXPECT_LT(edge.from, edge.to);
  }
}

}  // namespace
}  // namespace laplace
