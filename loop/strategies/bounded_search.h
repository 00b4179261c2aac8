// Bounded exhaustive search: every schedule with at most b preemptions, depth first.
//
// Musuvathi, Qadeer, "Iterative Context Bounding for Systematic Testing of
// Multithreaded Programs", PLDI 2007 (CHESS); shuttle's DfsScheduler. A
// stateless search: each schedule is a fresh run of the program, following
// a prefix of decisions and then the least surprising one (keep running the
// task that yielded, else the oldest ready task) at every later point; the
// next prefix is the deepest decision of the last run that can still be
// raised without exceeding the bound. A preemption is running another task
// while the one that just yielded could go on; a pick after a task blocked
// or finished is free. Every other choice the run makes (a timer tie, a
// fault, a delay, a drawn value) is enumerated over its whole range too, so
// keep their bounds small.
//
// Guarantee: when the search reports exhausted(), every schedule of the
// program with at most `preemptions_max` preemptions (with every value of
// every other choice) has run: if none failed, no such schedule fails. That
// is a proof for that bound, for a program that is deterministic given its
// choices. Iterative (the default), it runs bound 0, then 1, ..., so the
// first failure found has the fewest preemptions any failure has.
//
// One BoundedSearch drives many runs; each run gets its source() and
// strategy() (both for its Loop), and NextSchedule() moves on:
//
//   laplace::strategies::BoundedSearch search({.preemptions_max = 2});
//   while (search.NextSchedule()) {
//     laplace::Loop loop({.source = &search.source(), .strategy = &search.strategy()});
//     ... spawn, run, check ...
//     if (failed) break;  // search.schedules(), search.bound()
//   }
//   if (search.exhausted()) { /* no schedule with <= 2 preemptions fails */ }
#ifndef LAPLACE_LOOP_STRATEGIES_BOUNDED_SEARCH_H_
#define LAPLACE_LOOP_STRATEGIES_BOUNDED_SEARCH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loop/choice.h"
#include "loop/strategy.h"

namespace laplace::strategies {

struct BoundedSearchOptions {
  // b: schedules with more preemptions than this are not run.
  int preemptions_max = 2;
  // Run bound 0, then 1, ..., then b (each bound's schedules include the lower bounds').
  bool iterative = true;
  // Stop after this many schedules, exhausted or not.
  uint64_t schedules_max = 100'000;
};

class BoundedSearch {
 public:
  explicit BoundedSearch(BoundedSearchOptions options = {});
  BoundedSearch(const BoundedSearch&) = delete;
  BoundedSearch& operator=(const BoundedSearch&) = delete;
  ~BoundedSearch();

  // Prepares the next schedule (learning from the previous run, whose Loop must be gone);
  // false once the space is exhausted or schedules_max schedules have run.
  bool NextSchedule();
  // The current schedule's choice source and strategy: give both to its Loop.
  ChoiceSource& source();
  Strategy& strategy();

  // Schedules run (NextSchedule calls that returned true).
  uint64_t schedules() const { return schedules_; }
  // The preemption bound of the current schedule (the last, once done).
  int bound() const { return bound_; }
  // True when every schedule within preemptions_max has run.
  bool exhausted() const { return exhausted_; }
  // The first run whose program asked for a different choice than an earlier run did at the
  // same point (a program that is not deterministic given its choices), if any.
  const std::optional<std::string>& nondeterminism() const { return nondeterminism_; }
  // "bounded:preemptions=B", with the bound of the current schedule.
  StrategyConfig config() const;

 private:
  class Source;
  class Picker;
  struct Decision {
    uint64_t bound = 0;
    uint64_t value = 0;
    bool preemptive = false;  // a schedule pick with a yielder: a non-zero value preempts
  };

  // The next prefix after the run that left `trail_`; false when the bound is exhausted.
  bool Backtrack();

  BoundedSearchOptions options_;
  int bound_ = 0;
  uint64_t schedules_ = 0;
  bool exhausted_ = false;
  bool started_ = false;
  std::optional<std::string> nondeterminism_;
  std::vector<Decision> prefix_;  // what the current schedule follows
  std::vector<Decision> trail_;   // what the current schedule did
  std::unique_ptr<Source> source_;
  std::unique_ptr<Picker> picker_;
};

}  // namespace laplace::strategies

#endif  // LAPLACE_LOOP_STRATEGIES_BOUNDED_SEARCH_H_
