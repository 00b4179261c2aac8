// Scheduling strategies: which ready task runs next.
//
// At every scheduling point with two or more ready tasks, the Loop asks its
// Strategy to pick one. Candidate 0 is always the least surprising pick: the
// task that just yielded, if it is still ready, else the task that has been
// ready longest. Picking another candidate while the yielder could go on is a
// preemption (Loop::preemptions()).
//
// The contract that makes every strategy's runs replayable and shrinkable
// alike: whatever a strategy decides ends up on the tape as the random walk's
// pick would, a kSchedule choice with bound = the number of candidates and
// value = the index picked (0 = keep running). Either Pick draws that choice
// itself with SchedulingPoint::Choose(point.size()) and returns it (the random
// walk does), or Pick decides from its own state and the Loop records the
// index it returns (ChoiceSource::RecordDecided). So:
//   - a strategy's own randomness (PCT's priorities, SURW's weighted picks)
//     comes from a generator it seeds from the run's seed (Loop::seed()),
//     never from Loop::Choose: draws of its own on the tape would be read back
//     as picks by a replay;
//   - a replay (a source whose replays() is true: a tape, a fuzzer's bytes)
//     never consults the strategy, nor calls its hooks: the Loop takes each
//     pick from the tape as the random walk does, so a replay file needs no
//     strategy state and every failure shrinks the same way, whatever found it.
//
// One Strategy object may serve many runs (a sweep's): the hooks tell it when
// a run starts and ends, which task ran each step, and when a task blocks or
// wakes, so it can learn from earlier runs (PCT's run length, SURW's task
// lengths). A user-written strategy, complete:
//
//   // Runs the newest ready task, except that every 8th scheduling step the
//   // oldest one gets a turn; counts steps to say so in reports.
//   class NewestFirst final : public laplace::Strategy {
//    public:
//     std::string_view name() const override { return "newest-first"; }
//     void OnRunStart(laplace::Loop&) override { steps_ = 0; }
//     void OnStep(laplace::TaskId, const laplace::PendingOperation&) override { ++steps_; }
//     size_t Pick(laplace::SchedulingPoint& point) override {
//       return steps_ % 8 == 7 ? 0 : point.size() - 1;  // no choice drawn
//     }
//    private:
//     uint64_t steps_ = 0;
//   };
//   NewestFirst strategy;
//   laplace::Loop loop({.seed = 1, .strategy = &strategy});
#ifndef LAPLACE_LOOP_STRATEGY_H_
#define LAPLACE_LOOP_STRATEGY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loop/ids.h"

namespace laplace {

class Loop;
namespace internal {
class ReadyQueue;
struct TaskRecord;
}  // namespace internal

// What a ready task will touch when it next runs, as far as the Loop knows: the object it was
// suspended on (a lock, a semaphore, an event, a queue, a future, a condition, a barrier), the
// task it joined, or the resource a named Yield(resource) named. POS (strategies/pos.h) treats
// two pending operations as conflicting when they touch the same thing or either is unknown.
struct PendingOperation {
  WaitKind kind = WaitKind::kNone;
  // The object's id, the joined task's id, or a named yield's resource hash; 0 when unknown.
  uint64_t target = 0;

  // False for a task's first step, a wake-up from a sleep and a bare Yield(): what the task
  // does next could touch anything.
  bool known() const;
  // True when the two may not commute: either is unknown, or both touch the same thing.
  bool ConflictsWith(const PendingOperation& other) const;
};

// The candidates at one scheduling point. Valid only during Strategy::Pick.
class SchedulingPoint {
 public:
  // Candidates are `yielder` (if not null) followed by `ready` in order.
  SchedulingPoint(Loop& loop, const internal::TaskRecord* yielder,
                  const internal::ReadyQueue& ready)
      : loop_(loop), yielder_(yielder), ready_(ready) {}

  // How many tasks could run next: >= 2, or 1 for a strategy that
  // consults_single_candidate().
  size_t size() const;
  // The id of candidate `index`, index in [0, size()).
  TaskId candidate(size_t index) const;
  // What candidate `index` will touch when it runs.
  PendingOperation pending(size_t index) const;
  // True when candidate 0 is the task that just yielded (so picking 0 means
  // "no preemption", and any other pick is a preemption).
  bool yielder_first() const { return yielder_ != nullptr; }
  // Draws the pick as the random walk does: a kSchedule choice in [0, size()) from the Loop's
  // source, which Pick must then return. At most once per point; requires bound == size().
  uint64_t Choose(uint64_t bound);
  Loop& loop() const { return loop_; }

 private:
  friend class Loop;
  const internal::TaskRecord& record(size_t index) const;

  Loop& loop_;
  const internal::TaskRecord* yielder_;
  const internal::ReadyQueue& ready_;
  std::optional<uint64_t> drawn_;  // what Choose drew, if it was called
};

// One parameter of a strategy, as reports and replay files show it ("depth" = 3).
struct StrategyParameter {
  std::string name;
  int64_t value = 0;

  friend bool operator==(const StrategyParameter&, const StrategyParameter&) = default;
};

// A strategy and its parameters: what a replay file records (replay.proto's StrategyConfig)
// and what `--laplace_strategy` and PropertyOptions::strategy say
// (strategies/registry.h parses and builds them).
struct StrategyConfig {
  std::string name;                           // "random-walk", "pct", ...
  std::vector<StrategyParameter> parameters;  // sorted by name

  // The value of parameter `name`, if given.
  std::optional<int64_t> Get(std::string_view parameter) const;
  // Sets (or adds) a parameter, keeping them sorted by name.
  void Set(std::string_view parameter, int64_t value);
  // "pct:depth=3,steps=120", or just the name without parameters.
  std::string ToString() const;

  friend bool operator==(const StrategyConfig&, const StrategyConfig&) = default;
};

class Strategy {
 public:
  virtual ~Strategy() = default;

  // A short name for reports and replay files, e.g. "random-walk".
  virtual std::string_view name() const = 0;
  // What the current (or last) run used: the name and the parameters that, with the run's
  // seed, make it again (PCT's depth and the run length it assumed). A portfolio answers with
  // the member it ran. Default: the name alone.
  virtual StrategyConfig config() const { return StrategyConfig{std::string(name()), {}}; }

  // ---- A run: one Loop ----

  // Called when a Loop that uses this strategy is made, before any task is spawned
  // (loop.seed() is the run's seed: seed per-run randomness from it).
  virtual void OnRunStart(Loop& /*loop*/) {}
  // Called when that Loop is destroyed, before it destroys its tasks (no hook is called for
  // the run after this one); a strategy learns from the run here.
  virtual void OnRunEnd(const Loop& /*loop*/) {}

  // ---- What happens in the run ----

  // Called after a task is spawned and before it first runs.
  virtual void OnSpawn(Loop& /*loop*/, TaskId /*task*/) {}
  // Called when a task finishes or is cancelled.
  virtual void OnFinish(TaskId /*task*/) {}
  // Called as `task` is resumed for one scheduling step, doing `operation` (what it was
  // pending on), whether or not Pick was asked.
  virtual void OnStep(TaskId /*task*/, const PendingOperation& /*operation*/) {}
  // Called when the running task suspends and is no longer ready (it waits on `on`).
  virtual void OnBlock(TaskId /*task*/, const PendingOperation& /*on*/) {}
  // Called when a blocked task becomes ready again.
  virtual void OnWake(TaskId /*task*/) {}

  // ---- Picking ----

  // True to be asked at scheduling points with a single candidate too (Pick must return 0).
  virtual bool consults_single_candidate() const { return false; }
  // Returns the candidate to run, in [0, point.size()).
  virtual size_t Pick(SchedulingPoint& point) = 0;
};

// Random walk: every candidate equally likely, one kSchedule choice per
// scheduling point. Choice 0 keeps the current task, so a zero tape runs each
// task until it blocks, then the oldest ready one (a fair round robin).
class RandomWalk final : public Strategy {
 public:
  std::string_view name() const override { return "random-walk"; }
  size_t Pick(SchedulingPoint& point) override { return point.Choose(point.size()); }
};

}  // namespace laplace

#endif  // LAPLACE_LOOP_STRATEGY_H_
