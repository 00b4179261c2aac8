// Measures the linearizability checker on generated histories of the shape
// Jepsen produces against a real store, with both verdicts:
//   1. 100 cas-register histories: 5 client processes, 80-100 operations,
//      reads, writes and cas of values 0-4; a client whose call crashes
//      (about one call in eight) leaves an info operation that took effect
//      or not, and is replaced by a new process; half the histories then
//      get one read changed to a value it could not have seen. Each is
//      written as EDN, read back and checked (in process, per-history max
//      and total), then all 100 are checked by the `laplace check-history`
//      binary, process start included, and by a plain Python checker of the
//      same algorithm (bench/linearizability_reference.py) side by side,
//      whose verdicts must be the same;
//   2. key-value histories of 10 to 50 clients and 1,000 to 10,000
//      operations (get, put, append) over keys of about 100 operations each,
//      checked per key, both verdicts.
// The generator simulates a correct store (each operation takes effect at
// one instant inside its interval) with a fixed-seed PRNG, so the same
// histories come out on every run and machine.
//
//   bazel run -c opt //bench:linearizability
//
// The wall clock is allowed here: benchmarks measure real time.
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "loop/prng.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/history_file.h"
#include "properties/linearizability/models.h"

namespace {

using namespace laplace::linearizability;
using Clock = std::chrono::steady_clock;  // allowed: bench/ measures wall time
using laplace::Prng;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time (user + system) of the finished children so far, in ms: steadier
// than the wall clock on a shared machine.
double ChildrenCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

enum class Shape { kRegister, kKv };

// One operation of the simulated store, before its result is known.
struct Planned {
  int thread = 0;
  Process process = 0;
  std::string f;
  Value key;
  Value input;
  int64_t invoke = 0, effect = 0, complete = 0;  // times
  bool crashed = false;                          // completes as info
  bool takes_effect = true;                      // for a crashed one: whether it happened
  Value output;
  bool failed = false;  // a cas that found another value
};

Planned Plan(Shape shape, Prng& prng, int keys, int64_t key_base) {
  Planned op;
  uint64_t kind = prng.Below(100);
  if (shape == Shape::kRegister) {
    op.f = kind < 50 ? "read" : kind < 75 ? "write" : "cas";
    if (op.f == "write") op.input = static_cast<int64_t>(prng.Below(5));
    if (op.f == "cas") {
      op.input =
          Value::List({static_cast<int64_t>(prng.Below(5)), static_cast<int64_t>(prng.Below(5))});
    }
  } else {
    op.f = kind < 50 ? "get" : kind < 80 ? "put" : "append";
    op.key = key_base + static_cast<int64_t>(prng.Below(static_cast<uint64_t>(keys)));
    if (op.f != "get") op.input = static_cast<int64_t>(prng.Below(1000));
  }
  return op;
}

// Applies `op` to `state` at its effect time: the correct store.
void Apply(Shape shape, Planned& op, Value& state) {
  if (op.f == "read" || op.f == "get") {
    op.output = state;
  } else if (op.f == "write" || op.f == "put") {
    state = op.input;
  } else if (op.f == "cas") {
    op.failed = state != op.input.list()[0];
    if (!op.failed) state = op.input.list()[1];
  } else {
    std::optional<Value> next = KvModel{}.Step(state, Operation{.f = op.f, .input = op.input});
    state = *next;
  }
  (void)shape;
}

// The operations of `threads` clients, timed but without results. A
// crashed call (`crash_per_1000`) completes as info, took effect or not, and
// its client continues as a new process, as Jepsen replaces crashed clients.
std::vector<Planned> PlanOperations(Shape shape, Prng& prng, int threads, int operations,
                                    uint32_t crash_per_1000) {
  std::vector<Planned> ops;
  std::vector<int64_t> free_at(static_cast<size_t>(threads), 0);
  std::vector<Process> process(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) process[static_cast<size_t>(t)] = t;
  int keys = shape == Shape::kKv ? std::max(1, threads / 5) : 1;
  for (int i = 0; i < operations; ++i) {
    size_t t = prng.Below(static_cast<uint64_t>(threads));
    // Keys rotate like Jepsen's independent keys: about 100 operations each.
    Planned op = Plan(shape, prng, keys, (i / (100 * keys)) * keys);
    op.thread = static_cast<int>(t);
    op.process = process[t];
    op.invoke = free_at[t] + 1 + static_cast<int64_t>(prng.Below(20));
    op.effect = op.invoke + static_cast<int64_t>(prng.Below(30));
    op.complete = op.effect + 1 + static_cast<int64_t>(prng.Below(30));
    op.crashed = prng.Below(1000) < crash_per_1000;
    if (op.crashed) {
      op.takes_effect = prng.Below(2) == 0;
      process[t] += threads;
    }
    free_at[t] = op.complete;
    ops.push_back(op);
  }
  return ops;
}

// Applies the operations to a correct store in the order of their effects.
void TakeEffect(Shape shape, std::vector<Planned>& ops) {
  std::vector<size_t> by_effect(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) by_effect[i] = i;
  std::stable_sort(by_effect.begin(), by_effect.end(),
                   [&](size_t a, size_t b) { return ops[a].effect < ops[b].effect; });
  std::vector<std::pair<Value, Value>> state;  // key -> value
  for (size_t i : by_effect) {
    if (!ops[i].takes_effect) continue;
    auto it =
        std::find_if(state.begin(), state.end(), [&](auto& kv) { return kv.first == ops[i].key; });
    if (it == state.end()) it = state.insert(state.end(), {ops[i].key, Value()});
    Apply(shape, ops[i], it->second);
  }
}

// Changes one ok read: a register's to another value of 0-4 (which another
// write may still explain), a key's to 1001, a value nobody writes.
void Corrupt(Shape shape, std::vector<Planned>& ops, Prng& prng) {
  std::vector<size_t> reads;
  for (size_t i = 0; i < ops.size(); ++i) {
    if ((ops[i].f == "read" || ops[i].f == "get") && !ops[i].crashed) reads.push_back(i);
  }
  if (reads.empty()) return;
  Planned& read = ops[reads[prng.Below(reads.size())]];
  if (shape == Shape::kKv) {
    read.output = int64_t{1001};
  } else if (read.output.is_nil()) {
    read.output = static_cast<int64_t>(prng.Below(5));
  } else {
    read.output = (read.output.integer() + 1 + static_cast<int64_t>(prng.Below(4))) % 5;
  }
}

// The events in time order (at one instant, completions before invocations).
History ToHistory(const std::vector<Planned>& ops) {
  struct At {
    int64_t time;
    int order;  // 0 invoke, 1 completion
    size_t op;
  };
  std::vector<At> events;
  for (size_t i = 0; i < ops.size(); ++i) {
    events.push_back({ops[i].invoke, 0, i});
    events.push_back({ops[i].complete, 1, i});
  }
  std::stable_sort(events.begin(), events.end(), [](const At& a, const At& b) {
    return a.time != b.time ? a.time < b.time : a.order > b.order;
  });
  History history;
  for (const At& at : events) {
    const Planned& op = ops[at.op];
    Event event{.process = op.process,
                .f = op.f,
                .key = op.key,
                .time = laplace::Time(laplace::Duration(at.time * 1000))};
    if (at.order == 0) {
      event.type = EventType::kInvoke;
      event.value = op.input;
    } else if (op.crashed) {
      event.type = EventType::kInfo;
    } else if (op.failed) {
      event.type = EventType::kFail;
    } else {
      event.type = EventType::kOk;
      event.value = op.f == "read" || op.f == "get" ? op.output : op.input;
    }
    history.Append(std::move(event));
  }
  return history;
}

// A history of `operations` operations by `threads` clients of a correct
// store; `corrupt` changes one read (Corrupt).
History Generate(Shape shape, uint64_t seed, int threads, int operations, bool corrupt,
                 uint32_t crash_per_1000) {
  Prng prng(seed);
  std::vector<Planned> ops = PlanOperations(shape, prng, threads, operations, crash_per_1000);
  TakeEffect(shape, ops);
  if (corrupt) Corrupt(shape, ops, prng);
  return ToHistory(ops);
}

struct Timed {
  Verdict verdict;
  double ms;        // parse + check
  double check_ms;  // check alone
  double cpu_ms;    // parse + check, this process's CPU time
};

// This process's CPU time in ms: unlike the wall clock, it does not count
// the time slices other processes get on a shared machine.
double CpuMs() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);  // allowed: bench/ measures time
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

template <typename M>
Timed CheckText(const std::string& edn, const M& model) {
  double cpu_start = CpuMs();
  Clock::time_point start = Clock::now();
  absl::StatusOr<History> history = ParseHistory(edn);
  if (!history.ok()) {
    std::fprintf(stderr, "generated history does not parse: %s\n",
                 std::string(history.status().message()).c_str());
    std::exit(1);
  }
  Clock::time_point checking = Clock::now();
  absl::StatusOr<CheckResult> result = Check(*history, model);
  double check_ms = MsSince(checking);
  if (!result.ok()) {
    std::fprintf(stderr, "generated history is malformed: %s\n",
                 std::string(result.status().message()).c_str());
    std::exit(1);
  }
  return {result->verdict, MsSince(start), check_ms, CpuMs() - cpu_start};
}

// A file of this workspace in the runfiles tree beside this binary.
std::string Runfile(const char* argv0, const std::string& path) {
  std::string runfiles = std::string(argv0) + ".runfiles/laplace/" + path;
  if (std::filesystem::exists(runfiles)) return runfiles;
  return path;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs the Python reference checker on the same files (if python3 is
// there) and compares its verdicts with `ours`, "FILE: verdict" lines.
void CompareWithReference(const char* argv0, const std::string& files,
                          const std::filesystem::path& dir, const std::string& ours) {
  if (std::system("python3 -c '' 2>/dev/null") != 0) {
    std::printf("  python3 not found: no side-by-side reference check\n");
    return;
  }
  std::string out = (dir / "reference.txt").string();
  std::string command =
      "python3 " + Runfile(argv0, "bench/linearizability_reference.py") + files + " > " + out;
  double cpu_before = ChildrenCpuMs();
  Clock::time_point start = Clock::now();
  int status = std::system(command.c_str());
  double ms = MsSince(start);
  double cpu_ms = ChildrenCpuMs() - cpu_before;
  std::string theirs = ReadAll(out);
  size_t total = theirs.rfind("total ");
  bool same = status == 0 && total != std::string::npos && theirs.substr(0, total) == ours;
  std::printf(
      "  Python reference (bench/linearizability_reference.py), process start included: "
      "%.1f ms (%.1f ms of CPU); verdicts %s\n",
      ms, cpu_ms, same ? "identical to laplace's on all 100" : "DIFFER (see reference.txt)");
}

void RegisterHistories(const char* argv0) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "laplace_linearizability";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  int counts[3] = {0, 0, 0};
  double total_ms = 0, max_ms = 0, check_ms = 0, cpu_ms = 0, max_cpu_ms = 0;
  int operations = 0, infos = 0;
  std::string files;
  for (int i = 0; i < 100; ++i) {
    Prng sizes(1000 + i);
    int ops = 80 + static_cast<int>(sizes.Below(21));
    History history = Generate(Shape::kRegister, i, 5, ops, /*corrupt=*/i % 2 == 1, 125);
    for (const Event& e : history.events()) infos += e.type == EventType::kInfo ? 1 : 0;
    operations += ops;
    std::string edn = history.ToEdn();
    std::string path = (dir / ("register-" + std::to_string(i) + ".edn")).string();
    std::ofstream(path) << edn;
    files += " " + path;
    Timed timed = CheckText(edn, CasRegisterModel{});
    counts[static_cast<int>(timed.verdict)]++;
    total_ms += timed.ms;
    check_ms += timed.check_ms;
    max_ms = std::max(max_ms, timed.ms);
    cpu_ms += timed.cpu_ms;
    max_cpu_ms = std::max(max_cpu_ms, timed.cpu_ms);
  }
  std::printf("cas-register, 100 histories, 5 processes, %d operations (%d info)\n", operations,
              infos);
  std::printf("  verdicts: %d linearizable, %d not linearizable, %d unknown\n", counts[0],
              counts[1], counts[2]);
  std::printf(
      "  in process (parse + check): total %.1f ms (the checks alone %.1f ms), max %.2f "
      "ms per history; CPU time: total %.1f ms, max %.2f ms per history\n",
      total_ms, check_ms, max_ms, cpu_ms, max_cpu_ms);
  std::string command = Runfile(argv0, "replays/laplace") + " check-history --model=cas-register" +
                        files + " > " + (dir / "out.txt").string();
  double cpu_before = ChildrenCpuMs();
  Clock::time_point start = Clock::now();
  int status = std::system(command.c_str());
  double cli_ms = MsSince(start);
  std::printf(
      "  laplace check-history on the 100 files, process start included: %.1f ms "
      "(%.1f ms of CPU; exit %d)\n",
      cli_ms, ChildrenCpuMs() - cpu_before, WEXITSTATUS(status));
  // Its lines without the times, to compare with the reference's.
  std::string ours;
  std::string lines = ReadAll(dir / "out.txt");
  for (size_t at = 0; at < lines.size();) {
    size_t end = lines.find('\n', at);
    std::string line = lines.substr(at, end - at);
    ours += line.substr(0, line.rfind(" (")) + "\n";
    at = end + 1;
  }
  CompareWithReference(argv0, files, dir, ours);
}

void KvHistory(int clients, int operations, bool corrupt) {
  History history =
      Generate(Shape::kKv, 7 + operations + clients, clients, operations, corrupt, 20);
  std::string edn = history.ToEdn();
  Timed timed = CheckText(edn, KvModel{});
  std::printf("| %d | %d | %s | %s | %.1f | %.1f | %.1f |\n", clients, operations,
              corrupt ? "one stale get" : "-", std::string(VerdictName(timed.verdict)).c_str(),
              timed.ms, timed.cpu_ms, timed.check_ms);
}

}  // namespace

int main(int /*argc*/, char** argv) {
  RegisterHistories(argv[0]);
  std::printf("\nkv, checked per key\n");
  std::printf(
      "| clients | operations | changed | verdict | parse + check ms | its CPU ms | check ms |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (auto [clients, operations] :
       {std::pair{10, 1000}, std::pair{50, 2000}, std::pair{50, 5000}, std::pair{50, 10000}}) {
    KvHistory(clients, operations, false);
    KvHistory(clients, operations, true);
  }
  return 0;
}
