// FoundCase: a failing case the pipeline found and shrank, with what it
// took to get there. It is what a replay file is made from (replay_record.h)
// and what a PropertyResult reports (pipeline.h).
//
//   FoundCase found{.test_name = "Bank.Transfers", .seed = 7, .report = shrunk.report};
//   replays::Replay file = MakeReplay(found, replays::EXPECT_PASS);
#ifndef LAPLACE_PROPERTIES_FOUND_CASE_H_
#define LAPLACE_PROPERTIES_FOUND_CASE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "properties/runner.h"
#include "properties/shrinker.h"

namespace laplace::properties {

struct FoundCase {
  std::string test_name;     // "Suite.Test"
  std::string bazel_target;  // "//pkg:target", or "" if unknown
  // The strategy that found the failure and its parameters (RunReport::strategy of the
  // unshrunk run); the (shrunk) tape replays without it.
  StrategyConfig strategy{"random-walk", {}};
  uint64_t seed = 0;                        // the run the failure was found in
  int size = 0;                             // and its generation size
  std::string args_reproduce;               // RapidCheck reproduce data, base64
  std::vector<std::string> args_rendering;  // "int amount = 3"
  RunReport report;                         // the (shrunk) failing run
  size_t original_length = 0;               // tape length before shrinking
  size_t original_nonzero = 0;              // its non-zero choices (schedule and other)
  // Every candidate run while shrinking: RapidCheck's shrinks of the
  // arguments and the tape shrinker's candidates (shrink_stats.tried()).
  size_t candidates_tried = 0;
  bool shrink_budget_exhausted = false;
  std::chrono::milliseconds shrink_time{0};
  // What the shrink cost, by candidate outcome, and which passes made
  // progress (RapidCheck's own shrinks count only in candidates_tried).
  ShrinkStats shrink_stats;
  // The causal chain of the shrunk run's failure, one readable line per
  // event (replays/trace_export/text.h, FailureChain), and how many events
  // the failure depends on in all; empty when no chain could be made.
  std::vector<std::string> causal_chain;
  uint64_t causal_ancestors = 0;
};

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_FOUND_CASE_H_
