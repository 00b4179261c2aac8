// Fix confidence: does a failure still happen near its schedule?
//
// A replay file reproduces one schedule. A fix that only moves that schedule
// (a sleep, a reordered line) makes the file pass while the bug stays one
// preemption away. `--laplace_confidence=RUNS[:STEPS]` with
// `--laplace_replay=FILE` (or `laplace confidence FILE --runs N`) replays the
// file's tape up to shortly before its failure and draws every later choice
// at random, RUNS times, and counts the runs that fail with the file's
// signature. "Shortly before" is STEPS scheduling steps before the failing
// step; by default the last quarter of the failing run's steps (at least
// one): the file records the step its failure happened at, and the tape
// prefix kept is every choice made through step (failure step - STEPS) when
// the file's tape is replayed on the code as it is now (leniently, so a
// changed program still gets the same numbers). Run i draws from
// Prng(mix(the file's digest, i)), so a measurement is reproducible. On the
// buggy code the rate is high; on a real fix it is 0, and the interval says
// how sure that is (95% Wilson score interval).
//
//   ConfidenceResult result = ...;  // PropertyResult::confidence
//   std::cout << FormatConfidence(result);
//   // "the failure invariant:money-conserved happened in 0 of 200 randomized runs
//   //  (0.0%, 95% interval 0.0% to 1.9%) ..."
#ifndef LAPLACE_PROPERTIES_CONFIDENCE_H_
#define LAPLACE_PROPERTIES_CONFIDENCE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace laplace::properties {

struct ConfidenceResult {
  std::string signature;        // the file's failure
  uint64_t runs = 0;            // randomized runs made
  uint64_t same_failure = 0;    // of those, failed with `signature`
  uint64_t other_failures = 0;  // failed with another signature
  std::map<std::string, uint64_t> other_signatures;
  double low = 0;  // 95% Wilson interval of same_failure / runs
  double high = 0;
  uint64_t failure_step = 0;    // the step the file's failure happened at
  uint64_t cut_step = 0;        // the replayed prefix ends after this step
  uint64_t prefix_choices = 0;  // choices replayed before randomizing
};

// The 95% Wilson score interval (z = 1.96) of a proportion: `successes` of
// `trials`. Requires successes <= trials; (0, 1) for no trials.
std::pair<double, double> WilsonInterval(uint64_t successes, uint64_t trials);

// Several lines: the rate with its interval, what was replayed and what
// randomized, other failures, and what the numbers mean.
std::string FormatConfidence(const ConfidenceResult& result);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_CONFIDENCE_H_
