#include "properties/bounded.h"

#include <utility>

#include "base/strings.h"

namespace laplace::properties {
namespace {

using WallClock = std::chrono::steady_clock;  // allowed: the search's budget is wall time
using laplace::internal::Cat;

}  // namespace

std::string BoundedResult::Summary(int preemptions_max) const {
  if (failing.has_value()) {
    return Cat("schedule ", schedules, " failed, at preemption bound ", bound, " (",
               failing->preemptions, " preemption(s))");
  }
  if (nondeterminism.has_value()) {
    return Cat("not a proof: the program is not deterministic given its choices (",
               *nondeterminism, ")");
  }
  std::string passed = Cat("all ", schedules - discarded, " schedule(s) with at most ",
                           preemptions_max, " preemption(s) pass");
  if (exhausted) {
    return Cat(passed, " (the bounded space is exhausted: no schedule with at most ",
               preemptions_max, " preemption(s) fails)");
  }
  return Cat(schedules, " schedule(s) passed up to preemption bound ", bound,
             budget_exhausted ? ", then the time budget ran out" : ", then the schedule limit",
             " (not exhausted: not a proof)");
}

BoundedResult SearchBounded(const Body& body, const strategies::BoundedSearchOptions& options,
                            const RunOptions& run, std::chrono::milliseconds budget) {
  const WallClock::time_point start = WallClock::now();  // allowed: search budget
  strategies::BoundedSearch search(options);
  BoundedResult result;
  while (true) {
    if (budget.count() > 0 && WallClock::now() - start >= budget) {
      result.budget_exhausted = true;
      break;
    }
    if (!search.NextSchedule()) break;
    RunOptions schedule = run;
    schedule.loop.strategy = &search.strategy();
    schedule.passing_trace = false;  // a passing schedule's report is dropped
    RunReport report = RunOnce(body, TapeSpec::Driven(search.source()), schedule);
    if (report.discarded) ++result.discarded;
    if (report.failed()) {
      result.failing = std::move(report);
      break;
    }
  }
  result.schedules = search.schedules();
  result.bound = search.bound();
  result.exhausted = search.exhausted() && !search.nondeterminism().has_value();
  result.nondeterminism = search.nondeterminism();
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() - start);
  return result;
}

}  // namespace laplace::properties
