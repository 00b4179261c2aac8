// Scheduling strategies: which ready task runs next.
//
// At every scheduling point with two or more ready tasks, the Loop asks its
// Strategy to pick one. Candidate 0 is always the least surprising pick: the
// task that just yielded, if it is still ready, else the task that has been
// ready longest. Picking another candidate while the yielder could go on is
// a preemption (Loop::preemptions()).
//
// The contract that makes every strategy's runs replayable and shrinkable
// alike: whatever a strategy decides ends up on the tape as the random
// walk's pick would, a kSchedule choice with bound = the number of
// candidates and value = the index picked (0 = keep running), on the
// unnamed stream. Either Pick draws that choice itself with
// SchedulingPoint::Choose(point.size()) and returns it (the random walk), or
// Pick decides from its own state and the Loop records the returned index
// with ChoiceSource::RecordDecided. So:
//   - a strategy's own randomness (PCT's priorities, SURW's weights) comes
//     from a generator it seeds itself, e.g. from Loop::seed(), never from
//     Loop::Choose: draws of its own on the tape would be read back as
//     picks by a replay;
//   - a replay (any source whose replays() is true: a tape, a fuzzer's
//     bytes) never consults the strategy: the Loop takes each pick from the
//     tape as the random walk does, so a replay file needs no strategy state
//     and every failure shrinks the same way, whatever found it.
//
//   class AlwaysNewest final : public laplace::Strategy {
//    public:
//     std::string_view name() const override { return "always-newest"; }
//     size_t Pick(laplace::SchedulingPoint& point) override {
//       return point.size() - 1;  // deterministic: no choice drawn
//     }
//   };
//   AlwaysNewest strategy;
//   laplace::Loop loop({.seed = 1, .strategy = &strategy});
#ifndef LAPLACE_LOOP_STRATEGY_H_
#define LAPLACE_LOOP_STRATEGY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "loop/ids.h"

namespace laplace {

class Loop;
namespace internal {
class ReadyQueue;
struct TaskRecord;
}  // namespace internal

// The candidates at one scheduling point. Valid only during Strategy::Pick.
class SchedulingPoint {
 public:
  // Candidates are `yielder` (if not null) followed by `ready` in order.
  SchedulingPoint(Loop& loop, const internal::TaskRecord* yielder,
                  const internal::ReadyQueue& ready)
      : loop_(loop), yielder_(yielder), ready_(ready) {}

  // How many tasks could run next; always >= 2 when Pick is called.
  size_t size() const;
  // The id of candidate `index`, index in [0, size()).
  TaskId candidate(size_t index) const;
  // True when candidate 0 is the task that just yielded (so picking 0 means
  // "no preemption").
  bool yielder_first() const { return yielder_ != nullptr; }
  // Draws the pick as the random walk does: a kSchedule choice in
  // [0, size()) from the Loop's source, which Pick must then return. At most
  // once per point; requires bound == size().
  uint64_t Choose(uint64_t bound);
  Loop& loop() const { return loop_; }

 private:
  friend class Loop;

  Loop& loop_;
  std::optional<uint64_t> drawn_;
  const internal::TaskRecord* yielder_;
  const internal::ReadyQueue& ready_;
};

class Strategy {
 public:
  virtual ~Strategy() = default;

  // A short name for reports and replay files, e.g. "random-walk".
  virtual std::string_view name() const = 0;

  // Called after a task is spawned and before it first runs. A strategy may
  // draw choices here (PCT assigns priorities).
  virtual void OnSpawn(Loop& /*loop*/, TaskId /*task*/) {}

  // Called when a task finishes or is cancelled.
  virtual void OnFinish(TaskId /*task*/) {}

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
