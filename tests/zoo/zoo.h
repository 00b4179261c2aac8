// The bug zoo: small programs with one concurrency bug each, a fixed twin each, and the
// fewest preemptions any failing schedule of the buggy one needs.
//
// Each program is a property body (properties::Body): it builds its world in the Simulation,
// runs it and asserts. The buggy body fails on some schedules; the fixed twin on none. The
// zoo's test (zoo_test.cc) checks every claim with the bounded search: no schedule with fewer
// than `minimal_preemptions` preemptions fails the buggy body, one with exactly that many
// does, and the fixed twin passes every schedule within that bound (at least 1) and 10,000
// portfolio schedules. bench/strategies.cc measures every strategy on them. The table of
// programs is tests/zoo/README.md.
//
//   for (const laplace::zoo::ZooProgram& program : laplace::zoo::Zoo()) {
//     laplace::properties::RunReport run =
//         laplace::properties::RunOnce(program.buggy, laplace::properties::TapeSpec::Seed(7), {});
//   }
#ifndef LAPLACE_TESTS_ZOO_ZOO_H_
#define LAPLACE_TESTS_ZOO_ZOO_H_

#include <string>
#include <string_view>
#include <vector>

#include "loop/loop.h"
#include "loop/task.h"
#include "properties/runner.h"
#include "properties/shrinker.h"

namespace laplace::zoo {

struct ZooProgram {
  std::string name;     // "lost_wakeup": the file tests/zoo/<name>.cc
  std::string pattern;  // the bug in one line
  // The fewest preemptions of any failing schedule of `buggy` (0: a free choice of who runs
  // next, or a drawn value, is enough).
  int minimal_preemptions = 0;
  properties::Body buggy;
  properties::Body fixed;
};

// Every program, in the README's order.
const std::vector<ZooProgram>& Zoo();

// Shrinks `failing`, a failing run of `body`, as the pipeline does (tape replays, whatever
// strategy found it) and returns the shrunk run.
properties::RunReport Shrunk(const properties::Body& body, const properties::RunReport& failing);

// The tasks a body spawned. Declared after the state they use, it cancels those still alive
// when the body returns (a deadlocked or failed run leaves some), so that no task frame
// outlives the locals it points to.
class TaskSet {
 public:
  explicit TaskSet(Loop& loop) : loop_(loop) {}
  TaskSet(const TaskSet&) = delete;
  TaskSet& operator=(const TaskSet&) = delete;
  ~TaskSet() {
    for (auto it = handles_.rbegin(); it != handles_.rend(); ++it) it->Cancel();
  }

  TaskHandle<> Spawn(Task<> task, std::string_view label) {
    handles_.push_back(loop_.Spawn(std::move(task), label));
    return handles_.back();
  }

 private:
  Loop& loop_;
  std::vector<TaskHandle<>> handles_;
};

// One factory per program file.
ZooProgram AtomicityViolation();
ZooProgram OrderViolation();
ZooProgram LostWakeup();
ZooProgram LockOrderDeadlock();
ZooProgram DoubleCheckedInit();
ZooProgram CheckThenAct();
ZooProgram AbaVersionedCell();
ZooProgram ReaderStarvation();
ZooProgram LateReply();
ZooProgram CancellationLeak();
ZooProgram MessageReordering();
ZooProgram BoundedQueueOffByOne();
ZooProgram BarrierReuse();
ZooProgram SemaphoreReleasedTwice();
ZooProgram ThreePreemptions();

}  // namespace laplace::zoo

#endif  // LAPLACE_TESTS_ZOO_ZOO_H_
