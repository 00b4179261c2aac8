// Prints "<seed> <digest> <steps> <tape length>" for seeds [first, first+count)
// of the determinism workload, so two processes (or two builds) can be
// compared line by line.
//
//   bazel run //tests:determinism_probe -- 0 100
//   bazel run //tests:determinism_probe -- 7 1 --trace   # and print the trace
#include <cstdio>
#include <cstdlib>
#include <string>

#include "loop/loop.h"
#include "tests/workload.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s FIRST_SEED COUNT [--trace]\n", argv[0]);
    return 2;
  }
  bool print_trace = argc == 4 && std::string(argv[3]) == "--trace";
  uint64_t first = std::strtoull(argv[1], nullptr, 10);
  uint64_t count = std::strtoull(argv[2], nullptr, 10);
  for (uint64_t seed = first; seed < first + count; ++seed) {
    laplace::Loop loop({.seed = seed, .trace = {.keep_all = print_trace}});
    laplace::RunResult result = laplace::tests::RunWorkload(loop);
    if (!result.ok()) {
      std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed),
                   result.ToString().c_str());
      return 1;
    }
    if (print_trace) {
      std::printf("%s", loop.FormatTrace(loop.trace().events()).c_str());
      for (const laplace::Choice& choice : loop.tape()) {
        std::printf("%s\n", laplace::FormatChoice(choice).c_str());
      }
    }
    std::printf("%llu %016llx %llu %zu\n", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(loop.digest()),
                static_cast<unsigned long long>(loop.steps()), loop.tape_size());
  }
  return 0;
}
