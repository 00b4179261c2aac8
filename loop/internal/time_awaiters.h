// The awaiters of Loop::Sleep, Loop::SleepUntil and Loop::Yield. They call into the whole
// Loop, so loop.h includes this header after Loop's definition. Private to loop/: include
// loop/loop.h.
#ifndef LAPLACE_LOOP_INTERNAL_TIME_AWAITERS_H_
#define LAPLACE_LOOP_INTERNAL_TIME_AWAITERS_H_

#include <coroutine>

#include "loop/ids.h"
#include "loop/internal/loop_access.h"
#include "loop/internal/task_record.h"
#include "loop/internal/timer_heap.h"
#include "loop/loop.h"
#include "loop/time.h"

namespace laplace {
namespace internal {

// Awaiter of Loop::Sleep and Loop::SleepUntil.
class SleepAwaiter final : public TimerNode {
 public:
  SleepAwaiter(Loop& loop, Time deadline) : loop_(&loop) { this->deadline = deadline; }
  SleepAwaiter(const SleepAwaiter&) = delete;
  SleepAwaiter& operator=(const SleepAwaiter&) = delete;
  ~SleepAwaiter() override {
    // A task destroyed while asleep (cancelled, crashed) takes its timer along.
    if (queued() || firing) LoopAccess::RemoveTimer(*loop_, *this);
  }

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> resume_point) {
    TaskRecord& task = LoopAccess::CurrentRecord(*loop_);
    if (deadline <= loop_->Now()) {
      LoopAccess::YieldCurrent(*loop_, resume_point);
      return;
    }
    task_ = &task;
    sleeper = task.id;
    LoopAccess::BlockCurrent(*loop_, resume_point, WaitKind::kSleep, nullptr,
                             static_cast<uint64_t>(deadline.time_since_epoch().count()));
    LoopAccess::AddTimer(*loop_, *this, deadline);
  }
  void await_resume() const noexcept {}

  void Fire(Loop& loop) override { LoopAccess::Wake(loop, *task_); }

 private:
  Loop* loop_;
  TaskRecord* task_ = nullptr;
};

// Awaiter of Loop::Yield.
class YieldAwaiter {
 public:
  explicit YieldAwaiter(Loop& loop, uint64_t resource = 0) : loop_(&loop), resource_(resource) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> resume_point) {
    LoopAccess::YieldCurrent(*loop_, resume_point, resource_);
  }
  void await_resume() const noexcept {}

 private:
  Loop* loop_;
  uint64_t resource_;  // what a named Yield names (its hash), 0 for a bare one
};

}  // namespace internal

inline internal::SleepAwaiter Loop::Sleep(Duration duration) {
  return internal::SleepAwaiter(*this, AddSaturating(now_, duration));
}
inline internal::SleepAwaiter Loop::SleepUntil(Time deadline) {
  return internal::SleepAwaiter(*this, deadline);
}
inline internal::YieldAwaiter Loop::Yield() { return internal::YieldAwaiter(*this); }
inline internal::YieldAwaiter Loop::Yield(std::string_view resource) {
  return internal::YieldAwaiter(*this, ResourceId(resource));
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_INTERNAL_TIME_AWAITERS_H_
