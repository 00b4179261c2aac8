// The workloads of //bench:scaling: each builds fresh state for one size, does the work whose
// cost per unit the curve is about, and says how long that work took and how many bytes it left
// held. bench/scaling.cc runs each size in a process of its own.
#ifndef LAPLACE_BENCH_SCALING_WORKLOADS_H_
#define LAPLACE_BENCH_SCALING_WORKLOADS_H_

#include <cstdint>
#include <string_view>

namespace laplace::bench {

struct Measurement {
  double seconds = 0;      // CPU time of the measured work only (not the setup)
  uint64_t units = 0;      // tasks, sleeps, nodes, calls, ... the work was made of
  int64_t held_bytes = 0;  // heap bytes still held after the work (mallinfo2 delta)
};

using Workload = Measurement (*)(uint64_t size);

// The workload called `name`, or null if there is none.
Workload FindWorkload(std::string_view name);

}  // namespace laplace::bench

#endif  // LAPLACE_BENCH_SCALING_WORKLOADS_H_
