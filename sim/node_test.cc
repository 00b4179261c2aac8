// Proves crashes destroy every frame of a node without leaks, restart and pause work, and replay.
#include "sim/node.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"
#include "sim/world.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;

// Counts live instances (cppcoro's `counted`), to show frames are destroyed.
struct Counted {
  static inline int live = 0;
  static inline int made = 0;
  Counted() {
    ++live;
    ++made;
  }
  Counted(const Counted&) : Counted() {}
  Counted(Counted&&) noexcept : Counted() {}
  ~Counted() { --live; }
};

// What the node's tasks did, kept outside the world so it survives crashes.
struct Log {
  int starts = 0;
  int ticks = 0;
  int resumed_after_sleep = 0;
  std::vector<std::string> received;
};

Task<> Nested(Node& node, Log& log) {
  Counted deep;
  co_await node.loop().Sleep(milliseconds(100));
  ++log.resumed_after_sleep;
}

Task<> Ticker(Node& node, Log& log) {
  Counted counted;
  while (true) {
    co_await node.loop().Sleep(milliseconds(1));
    ++log.ticks;
  }
}

Task<> Receiver(Node& node, Log& log) {
  Counted counted;
  Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<Message> message = co_await socket.Receive();
    if (!message.ok()) co_return;
    log.received.push_back(message->payload);
  }
}

Task<> CallForever(Node& node) {
  Counted counted;
  absl::StatusOr<Message> reply =
      co_await node.Call({.node = 2, .port = 7}, "Nothing", "", milliseconds(1000));
  (void)reply;
}

// The start routine: spawns a ticker, a receiver and a sleeper with a
// coroutine nested inside it, each holding a Counted in its frame.
Task<> Main(Node& node, Log& log) {
  ++log.starts;
  Counted counted;
  node.Spawn(Ticker(node, log), "ticker", /*daemon=*/true);
  node.Spawn(Receiver(node, log), "receiver", /*daemon=*/true);
  co_await Nested(node, log);
}

// Binds port 7 and never answers.
Task<> BlackHole(Node& node) {
  Socket socket = node.Bind(7);
  co_await node.loop().Sleep(std::chrono::hours(1000));
}

struct OneNode {
  OneNode(Loop& loop, WorldOptions options = {}) : world(loop, options) {
    node = &world.AddNode("n1", [this](Node& started) { return Main(started, log); });
    sender = &world.AddNode("n2", BlackHole);
    outbox = world.network().BindEphemeral(sender->id());
  }
  void Send(std::string payload) { (void)outbox.Send(node->address(80), "Put", payload); }

  Log log;
  World world;
  Node* node = nullptr;
  Node* sender = nullptr;
  Socket outbox;
};

TEST(Node, CrashDestroysEveryTaskFrameOfTheNodeAtOnce) {
  Counted::live = 0;
  Loop loop({.seed = 1});
  OneNode setup(loop);
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  EXPECT_EQ(Counted::live, 4);       // main, nested, ticker, receiver
  EXPECT_EQ(loop.live_tasks(), 4u);  // n1's three (Nested runs inside main) and n2's main
  setup.world.Crash(setup.node->id());
  EXPECT_EQ(Counted::live, 0);
  EXPECT_EQ(setup.node->state(), NodeState::kCrashed);
  const int ticks = setup.log.ticks;
  ASSERT_TRUE(loop.RunFor(milliseconds(500)).ok());
  EXPECT_EQ(setup.log.ticks, ticks);  // nothing of the node ever resumes
  EXPECT_EQ(setup.log.resumed_after_sleep, 0);
}

TEST(Node, RestartRunsTheStartRoutineAgainAsANewIncarnation) {
  Loop loop({.seed = 2});
  OneNode setup(loop);
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  setup.world.Crash(setup.node->id());
  setup.world.Restart(setup.node->id());
  EXPECT_EQ(setup.node->incarnation(), 2u);
  ASSERT_TRUE(loop.RunFor(milliseconds(200)).ok());
  EXPECT_EQ(setup.log.starts, 2);
  EXPECT_EQ(setup.log.resumed_after_sleep, 1);  // only the second incarnation's
  EXPECT_EQ(Counted::live, 2);                  // main finished; the ticker and the receiver run on
}

TEST(Node, CrashDropsMessagesInFlightAndInTheMailbox) {
  Loop loop({.seed = 3});
  OneNode setup(loop);
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  setup.world.Pause(setup.node->id());
  setup.Send("queued");
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());  // delivered into the paused node's mailbox
  setup.Send("in flight");
  setup.world.Crash(setup.node->id());
  setup.world.Restart(setup.node->id());
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  setup.Send("after restart");
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  EXPECT_EQ(setup.log.received, std::vector<std::string>{"after restart"});
}

TEST(Node, APausedNodeRunsNothingAndQueuesMessagesUntilResumed) {
  Loop loop({.seed = 4});
  OneNode setup(loop);
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  setup.world.Pause(setup.node->id());
  const int ticks = setup.log.ticks;
  setup.Send("a");
  setup.Send("b");
  ASSERT_TRUE(loop.RunFor(milliseconds(50)).ok());
  EXPECT_EQ(setup.log.ticks, ticks);
  EXPECT_TRUE(setup.log.received.empty());
  setup.world.Resume(setup.node->id());
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  EXPECT_GT(setup.log.ticks, ticks);
  EXPECT_EQ(setup.log.received.size(), 2u);
}

TEST(Node, CrashWhilePausedThenRestartRunsAgain) {
  Loop loop({.seed = 5});
  OneNode setup(loop);
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  setup.world.Pause(setup.node->id());
  setup.world.Crash(setup.node->id());
  setup.world.Restart(setup.node->id());
  const int ticks = setup.log.ticks;
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  EXPECT_GT(setup.log.ticks, ticks);
}

TEST(Node, CrashKeepsOnlyTheDisksSyncedData) {
  Loop loop({.seed = 6});
  World world(loop);
  Node& node = world.AddNode("n1", [](Node& self) -> Task<> {
    (void)co_await self.disk().Write("f", 0, "synced");
    (void)co_await self.disk().Fsync("f");
    (void)co_await self.disk().Write("f", 6, "+unsynced");
    (void)co_await self.disk().Write("g", 0, "never synced");
  });
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  EXPECT_EQ(node.disk().Contents("f"), "synced+unsynced");
  world.Crash(node.id());
  EXPECT_EQ(node.disk().Contents("f"), "synced");
  EXPECT_FALSE(node.disk().Exists("g"));
}

Task<> CrashSelf(World& world, Node& node, Log& log) {
  Counted counted;
  ++log.starts;
  if (node.incarnation() > 1) co_return;
  world.Crash(node.id());
  co_await node.loop().Sleep(milliseconds(1));  // destroyed here
  ++log.resumed_after_sleep;
}

TEST(Node, ANodeCanCrashItselfAndIsDestroyedAtItsNextSuspension) {
  Counted::live = 0;
  Loop loop({.seed = 7});
  World world(loop);
  Log log;
  Node& node =
      world.AddNode("n1", [&world, &log](Node& self) { return CrashSelf(world, self, log); });
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  EXPECT_EQ(node.state(), NodeState::kCrashed);
  EXPECT_EQ(log.resumed_after_sleep, 0);
  EXPECT_EQ(Counted::live, 0);
  world.Restart(node.id());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  EXPECT_EQ(log.starts, 2);
}

TEST(Node, ATaskSpawnedOnACrashedNodeNeverRuns) {
  Loop loop({.seed = 8});
  OneNode setup(loop);
  setup.world.Crash(setup.node->id());
  TaskHandle<> late = setup.node->Spawn(Ticker(*setup.node, setup.log), "late");
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  EXPECT_TRUE(late.done());
  EXPECT_TRUE(absl::IsUnavailable(late.result()));
  EXPECT_EQ(setup.log.ticks, 0);
}

TEST(Node, HundredsOfCrashesWithWorkInFlightLeakNothing) {
  Counted::live = 0;
  Counted::made = 0;
  {
    Loop loop({.seed = 9});
    OneNode setup(loop,
                  {.network = {.latency_min = milliseconds(1), .latency_max = milliseconds(9)}});
    for (int i = 0; i < 200; ++i) {
      setup.node->Spawn(CallForever(*setup.node), "call");  // an RPC in flight
      setup.Send("x");
      ASSERT_TRUE(loop.RunFor(milliseconds(3 + i % 5)).ok());
      setup.world.Crash(setup.node->id());
      EXPECT_EQ(Counted::live, 0);
      setup.world.Restart(setup.node->id());
    }
    ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  }
  EXPECT_GT(Counted::made, 800);
  EXPECT_EQ(Counted::live, 0);  // and LeakSanitizer checks the frames themselves
}

// Scenario: random crashes, restarts, pauses and resumes while messages flow.
void Turbulent(Loop& loop) {
  OneNode setup(loop,
                {.network = {.latency_min = milliseconds(1), .latency_max = milliseconds(9)}});
  for (int i = 0; i < 40; ++i) {
    setup.Send(std::to_string(i));
    ASSERT_TRUE(loop.RunFor(milliseconds(1 + loop.Choose(5, ChoiceKind::kDelay))).ok());
    const NodeState state = setup.node->state();
    if (!loop.Chance(1, 3, ChoiceKind::kFault)) continue;
    if (state == NodeState::kUp) {
      if (loop.Chance(1, 2, ChoiceKind::kFault)) {
        setup.world.Crash(setup.node->id());
      } else {
        setup.world.Pause(setup.node->id());
      }
    } else if (state == NodeState::kCrashed) {
      setup.world.Restart(setup.node->id());
    } else {
      setup.world.Resume(setup.node->id());
    }
  }
  ASSERT_TRUE(loop.RunFor(milliseconds(20)).ok());
  EXPECT_GT(setup.log.starts, 1);
  EXPECT_FALSE(setup.log.received.empty());
}

TEST(Node, CrashesRestartsAndPausesReplayIdentically) {
  testing::ExpectReplaysIdentically(10, Turbulent);
}

TEST(Node, TraceNotesCrashRestartPauseAndResume) {
  Loop loop({.seed = 11, .trace = {.keep_all = true}});
  OneNode setup(loop);
  ASSERT_TRUE(loop.RunFor(milliseconds(5)).ok());
  setup.world.Pause(setup.node->id());
  setup.world.Resume(setup.node->id());
  setup.world.Crash(setup.node->id());
  setup.world.Restart(setup.node->id());
  const std::string trace = loop.FormatTrace(loop.trace().events());
  for (const char* line :
       {"n1 paused", "n1 resumed", "n1 crashed (incarnation 1)", "n1 restarted (incarnation 2)"}) {
    EXPECT_NE(trace.find(line), std::string::npos) << line << "\n" << trace;
  }
}

}  // namespace
}  // namespace laplace::sim
