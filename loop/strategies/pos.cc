#include "loop/strategies/pos.h"

#include "loop/strategies/internal/run_prng.h"

namespace laplace::strategies {
namespace {

constexpr uint64_t kSalt = 0x706f732d706f7321;  // "pos-pos!"

}  // namespace

void Pos::OnRunStart(Loop& loop) {
  prng_ = internal::RunPrng(loop, kSalt);
  pending_.clear();
}

size_t Pos::Pick(SchedulingPoint& point) {
  size_t best = 0;
  uint64_t best_priority = 0;
  for (size_t i = 0; i < point.size(); ++i) {
    const TaskId task = point.candidate(i);
    const PendingOperation operation = point.pending(i);
    auto [it, fresh] = pending_.try_emplace(task);
    // A new pending event (the task just became ready, or yielded again) gets a fresh priority.
    if (fresh || it->second.operation.kind != operation.kind ||
        it->second.operation.target != operation.target) {
      it->second = Pending{operation, prng_.Next()};
    }
    if (i == 0 || it->second.priority > best_priority) {
      best = i;
      best_priority = it->second.priority;
    }
  }
  return best;
}

void Pos::OnStep(TaskId task, const PendingOperation& operation) {
  // The task's next event is a new one; the events racing with what it does get new priorities.
  pending_.erase(task);
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.operation.ConflictsWith(operation)) {
      it = pending_.erase(it);  // re-drawn when next seen at a scheduling point
    } else {
      ++it;
    }
  }
}

}  // namespace laplace::strategies
