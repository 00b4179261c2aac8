// Measures that nothing costs more per unit as the work grows: for each curve, the cost per unit
// (CPU time of the process, or heap bytes still held) at sizes 100x apart.
//
//   bazel run -c opt //bench:scaling
//   bazel run -c opt //bench:scaling -- --curves=partition_time,partition_bytes
//
// Each size of each curve runs in a process of its own (this binary re-executes itself with
// --workload=<name> --size=<n>), so one size's heap, caches and peak RSS never leak into the
// next. A child repeats a workload that took under 0.2 s, up to five times, and reports the
// fastest run (the machine is shared and noisy); bytes held come from mallinfo2() deltas, peak
// memory from getrusage(). The last line is
//
//   scaling: worst_growth=<r> curves=<n>
//
// where r is the largest, over the curves, of the cost per unit at the largest size divided by
// that at the size 100x smaller. For byte curves one byte per unit is added to both sides, so a
// curve that holds nothing per unit at both ends grows by 1, not by 0/0. Time is CPU time, not
// wall time: on a shared machine a process waiting for a core would count the wait as work.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/scaling_workloads.h"

namespace {

using laplace::bench::Measurement;
using laplace::bench::Workload;

enum class Metric { kNanoseconds, kBytes };

struct Curve {
  std::string_view name;
  std::string_view workload;
  std::string_view unit;
  Metric metric;
  std::vector<uint64_t> sizes;  // the first is 100x smaller than the last
};

const std::vector<Curve>& Curves() {
  static const std::vector<Curve> curves = {
      {"teardown", "teardown", "task", Metric::kNanoseconds, {10'000, 100'000, 1'000'000}},
      {"cancel_oldest",
       "cancel_oldest",
       "cancel",
       Metric::kNanoseconds,
       {10'000, 100'000, 1'000'000}},
      {"cancel_spread",
       "cancel_spread",
       "cancel",
       Metric::kNanoseconds,
       {10'000, 100'000, 1'000'000}},
      // A control for cancel_spread: the same cancels of tasks blocked on an Event, so no ready
      // queue is involved; what this curve grows by is the rest of a cancel (memory).
      {"cancel_spread_blocked",
       "cancel_spread_blocked",
       "cancel",
       Metric::kNanoseconds,
       {10'000, 100'000, 1'000'000}},
      {"simultaneous_sleeps",
       "simultaneous_sleeps",
       "sleep",
       Metric::kNanoseconds,
       {1'000, 10'000, 100'000}},
      {"sleeps_zero_tape",
       "simultaneous_sleeps_zero_tape",
       "sleep",
       Metric::kNanoseconds,
       {1'000, 10'000, 100'000}},
      {"add_nodes", "add_nodes", "node", Metric::kNanoseconds, {300, 3'000, 30'000}},
      {"destroy_world", "destroy_world", "node", Metric::kNanoseconds, {300, 3'000, 30'000}},
      {"crash_one", "crash_one", "crash", Metric::kNanoseconds, {300, 3'000, 30'000}},
      {"partition_time", "partition_halves", "node", Metric::kNanoseconds, {300, 3'000, 30'000}},
      {"partition_bytes", "partition_halves", "node", Metric::kBytes, {300, 3'000, 30'000}},
      {"labelled_tasks_bytes",
       "labelled_tasks",
       "task",
       Metric::kBytes,
       {10'000, 100'000, 1'000'000}},
      {"rpc_calls_bytes", "rpc_calls", "call", Metric::kBytes, {1'000, 10'000, 100'000}},
      {"pending_timers",
       "pending_timers",
       "timer",
       Metric::kNanoseconds,
       {10'000, 100'000, 1'000'000}},
  };
  return curves;
}

struct Sample {
  Measurement measurement;
  long peak_rss_kib = 0;
};

double PerUnit(const Sample& sample, Metric metric) {
  const double units = static_cast<double>(sample.measurement.units);
  if (metric == Metric::kNanoseconds) return sample.measurement.seconds * 1e9 / units;
  return static_cast<double>(sample.measurement.held_bytes) / units;
}

// The child: runs one workload at one size and prints "seconds units held_bytes peak_rss_kib".
int RunChild(std::string_view name, uint64_t size) {
  Workload workload = laplace::bench::FindWorkload(name);
  if (workload == nullptr) {
    std::fprintf(stderr, "no workload '%.*s'\n", static_cast<int>(name.size()), name.data());
    return 2;
  }
  Measurement best = workload(size);
  double total = best.seconds;
  for (int repeat = 1; repeat < 5 && total < 0.2; ++repeat) {
    Measurement again = workload(size);
    total += again.seconds;
    best.seconds = std::min(best.seconds, again.seconds);
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%.9f %llu %lld %ld\n", best.seconds, static_cast<unsigned long long>(best.units),
              static_cast<long long>(best.held_bytes), usage.ru_maxrss);
  return 0;
}

std::string SelfPath() {
  char path[4096];
  ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (length <= 0) {
    std::perror("readlink /proc/self/exe");
    std::exit(2);
  }
  return std::string(path, static_cast<size_t>(length));
}

// Runs one size of one workload in a fresh process of its own.
Sample RunInChild(std::string_view workload, uint64_t size) {
  const std::string command =
      SelfPath() + " --workload=" + std::string(workload) + " --size=" + std::to_string(size);
  FILE* child = popen(command.c_str(), "r");
  if (child == nullptr) {
    std::perror("popen");
    std::exit(2);
  }
  Sample sample;
  double seconds = 0;
  unsigned long long units = 0;
  long long held = 0;
  const int read =
      std::fscanf(child, "%lf %llu %lld %ld", &seconds, &units, &held, &sample.peak_rss_kib);
  if (pclose(child) != 0 || read != 4 || units == 0) {
    std::fprintf(stderr, "'%s' failed\n", command.c_str());
    std::exit(2);
  }
  sample.measurement = {.seconds = seconds, .units = units, .held_bytes = held};
  return sample;
}

// Whether `curve` was asked for (--curves=a,b; all when none was named).
bool Wanted(const Curve& curve, std::string_view list) {
  if (list.empty()) return true;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (list.substr(0, comma) == curve.name) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

int RunCurves(std::string_view wanted) {
  std::map<std::pair<std::string_view, uint64_t>, Sample> samples;  // a workload run once a size
  double worst = 0;
  std::string_view worst_name;
  int curves = 0;
  std::printf("%-22s %10s %14s %12s\n", "curve", "size", "cost/unit", "peak RSS");
  for (const Curve& curve : Curves()) {
    if (!Wanted(curve, wanted)) continue;
    std::vector<double> costs;
    for (uint64_t size : curve.sizes) {
      auto key = std::make_pair(curve.workload, size);
      if (!samples.contains(key)) samples[key] = RunInChild(curve.workload, size);
      const Sample& sample = samples[key];
      costs.push_back(PerUnit(sample, curve.metric));
      const char* suffix = curve.metric == Metric::kNanoseconds ? "ns" : "B";
      std::printf("%-22.*s %10llu %11.1f %-2s/%.*s %9.1f MiB\n",
                  static_cast<int>(curve.name.size()), curve.name.data(),
                  static_cast<unsigned long long>(size), costs.back(), suffix,
                  static_cast<int>(curve.unit.size()), curve.unit.data(),
                  static_cast<double>(sample.peak_rss_kib) / 1024);
    }
    const double pad = curve.metric == Metric::kBytes ? 1 : 0;
    const double growth =
        (std::max(costs.back(), 0.0) + pad) / (std::max(costs.front(), 0.0) + pad);
    std::printf("%-22.*s growth over %llux: %.2f\n", static_cast<int>(curve.name.size()),
                curve.name.data(),
                static_cast<unsigned long long>(curve.sizes.back() / curve.sizes.front()), growth);
    if (growth > worst) {
      worst = growth;
      worst_name = curve.name;
    }
    ++curves;
  }
  if (curves == 0) {
    std::fprintf(stderr, "--curves named no curve this benchmark has\n");
    return 2;
  }
  std::printf("worst: %.*s\n", static_cast<int>(worst_name.size()), worst_name.data());
  std::printf("scaling: worst_growth=%.2f curves=%d\n", worst, curves);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view workload;
  uint64_t size = 0;
  std::string_view curves;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--workload=")) {
      workload = arg.substr(11);
    } else if (arg.starts_with("--size=")) {
      size = std::strtoull(argv[i] + 7, nullptr, 10);
    } else if (arg.starts_with("--curves=")) {
      curves = arg.substr(9);
    } else {
      std::fprintf(stderr, "unknown argument '%s'; accepted: --curves=<a,b,...>\n", argv[i]);
      return 2;
    }
  }
  if (!workload.empty()) {
    if (size == 0) {
      std::fprintf(stderr, "--workload needs --size=<n>, n >= 1\n");
      return 2;
    }
    return RunChild(workload, size);
  }
  return RunCurves(curves);
}
