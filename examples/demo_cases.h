// The examples the demo walks through: each a buggy system, its fixed twin,
// and what to say about them. Add an example by adding a DemoCase here.
//
//   for (const DemoCase& demo : DemoCases()) {
//     RunReport report = RunOnce(demo.buggy, TapeSpec::Seed(0), {});
//   }
#ifndef LAPLACE_EXAMPLES_DEMO_CASES_H_
#define LAPLACE_EXAMPLES_DEMO_CASES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "properties/runner.h"

namespace laplace::examples {

struct DemoCase {
  std::string name;                      // "bank": selects it on the command line
  std::string title;                     // one line
  std::vector<std::string> explanation;  // the bug, in a few lines
  std::string fix;                       // the fix, in a few words
  properties::Body buggy;
  properties::Body fixed;
  // When not empty, the story shows only trace lines holding one of these.
  std::vector<std::string> story_keywords;
  // Strategies (--laplace_strategy names) swept first, each on its own, to show what the
  // default portfolio's search is up against (the heartbeat: the random walk misses it).
  std::vector<std::string> compare_strategies;
  uint64_t seeds = 1000;        // how far to search
  uint64_t fixed_seeds = 2000;  // how many seeds the fix must pass
  // The bug-zoo test whose replay file this is (so `laplace replay` can
  // rerun it): its name, Bazel target and package.
  std::string test_name;
  std::string bazel_target;
  std::string package;
};

std::vector<DemoCase> DemoCases();

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_DEMO_CASES_H_
