// LoopAccess: the door to the Loop's awaiter interface, for Laplace's own awaitables and sync
// objects. Private to loop/.
//
// The hooks an awaiter needs (block the running task on an object, wake a task, hand the next
// coroutine to the trampoline, arm a timer, ...) are private members of Loop, so that loop.h's
// public surface is only what a user calls. This friend class forwards to them, the way
// Abseil's CondVar reaches Mutex's internals: every function is a static, always-inlined
// forward, so an awaiter compiles to the same few stores as a direct call would.
//
//   void await_suspend(std::coroutine_handle<> resume_point) {
//     internal::TaskRecord& task = internal::LoopAccess::CurrentRecord(loop);
//     ...
//     internal::LoopAccess::BlockCurrent(loop, resume_point, WaitKind::kEvent, this, id);
//   }
#ifndef LAPLACE_LOOP_INTERNAL_LOOP_ACCESS_H_
#define LAPLACE_LOOP_INTERNAL_LOOP_ACCESS_H_

#include <coroutine>
#include <cstdint>

#include "base/check.h"
#include "loop/ids.h"
#include "loop/time.h"

namespace laplace {
class Loop;
}  // namespace laplace

namespace laplace::internal {

class LoopObject;
class TimerNode;
struct TaskRecord;

// Each function states its contract at the Loop member it forwards to (loop.h, private part).
class LoopAccess {
 public:
  LoopAccess() = delete;

  // The running task; fails a check outside a task.
  LAPLACE_HOT_INLINE static TaskRecord& CurrentRecord(Loop& loop);
  // Resumes `next` from the run loop once the current resume returns (the trampoline).
  LAPLACE_HOT_INLINE static void SetNext(Loop& loop, std::coroutine_handle<> next);
  // Blocks the running task at `resume_point`, waiting on `object` (traced as `object_id`).
  LAPLACE_HOT_INLINE static void BlockCurrent(Loop& loop, std::coroutine_handle<> resume_point,
                                              WaitKind kind, const LoopObject* object,
                                              uint64_t object_id);
  // Keeps the running task ready, to resume at `resume_point` (a yield; `resource` is what a
  // named Yield names, 0 for a bare one).
  LAPLACE_HOT_INLINE static void YieldCurrent(Loop& loop, std::coroutine_handle<> resume_point,
                                              uint64_t resource = 0);
  // Takes a woken task that has not run yet back to blocked (a barging lock taken before the
  // woken waiter ran, see lock.h); a no-op for a task that is not ready or parked.
  static void Unwake(Loop& loop, TaskRecord& task);
  // Makes a blocked task ready; a no-op for a task in any other state.
  LAPLACE_HOT_INLINE static void Wake(Loop& loop, TaskRecord& task);
  // Arms `node` for `deadline` (clamped to Now()), or disarms it (queued or firing).
  LAPLACE_HOT_INLINE static void AddTimer(Loop& loop, TimerNode& node, Time deadline);
  LAPLACE_HOT_INLINE static void RemoveTimer(Loop& loop, TimerNode& node);
  // Traces the resolution of a promise (how: 0 value, 1 error, 2 broken).
  LAPLACE_HOT_INLINE static void RecordResolve(Loop& loop, uint64_t object_id, uint64_t how);
  // Binds `object` to the Loop and returns its id; unbinds it.
  static uint64_t RegisterObject(Loop& loop, LoopObject& object);
  static void UnregisterObject(Loop& loop, LoopObject& object);
  // Fails the run with the frame budget outcome and throws BudgetExceeded (frame_ledger.h).
  [[noreturn]] static void ExceedFrameBudget(Loop& loop, uint64_t live_bytes, size_t size);
};

}  // namespace laplace::internal

// The definitions need the whole Loop. loop.h includes this header after Loop's definition;
// including loop.h here (after LoopAccess is declared) lets this header be included first too.
#include "loop/loop.h"

namespace laplace::internal {

TaskRecord& LoopAccess::CurrentRecord(Loop& loop) { return loop.CurrentRecord(); }
void LoopAccess::SetNext(Loop& loop, std::coroutine_handle<> next) { loop.SetNext(next); }
void LoopAccess::BlockCurrent(Loop& loop, std::coroutine_handle<> resume_point, WaitKind kind,
                              const LoopObject* object, uint64_t object_id) {
  loop.BlockCurrent(resume_point, kind, object, object_id);
}
void LoopAccess::YieldCurrent(Loop& loop, std::coroutine_handle<> resume_point, uint64_t resource) {
  loop.YieldCurrent(resume_point, resource);
}
inline void LoopAccess::Unwake(Loop& loop, TaskRecord& task) { loop.Unwake(task); }
void LoopAccess::Wake(Loop& loop, TaskRecord& task) { loop.Wake(task); }
void LoopAccess::AddTimer(Loop& loop, TimerNode& node, Time deadline) {
  loop.AddTimer(node, deadline);
}
void LoopAccess::RemoveTimer(Loop& loop, TimerNode& node) { loop.RemoveTimer(node); }
void LoopAccess::RecordResolve(Loop& loop, uint64_t object_id, uint64_t how) {
  loop.RecordResolve(object_id, how);
}
inline uint64_t LoopAccess::RegisterObject(Loop& loop, LoopObject& object) {
  return loop.RegisterObject(object);
}
inline void LoopAccess::UnregisterObject(Loop& loop, LoopObject& object) {
  loop.UnregisterObject(object);
}
inline void LoopAccess::ExceedFrameBudget(Loop& loop, uint64_t live_bytes, size_t size) {
  loop.ExceedFrameBudget(live_bytes, size);
}

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_LOOP_ACCESS_H_
