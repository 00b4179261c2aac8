// The Loop's hot-path inline functions: the awaiter interface every suspension goes through,
// and Choose. They stay inline (LAPLACE_HOT_INLINE) so each awaiter compiles down to a few
// stores; loop.h includes this header after Loop's definition. Private to loop/: include
// loop/loop.h.
#ifndef LAPLACE_LOOP_INTERNAL_LOOP_INLINE_H_
#define LAPLACE_LOOP_INTERNAL_LOOP_INLINE_H_

#include <coroutine>
#include <cstdint>
#include <string>

#include "base/check.h"
#include "loop/choice.h"
#include "loop/internal/loop_object.h"
#include "loop/internal/task_record.h"
#include "loop/loop.h"
#include "loop/trace.h"

namespace laplace {

LAPLACE_HOT_INLINE internal::TaskRecord& Loop::CurrentRecord() {
  LAPLACE_CHECK(current_ != nullptr)
      << "a Laplace awaitable was awaited outside a task the Loop runs; spawn the "
         "coroutine with Loop::Spawn";
  return *current_;
}

inline void Loop::BlockCurrent(std::coroutine_handle<> resume_point, WaitKind kind,
                               const internal::LoopObject* object, uint64_t object_id) {
  internal::TaskRecord& task = CurrentRecord();
  task.state = internal::TaskState::kBlocked;
  task.resume_point = resume_point;
  task.wait_kind = kind;
  task.wait_target = object;
  task.wait_object = object_id;
  Record(EventKind::kSuspend, task.id, static_cast<uint64_t>(kind), object_id, {},
         EventLinks{.group = task.group});
  if (!random_walk_) ObserveBlock(task);
}

LAPLACE_HOT_INLINE void Loop::YieldCurrent(std::coroutine_handle<> resume_point,
                                           uint64_t resource) {
  internal::TaskRecord& task = CurrentRecord();
  task.state = internal::TaskState::kReady;
  task.resume_point = resume_point;
  task.wait_kind = WaitKind::kYield;
  task.wait_target = nullptr;
  task.wait_object = resource;
  task.woken_by = 0;  // a yield resumes in program order only
  Record(EventKind::kSuspend, task.id, static_cast<uint64_t>(WaitKind::kYield), resource, {},
         EventLinks{.group = task.group});
}

inline void Loop::Wake(internal::TaskRecord& task) {
  if (task.state != internal::TaskState::kBlocked || shutting_down_) return;
  task.woken_by = trace_.last_event();  // the waker's latest event
  MakeReady(task);
  if (!random_walk_) strategy_->OnWake(task.id);
}

inline void Loop::MakeReady(internal::TaskRecord& task) {
  if (ParkIfPaused(task)) return;
  task.state = internal::TaskState::kReady;
  ready_.PushBack(&task);
}

LAPLACE_HOT_INLINE uint64_t Loop::ChooseOn(uint64_t bound, ChoiceKind kind, StreamId stream) {
  LAPLACE_CHECK(bound >= 1) << "Choose needs a non-empty range [0, bound)";
  if (bound == 1) return 0;
  if (seeded_source_ != nullptr) {
    uint64_t value = seeded_source_->Choose(bound, kind, stream);
    trace_.RecordChoice(kind, bound, value);
    return value;
  }
  uint64_t value = source_->Choose(bound, kind, stream);
  trace_.RecordChoice(kind, bound, value);
  if (source_->divergence().has_value() && !divergence_reported_) [[unlikely]] {
    ReportDivergence();
  }
  return value;
}

LAPLACE_HOT_INLINE uint64_t Loop::Choose(uint64_t bound, ChoiceKind kind) {
  return ChooseOn(bound, kind, kUnnamedStream);
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_INTERNAL_LOOP_INLINE_H_
