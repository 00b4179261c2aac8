// Event: an asyncio-style flag that tasks wait for.
//
// Wait() suspends the task until the event is set; Set() wakes every waiter
// (the Loop resumes them at later scheduling points, in the order they
// started waiting) and makes later Wait()s return at once, until Clear().
//
//   laplace::Event ready(loop, "ready");
//   laplace::Task<> Consumer(laplace::Event& ready) {
//     co_await ready.Wait();  // returns once someone calls ready.Set()
//   }
#ifndef LAPLACE_LOOP_EVENT_H_
#define LAPLACE_LOOP_EVENT_H_

#include <coroutine>
#include <string_view>

#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/loop.h"

namespace laplace {

class Event final : public internal::LoopObject {
 public:
  class WaitAwaiter;

  explicit Event(Loop& loop, std::string_view label = {})
      : LoopObject(loop, WaitKind::kEvent, label) {}

  // Suspends until the event is set; does not suspend if it already is.
  [[nodiscard]] WaitAwaiter Wait();
  // Sets the flag and wakes every waiter.
  void Set();
  // Clears the flag; later Wait()s suspend again.
  void Clear() { set_ = false; }
  bool is_set() const { return set_; }

 private:
  bool set_ = false;
  internal::WaitList waiters_;
};

class Event::WaitAwaiter {
 public:
  explicit WaitAwaiter(Event& event) : event_(&event) {}
  // Movable until awaited (so WaitFor can take it).
  WaitAwaiter(WaitAwaiter&& other) noexcept : event_(other.event_) {
    LAPLACE_CHECK(!other.waiter_.linked()) << "moving a waiting awaiter";
  }
  WaitAwaiter& operator=(WaitAwaiter&&) = delete;

  bool await_ready() const { return event_->set_; }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(event_->waiters_, waiter_, *event_, resume_point);
  }
  void await_resume() const {}

 private:
  Event* event_;
  internal::Waiter waiter_;
};

// Implementation details follow.

inline Event::WaitAwaiter Event::Wait() { return WaitAwaiter(*this); }

inline void Event::Set() {
  set_ = true;
  internal::WakeAll(waiters_, *this);
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_EVENT_H_
