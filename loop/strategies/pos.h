// POS: partial order sampling.
//
// Yuan, Yang, Gu, "Partial Order Aware Concurrency Sampling", CAV 2018
// (BasicPOS). Every pending event (what a ready task will do when it next
// runs) gets a random priority when it becomes pending, and the ready task
// with the highest priority runs. After a task runs, every other pending event
// that races with the one it just did gets a fresh random priority; events
// that commute with it keep theirs. The random walk's bias is that a task with
// many steps is overtaken again and again; POS samples the relative order of
// racing events independently of how many independent steps surround them.
//
// Guarantee (the paper's): every partial order of the racing events is
// sampled with probability at least 1 / (the number of events)!, however the
// independent events interleave; the random walk's worst case is exponentially
// smaller in the number of events.
//
// Laplace's notion of racing (PendingOperation, strategy.h): two pending
// events race when they touch the same object (a lock, a semaphore, an event,
// a queue, a future, a condition, a barrier, the same joined task, or the same
// resource named by Yield(resource)), or when either is unknown (a task's
// first step, a wake-up from a sleep, a bare Yield()), since it could touch
// anything. So a program whose tasks only yield bare is sampled as by the
// random walk; name the resource a Yield is about to touch to let POS tell
// independent steps apart.
//
//   laplace::strategies::Pos pos;
//   laplace::Loop loop({.seed = 7, .strategy = &pos});
//   // in tasks: co_await loop.Yield("balance"); ... touch balance ...
#ifndef LAPLACE_LOOP_STRATEGIES_POS_H_
#define LAPLACE_LOOP_STRATEGIES_POS_H_

#include <cstdint>
#include <string_view>

#include "absl/container/btree_map.h"
#include "loop/loop.h"
#include "loop/prng.h"
#include "loop/strategy.h"

namespace laplace::strategies {

class Pos final : public Strategy {
 public:
  std::string_view name() const override { return "pos"; }

  void OnRunStart(Loop& loop) override;
  void OnStep(TaskId task, const PendingOperation& operation) override;
  void OnBlock(TaskId task, const PendingOperation& /*on*/) override { pending_.erase(task); }
  void OnFinish(TaskId task) override { pending_.erase(task); }
  // Asked at single-candidate points too, so that every pending event has been seen when a
  // step resets the events racing with it.
  bool consults_single_candidate() const override { return true; }
  size_t Pick(SchedulingPoint& point) override;

 private:
  struct Pending {
    PendingOperation operation;
    uint64_t priority = 0;
  };

  Prng prng_{0};
  absl::btree_map<TaskId, Pending> pending_;  // the ready tasks' events, by task
};

}  // namespace laplace::strategies

#endif  // LAPLACE_LOOP_STRATEGIES_POS_H_
