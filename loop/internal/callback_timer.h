// Loop::CallbackTimer: a callback scheduled with Loop::CallAt, in one of the Loop's reusable
// slots. Its own header because the Loop's constructor and destructor (loop.cc) need it whole as
// well as the timer code (loop_timers.cc). Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_CALLBACK_TIMER_H_
#define LAPLACE_LOOP_INTERNAL_CALLBACK_TIMER_H_

#include <functional>
#include <utility>

#include "loop/internal/timer_heap.h"
#include "loop/loop.h"

namespace laplace {

class Loop::CallbackTimer final : public internal::TimerNode {
 public:
  TimerId id = 0;
  std::function<void()> callback;

  void Fire(Loop& loop) override {
    // Take the callback out and free the slot first: the callback may
    // schedule or cancel timers, reusing this very slot.
    std::function<void()> run = std::move(callback);
    loop.FreeCallbackSlot(*this);
    run();
  }
};

}  // namespace laplace

#endif  // LAPLACE_LOOP_INTERNAL_CALLBACK_TIMER_H_
