// Prints "<seed> <digest> <steps> <tape length>" for seeds [first, first+count)
// of the determinism workload, so two processes (or two builds) can be
// compared line by line.
//
//   bazel run //tests:determinism_probe -- 0 100
#include <cstdio>
#include <cstdlib>

#include "loop/loop.h"
#include "tests/workload.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FIRST_SEED COUNT\n", argv[0]);
    return 2;
  }
  uint64_t first = std::strtoull(argv[1], nullptr, 10);
  uint64_t count = std::strtoull(argv[2], nullptr, 10);
  for (uint64_t seed = first; seed < first + count; ++seed) {
    laplace::Loop loop({.seed = seed});
    laplace::RunResult result = laplace::tests::RunWorkload(loop);
    if (!result.ok()) {
      std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed),
                   result.ToString().c_str());
      return 1;
    }
    std::printf("%llu %016llx %llu %zu\n", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(loop.digest()),
                static_cast<unsigned long long>(loop.steps()), loop.tape().size());
  }
  return 0;
}
