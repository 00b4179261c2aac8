// Measures the Loop's cost per task switch against a floor, side by side in
// one process (this machine is noisy, so only ratios are compared):
//   (a) floor: a bare ring of C++20 coroutine handles, resumed round robin,
//       with no clock, no choices and no trace;
//   (b) Laplace: N tasks each calling co_await loop.Yield() M times under
//       random-walk scheduling with tape recording and the trace digest on.
// Also prints spawn cost and timer (sleep) throughput. The last line is
// `laplace_vs_floor=<ratio>` (Laplace switches/s over floor switches/s).
//
//   bazel run -c opt //bench:loop_throughput
//
// The wall clock is allowed here: benchmarks measure real time, and nothing
// in a simulation reads it.
#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <functional>
#include <string_view>
#include <vector>

#include "loop/loop.h"
#include "loop/prng.h"
#include "loop/task.h"

namespace {

using Clock = std::chrono::steady_clock;  // allowed: bench/ measures wall time

// ---- (a) the floor: a ring of bare coroutines ----

struct BareCoroutine {
  struct promise_type {
    BareCoroutine get_return_object() {
      return BareCoroutine{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

BareCoroutine BareYielder(int yields) {
  for (int i = 0; i < yields; ++i) co_await std::suspend_always{};
}

double FloorSwitchesPerSecond(int tasks, int yields) {
  std::vector<std::coroutine_handle<>> ring;
  for (int i = 0; i < tasks; ++i) ring.push_back(BareYielder(yields).handle);
  auto start = Clock::now();
  uint64_t switches = 0;
  bool any_alive = true;
  while (any_alive) {
    any_alive = false;
    for (std::coroutine_handle<>& handle : ring) {
      if (handle.done()) continue;
      handle.resume();
      ++switches;
      any_alive = true;
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (std::coroutine_handle<>& handle : ring) handle.destroy();
  return static_cast<double>(switches) / seconds;
}

// ---- (b) Laplace ----

laplace::Task<> Yielder(laplace::Loop& loop, int yields) {
  for (int i = 0; i < yields; ++i) co_await loop.Yield();
}

// Picks uniformly like the random walk, but from a private generator: the
// same switching pattern with no choice drawn and nothing on the tape. Not a
// legal strategy (its runs cannot be replayed); it only prices the tape.
class UnrecordedRandom final : public laplace::Strategy {
 public:
  std::string_view name() const override { return "unrecorded-random"; }
  size_t Pick(laplace::SchedulingPoint& point) override { return prng_.Below(point.size()); }

 private:
  laplace::Prng prng_{1};
};

struct Variant {
  const char* name;
  bool choices;  // random walk (a choice and a tape entry per switch)
  size_t tail;   // trace events kept for reports (the digest is always on)
};

double LaplaceSwitchesPerSecond(int tasks, int yields, uint64_t* digest,
                                Variant variant = {"full", true, 64}) {
  UnrecordedRandom unrecorded;
  laplace::Loop loop({.seed = 1,
                      .strategy = variant.choices ? nullptr : &unrecorded,
                      .steps_max = UINT64_MAX,
                      .steps_per_instant_max = UINT64_MAX,
                      .trace = {.tail_capacity = variant.tail}});
  for (int i = 0; i < tasks; ++i) loop.Spawn(Yielder(loop, yields));
  auto start = Clock::now();
  laplace::RunResult result = loop.Run();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!result.ok()) std::printf("unexpected: %s\n", result.ToString().c_str());
  *digest = loop.digest();
  return static_cast<double>(loop.steps()) / seconds;
}

laplace::Task<> Nop() { co_return; }

double SpawnsPerSecond(int count) {
  laplace::Loop loop({.seed = 1});
  auto start = Clock::now();
  for (int i = 0; i < count; ++i) loop.Spawn(Nop());
  laplace::RunResult result = loop.Run();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!result.ok()) std::printf("unexpected: %s\n", result.ToString().c_str());
  return count / seconds;
}

laplace::Task<> Sleeper(laplace::Loop& loop, int sleeps) {
  for (int i = 0; i < sleeps; ++i) {
    co_await loop.Sleep(
        std::chrono::microseconds(1 + loop.Choose(1000, laplace::ChoiceKind::kDelay)));
  }
}

double SleepsPerSecond(int tasks, int sleeps) {
  laplace::Loop loop({.seed = 1, .steps_max = UINT64_MAX});
  for (int i = 0; i < tasks; ++i) loop.Spawn(Sleeper(loop, sleeps));
  auto start = Clock::now();
  laplace::RunResult result = loop.Run();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!result.ok()) std::printf("unexpected: %s\n", result.ToString().c_str());
  return static_cast<double>(tasks) * sleeps / seconds;
}

double Best(int repetitions, const std::function<double()>& measure) {
  double best = 0;
  for (int i = 0; i < repetitions; ++i) best = std::max(best, measure());
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--profile") {
    // One Laplace measurement only, for `valgrind --tool=callgrind`.
    uint64_t digest = 0;
    std::printf("laplace %.3g switches/s\n", LaplaceSwitchesPerSecond(100, 20'000, &digest));
    return 0;
  }
  constexpr int kRepetitions = 5;
  // Before anything else: a run whose tape goes into freshly mapped memory
  // (later runs reuse the pooled chunks, as a sweep or a shrink does).
  uint64_t cold_digest = 0;
  double cold = LaplaceSwitchesPerSecond(100, 20'000, &cold_digest);
  std::printf("first run in the process (tape memory not yet pooled): %.3g sw/s, %.1f ns/switch\n",
              cold, 1e9 / cold);
  std::printf("%-34s %14s %14s %8s\n", "tasks x yields", "floor sw/s", "laplace sw/s", "ratio");
  double headline_floor = 0, headline_laplace = 0;
  for (auto [tasks, yields] :
       {std::pair{10, 200'000}, std::pair{100, 20'000}, std::pair{1000, 2'000}}) {
    // Interleave the two so drift in machine speed hits both alike.
    double floor = 0, laplace = 0;
    uint64_t digest = 0;
    for (int i = 0; i < kRepetitions; ++i) {
      floor = std::max(floor, FloorSwitchesPerSecond(tasks, yields));
      laplace = std::max(laplace, LaplaceSwitchesPerSecond(tasks, yields, &digest));
    }
    std::printf("%6d x %-25d %14.3g %14.3g %8.3f   (%.1f vs %.1f ns/switch)\n", tasks, yields,
                floor, laplace, laplace / floor, 1e9 / floor, 1e9 / laplace);
    (void)digest;
    if (tasks == 100) {
      headline_floor = floor;
      headline_laplace = laplace;
    }
  }
  // Where the time goes: the same 100 x 20000 run with parts switched off.
  for (Variant variant :
       {Variant{"full: choices, tape, digest, trace tail", true, 64},
        Variant{"no trace tail (digest still on)", true, 0},
        Variant{"no choice source or tape", false, 64}, Variant{"neither", false, 0}}) {
    double best = 0;
    uint64_t digest = 0;
    for (int i = 0; i < kRepetitions; ++i) {
      best = std::max(best, LaplaceSwitchesPerSecond(100, 20'000, &digest, variant));
    }
    std::printf("  %-40s %10.3g sw/s  %6.1f ns/switch\n", variant.name, best, 1e9 / best);
  }
  std::printf("spawn+run+finish of an empty task: %.3g tasks/s\n",
              Best(kRepetitions, [] { return SpawnsPerSecond(1'000'000); }));
  std::printf("timers (100 tasks x 10000 random sleeps): %.3g sleeps/s\n",
              Best(kRepetitions, [] { return SleepsPerSecond(100, 10'000); }));
  std::printf("laplace_vs_floor=%.3f\n", headline_laplace / headline_floor);
  return 0;
}
