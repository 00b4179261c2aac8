// Measures what one schedule of a small program costs on Laplace against a bare reference
// harness of the same semantics (bench/bare_harness.h: a ready list, a seeded random pick, no
// tape, no digest, no trace), side by side in one process. Each program (a few tasks, tens of
// steps, locks and yields, after tests/zoo) is written against both; every repetition runs N
// schedules (seeds 1..N) on each variant in turn, and the medians of the repetitions are
// printed:
//   bare      the reference harness, reused across schedules;
//   fresh     a new Loop per schedule;
//   reused    one Loop, Loop::Reset between schedules (what a sweep does);
//   RunOnce   the property harness (properties/runner.h) around the same program, as
//             bench:strategies runs the zoo.
// Both harnesses draw the same picks from the same seeds, so the failing schedules they count
// must agree; the program says so or stops. The last line is
//   schedule_speed: worst_ratio=<r> programs=<n>
// with r the smallest over programs of reused schedules/s over bare schedules/s.
//
//   bazel run -c opt //bench:schedule_speed
//   bazel-bin/bench/schedule_speed --profile=racing_setters   # only the reused Loop, for perf
//   bazel-bin/bench/schedule_speed --profile-harness=racing_setters   # only RunOnce
//
// The wall clock is allowed here: it measures schedules per second, not a simulation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "bench/bare_harness.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "properties/runner.h"

namespace laplace::bench {
namespace {

using Clock = std::chrono::steady_clock;  // allowed: benchmark timing

constexpr uint64_t kSchedules = 20'000;
constexpr int kRepetitions = 7;

// ---- The programs, bare: each returns whether the schedule failed ----

BareTask BareDeposit(BareHarness& harness, BareLock& lock, int& balance, int amount) {
  BareLock::Guard guard = co_await lock.Acquire();
  const int read = balance;
  co_await BareYield{harness};
  balance = read + amount;
}

bool BareDeposits(BareHarness& harness) {
  BareLock lock(harness);
  int balance = 0;
  for (int amount : {10, 20, 30}) harness.Spawn(BareDeposit(harness, lock, balance, amount));
  harness.Run();
  return balance != 60;
}

BareTask BareTransfer(BareHarness& harness, BareLock& first, BareLock& second) {
  BareLock::Guard one = co_await first.Acquire();
  co_await BareYield{harness};
  BareLock::Guard two = co_await second.Acquire();
}

bool BareLockOrder(BareHarness& harness) {
  BareLock a(harness), b(harness);
  harness.Spawn(BareTransfer(harness, a, b));
  harness.Spawn(BareTransfer(harness, b, a));
  const bool deadlocked = harness.Run() == BareOutcome::kDeadlock;
  harness.DestroyUnfinished();
  return deadlocked;
}

BareTask BareSteps(BareHarness& harness, std::vector<int>& log, int who) {
  for (int step = 1; step <= 3; ++step) {
    log.push_back(who * 10 + step);
    if (step < 3) co_await BareYield{harness};
  }
}

bool Torn(const std::vector<int>& log) {
  const std::vector<int> torn = {11, 21, 12, 22};  // audit-1, transfer-1, audit-2, transfer-2
  return log.size() >= torn.size() && std::equal(torn.begin(), torn.end(), log.begin());
}

bool BareTornAudit(BareHarness& harness) {
  std::vector<int> log;
  harness.Spawn(BareSteps(harness, log, 1));
  harness.Spawn(BareSteps(harness, log, 2));
  harness.Run();
  return Torn(log);
}

struct Pair {
  int x = 0, y = 0;
};

BareTask BareSetter(BareHarness& harness, Pair& pair, int value) {
  pair.x = value;
  co_await BareYield{harness};
  pair.y = value;
  co_await BareYield{harness};
}

BareTask BareChecker(BareHarness& harness, Pair& pair, bool& torn) {
  co_await BareYield{harness};
  torn = pair.x != pair.y;
}

bool BareSetters(BareHarness& harness) {
  Pair pair;
  bool torn = false;
  for (int value = 1; value <= 5; ++value) harness.Spawn(BareSetter(harness, pair, value));
  harness.Spawn(BareChecker(harness, pair, torn));
  harness.Run();
  return torn;
}

// ---- The same programs on Laplace ----

Task<> Deposit(Loop& loop, Lock& lock, int& balance, int amount) {
  LockGuard guard = co_await lock.Acquire();
  const int read = balance;
  co_await loop.Yield();
  balance = read + amount;
}

// Cancels the tasks a program spawned that are still alive, newest first, before the locals they
// use die (a deadlocked schedule leaves some).
void CancelLeft(std::vector<TaskHandle<>>& tasks) {
  for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) it->Cancel();
}

bool Deposits(Loop& loop) {
  Lock lock(loop, "account");
  int balance = 0;
  for (int amount : {10, 20, 30}) loop.Spawn(Deposit(loop, lock, balance, amount), "deposit");
  loop.Run();
  return balance != 60;
}

Task<> Transfer(Loop& loop, Lock& first, Lock& second) {
  LockGuard one = co_await first.Acquire();
  co_await loop.Yield();
  LockGuard two = co_await second.Acquire();
}

bool LockOrder(Loop& loop) {
  Lock a(loop, "a"), b(loop, "b");
  std::vector<TaskHandle<>> tasks = {loop.Spawn(Transfer(loop, a, b), "a-to-b"),
                                     loop.Spawn(Transfer(loop, b, a), "b-to-a")};
  const bool deadlocked = loop.Run().outcome == RunOutcome::kDeadlock;
  CancelLeft(tasks);
  return deadlocked;
}

Task<> Steps(Loop& loop, std::vector<int>& log, int who) {
  for (int step = 1; step <= 3; ++step) {
    log.push_back(who * 10 + step);
    if (step < 3) co_await loop.Yield();
  }
}

bool TornAudit(Loop& loop) {
  std::vector<int> log;
  loop.Spawn(Steps(loop, log, 1), "audit");
  loop.Spawn(Steps(loop, log, 2), "transfer");
  loop.Run();
  return Torn(log);
}

Task<> Setter(Loop& loop, Pair& pair, int value) {
  pair.x = value;
  co_await loop.Yield();
  pair.y = value;
  co_await loop.Yield();
}

Task<> Checker(Loop& loop, Pair& pair, bool& torn) {
  co_await loop.Yield();
  torn = pair.x != pair.y;
}

bool Setters(Loop& loop) {
  Pair pair;
  bool torn = false;
  for (int value = 1; value <= 5; ++value) loop.Spawn(Setter(loop, pair, value), "setter");
  loop.Spawn(Checker(loop, pair, torn), "checker");
  loop.Run();
  return torn;
}

struct Program {
  const char* name;
  const char* shape;
  bool (*bare)(BareHarness&);
  bool (*laplace)(Loop&);
};

const Program kPrograms[] = {
    {"deposits_under_lock", "3 tasks, 1 lock, 1 yield each", BareDeposits, Deposits},
    {"lock_order_deadlock", "2 tasks, 2 locks, 1 yield each", BareLockOrder, LockOrder},
    {"torn_audit", "2 tasks, 2 yields each", BareTornAudit, TornAudit},
    {"racing_setters", "5 setters x 2 yields, 1 checker", BareSetters, Setters},
};

// ---- Measuring ----

struct Timed {
  double per_second = 0;
  uint64_t failures = 0;
};

template <typename RunSchedule>
Timed Time(RunSchedule&& run_schedule) {
  Timed timed;
  const Clock::time_point start = Clock::now();  // allowed: benchmark timing
  for (uint64_t seed = 1; seed <= kSchedules; ++seed) timed.failures += run_schedule(seed) ? 1 : 0;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();  // allowed
  timed.per_second = static_cast<double>(kSchedules) / seconds;
  return timed;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Row {
  double bare = 0, fresh = 0, reused = 0, run_once = 0;
  uint64_t failures = 0;
};

// The program as a property's body, for RunOnce.
properties::Body BodyOf(const Program& program) {
  return [&program](properties::Simulation& sim) {
    sim.AllowUnfinishedTasks();
    program.laplace(sim.loop());
  };
}

// RunOnce as bench:strategies runs it: no watchdog, and only failures are read.
properties::RunOptions QuietRunOptions() {
  properties::RunOptions options;
  options.watchdog = std::chrono::seconds(0);
  options.passing_trace = false;
  return options;
}

Row Measure(const Program& program) {
  std::vector<double> bare, fresh, reused, run_once;
  BareHarness harness;
  Loop loop;
  const properties::Body body = BodyOf(program);
  const properties::RunOptions options = QuietRunOptions();
  Row row;
  for (int repetition = 0; repetition < kRepetitions; ++repetition) {
    const Timed b = Time([&](uint64_t seed) {
      harness.Reset(seed);
      return program.bare(harness);
    });
    const Timed f = Time([&](uint64_t seed) {
      Loop fresh_loop({.seed = seed});
      return program.laplace(fresh_loop);
    });
    const Timed r = Time([&](uint64_t seed) {
      loop.Reset({.seed = seed});
      return program.laplace(loop);
    });
    const Timed h = Time([&](uint64_t seed) {
      return properties::RunOnce(body, properties::TapeSpec::Seed(seed), options).failed();
    });
    if (b.failures != f.failures || f.failures != r.failures) {
      std::fprintf(stderr, "%s: failing schedules differ: bare %llu, fresh %llu, reused %llu\n",
                   program.name, static_cast<unsigned long long>(b.failures),
                   static_cast<unsigned long long>(f.failures),
                   static_cast<unsigned long long>(r.failures));
      std::exit(1);
    }
    row.failures = b.failures;
    bare.push_back(b.per_second);
    fresh.push_back(f.per_second);
    reused.push_back(r.per_second);
    run_once.push_back(h.per_second);
  }
  row.bare = Median(bare);
  row.fresh = Median(fresh);
  row.reused = Median(reused);
  row.run_once = Median(run_once);
  return row;
}

// Runs only the reused Loop variant of one program (or with `harness`, only RunOnce), long
// enough for perf or callgrind.
int Profile(const std::string& name, bool harness) {
  for (const Program& program : kPrograms) {
    if (name != program.name) continue;
    Loop loop;
    const properties::Body body = BodyOf(program);
    const properties::RunOptions options = QuietRunOptions();
    uint64_t failures = 0;
    for (uint64_t seed = 1; seed <= 10 * kSchedules; ++seed) {
      if (harness) {
        failures += properties::RunOnce(body, properties::TapeSpec::Seed(seed), options).failed();
        continue;
      }
      loop.Reset({.seed = seed});
      failures += program.laplace(loop) ? 1 : 0;
    }
    std::printf("%s: %llu failing schedules\n", program.name,
                static_cast<unsigned long long>(failures));
    return 0;
  }
  std::fprintf(stderr, "no program named %s\n", name.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  for (const std::string flag : {"--profile=", "--profile-harness="}) {
    if (argc == 2 && std::string(argv[1]).rfind(flag, 0) == 0) {
      return Profile(std::string(argv[1]).substr(flag.size()), flag == "--profile-harness=");
    }
  }
  std::printf("%llu schedules per variant per repetition, median of %d repetitions\n\n",
              static_cast<unsigned long long>(kSchedules), kRepetitions);
  std::printf(
      "| program | shape | failing | bare sched/s | fresh Loop | reused Loop | RunOnce | "
      "reused/bare | fresh/bare |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  double worst = 1e18;
  for (const Program& program : kPrograms) {
    const Row row = Measure(program);
    std::printf("| %s | %s | %llu | %.3g | %.3g | %.3g | %.3g | %.2f | %.2f |\n", program.name,
                program.shape, static_cast<unsigned long long>(row.failures), row.bare, row.fresh,
                row.reused, row.run_once, row.reused / row.bare, row.fresh / row.bare);
    worst = std::min(worst, row.reused / row.bare);
  }
  std::printf("schedule_speed: worst_ratio=%.2f programs=%zu\n", worst, std::size(kPrograms));
  return 0;
}

}  // namespace
}  // namespace laplace::bench

int main(int argc, char** argv) { return laplace::bench::Main(argc, argv); }
