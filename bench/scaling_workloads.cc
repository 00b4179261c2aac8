// The workloads of //bench:scaling (see scaling_workloads.h and bench/scaling.cc).
//
// Costs are the process's CPU time, not wall time: the machine is shared, and a process waiting
// for a core would count the wait as work. Nothing in a simulation reads either clock.
#include "bench/scaling_workloads.h"

#include <malloc.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loop/choice.h"
#include "loop/event.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/network.h"
#include "sim/world.h"

namespace laplace::bench {
namespace {

using std::chrono::milliseconds;

// Heap bytes in use now (small blocks and mmapped ones).
int64_t HeapInUse() {
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

double CpuSeconds() {
  struct timespec now {};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);  // allowed: bench/ measures real cost
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The CPU time `work` takes.
template <typename Work>
double Seconds(Work&& work) {
  const double start = CpuSeconds();
  work();
  return CpuSeconds() - start;
}

Task<> Nothing() { co_return; }

Task<> SleepUntil(Loop& loop, Time deadline) { co_await loop.SleepUntil(deadline); }

// A node's main: asleep for an hour, so it is a blocked task with a pending timer.
Task<> Doze(sim::Node& node) { co_await node.loop().Sleep(std::chrono::hours(1)); }

// (a) Destroying a Loop with `size` tasks that never ran.
Measurement Teardown(uint64_t size) {
  auto loop = std::make_unique<Loop>(LoopOptions{.seed = 1});
  for (uint64_t i = 0; i < size; ++i) loop->Spawn(Nothing());
  return {.seconds = Seconds([&] { loop.reset(); }), .units = size};
}

// (a) Cancelling ready tasks while `size` are ready: the oldest thousand, oldest first, then a
// thousand spread over the whole queue.
Measurement CancelReady(uint64_t size, bool spread) {
  Loop loop({.seed = 1});
  for (uint64_t i = 0; i < size; ++i) loop.Spawn(Nothing());
  const uint64_t cancels = 1000;
  const uint64_t stride = spread ? size / cancels : 1;
  const double seconds = Seconds([&] {
    for (uint64_t i = 0; i < cancels; ++i) loop.Cancel(1 + i * stride);
  });
  return {.seconds = seconds, .units = cancels};
}
Measurement CancelOldest(uint64_t size) { return CancelReady(size, /*spread=*/false); }
Measurement CancelSpread(uint64_t size) { return CancelReady(size, /*spread=*/true); }

Task<> WaitForever(Event& event) { co_await event.Wait(); }

// (a) The control for CancelSpread: the same thousand cancels spread over `size` tasks, but
// tasks blocked on an Event, so the ready queue has no part in them.
Measurement CancelSpreadBlocked(uint64_t size) {
  std::unique_ptr<Event> never;  // outlives the Loop, whose teardown leaves its wait list
  Loop loop({.seed = 1, .steps_max = UINT64_MAX});
  never = std::make_unique<Event>(loop);
  for (uint64_t i = 0; i < size; ++i) loop.Spawn(WaitForever(*never));
  loop.RunUntilQuiet();
  const uint64_t cancels = 1000;
  const uint64_t stride = size / cancels;
  const double seconds = Seconds([&] {
    for (uint64_t i = 0; i < cancels; ++i) loop.Cancel(1 + i * stride);
  });
  return {.seconds = seconds, .units = cancels};
}

// (b) `size` sleeps due at the same instant: arming them and firing them (a tie choice each).
// Seeded, the ties and the picks are random, so tasks run in an order unrelated to where they
// sit in memory; with an empty tape (every choice 0) they run in spawn order, which isolates
// the work per sleep from the cache misses of the random order.
Measurement SimultaneousSleeps(uint64_t size, ChoiceSource* source) {
  Loop loop({.seed = 1, .source = source});
  for (uint64_t i = 0; i < size; ++i) loop.Spawn(SleepUntil(loop, Time(milliseconds(1))));
  return {.seconds = Seconds([&] { loop.Run(); }), .units = size};
}
Measurement SeededSleeps(uint64_t size) { return SimultaneousSleeps(size, nullptr); }
Measurement ZeroTapeSleeps(uint64_t size) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  return SimultaneousSleeps(size, &zeros);
}

// A world of `size` dozing nodes, each main asleep.
struct DozingWorld {
  explicit DozingWorld(uint64_t size) : world(std::make_unique<sim::World>(loop)) {
    for (uint64_t i = 1; i <= size; ++i) world->AddNode("n" + std::to_string(i), Doze);
    loop.RunFor(milliseconds(1));
  }
  Loop loop{{.seed = 1}};
  std::unique_ptr<sim::World> world;
};

// (c) Adding `size` nodes to a World.
Measurement AddNodes(uint64_t size) {
  Loop loop({.seed = 1});
  sim::World world(loop);
  const double seconds = Seconds([&] {
    for (uint64_t i = 1; i <= size; ++i) world.AddNode("n" + std::to_string(i), Doze);
  });
  return {.seconds = seconds, .units = size};
}

// (c) Destroying a World of `size` nodes.
Measurement DestroyWorld(uint64_t size) {
  DozingWorld dozing(size);
  return {.seconds = Seconds([&] { dozing.world.reset(); }), .units = size};
}

// (c) Crashing one node among `size`, a hundred times (nodes spread over the world).
Measurement CrashOne(uint64_t size) {
  DozingWorld dozing(size);
  const uint64_t crashes = 100;
  const double seconds = Seconds([&] {
    for (uint64_t i = 0; i < crashes; ++i) {
      dozing.world->Crash(static_cast<sim::NodeId>(1 + i * (size / crashes)));
    }
  });
  return {.seconds = seconds, .units = crashes};
}

// (d) A partition between the halves of `size` hosts: opening it, and the bytes it holds.
Measurement PartitionHalves(uint64_t size) {
  Loop loop({.seed = 1});
  sim::Network network(loop);
  std::vector<sim::NodeId> side_a;
  std::vector<sim::NodeId> side_b;
  for (sim::NodeId id = 1; id <= size; ++id) {
    network.AddHost(id, "n" + std::to_string(id));
    (id <= size / 2 ? side_a : side_b).push_back(id);
  }
  const int64_t before = HeapInUse();
  const double seconds = Seconds([&] { network.Partition(side_a, side_b); });
  const int64_t held = HeapInUse() - before;
  if (!network.IsCut(side_a.front(), side_b.back())) std::abort();
  return {.seconds = seconds, .units = size, .held_bytes = held};
}

Task<> LabelledWork(Loop& loop) {
  Event done(loop, "done");
  done.Set();
  co_return;
}

// (e) `size` labelled tasks, each with a labelled object, run to their end one after another:
// the bytes the Loop still holds afterwards.
Measurement LabelledTasks(uint64_t size) {
  Loop loop({.seed = 1});
  const int64_t before = HeapInUse();
  const double seconds = Seconds([&] {
    for (uint64_t i = 0; i < size; ++i) {
      loop.Spawn(LabelledWork(loop), "worker/" + std::to_string(i));
      loop.Run();
    }
  });
  return {.seconds = seconds, .units = size, .held_bytes = HeapInUse() - before};
}

Task<> Serve(sim::Node& node) {
  sim::Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    (void)socket.Reply(*request, "PongReply", request->payload);
  }
}

Task<> CallMany(sim::Node& node, sim::Address server, uint64_t calls) {
  for (uint64_t i = 0; i < calls; ++i) {
    (void)co_await node.Call(server, "Ping", "x", milliseconds(100));
  }
}

// (e) `size` RPC calls that finished: the bytes the world still holds afterwards. Latency is
// fixed and nothing is lost, so the calls draw no choices and the tape stays empty.
Measurement RpcCalls(uint64_t size) {
  Loop loop({.seed = 1});
  sim::World world(loop,
                   {.network = {.latency_min = milliseconds(1), .latency_max = milliseconds(1)}});
  world.AddNode("server", Serve);
  sim::Node& client = world.AddNode("client", Doze);
  loop.RunFor(milliseconds(1));
  const int64_t before = HeapInUse();
  TaskHandle<void> calls = client.Spawn(CallMany(client, {.node = 1, .port = 80}, size), "calls");
  const double seconds = Seconds([&] { loop.RunUntilComplete(calls); });
  return {.seconds = seconds, .units = size, .held_bytes = HeapInUse() - before};
}

// (f) `size` callback timers pending at once, at scattered instants: arming and firing them.
Measurement PendingTimers(uint64_t size) {
  Loop loop({.seed = 1});
  uint64_t fired = 0;
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  const double seconds = Seconds([&] {
    for (uint64_t i = 0; i < size; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto at = std::chrono::nanoseconds((state >> 20) % (size * 1000) + 1);
      loop.CallAt(Time(at), [&fired] { ++fired; });
    }
    loop.Run();
  });
  if (fired != size) std::abort();
  return {.seconds = seconds, .units = size};
}

struct NamedWorkload {
  std::string_view name;
  Workload workload;
};

constexpr NamedWorkload kWorkloads[] = {
    {"teardown", Teardown},
    {"cancel_oldest", CancelOldest},
    {"cancel_spread", CancelSpread},
    {"cancel_spread_blocked", CancelSpreadBlocked},
    {"simultaneous_sleeps", SeededSleeps},
    {"simultaneous_sleeps_zero_tape", ZeroTapeSleeps},
    {"add_nodes", AddNodes},
    {"destroy_world", DestroyWorld},
    {"crash_one", CrashOne},
    {"partition_halves", PartitionHalves},
    {"labelled_tasks", LabelledTasks},
    {"rpc_calls", RpcCalls},
    {"pending_timers", PendingTimers},
};

}  // namespace

Workload FindWorkload(std::string_view name) {
  for (const NamedWorkload& each : kWorkloads) {
    if (each.name == name) return each.workload;
  }
  return nullptr;
}

}  // namespace laplace::bench
