// Condition: an asyncio-style condition variable, bound to a Lock.
//
// A task holding the lock calls Wait(guard): the lock is released and the
// task suspends until another task calls NotifyOne() or NotifyAll(); then
// the task takes the lock back (which may suspend again, behind other
// acquirers) before Wait returns, holding it in `guard` as before. As with
// asyncio.Condition and std::condition_variable, a notify that finds no
// waiter is lost: nothing remembers it, so a task must check its condition
// under the lock before waiting, and wait in a loop (WaitFor does both).
// The waiter registers before the lock is released, so a notify made by a
// task that took the lock after the wait began always finds it.
//
// Who resumes whom: NotifyOne wakes the oldest waiter, NotifyAll every
// waiter, oldest first; the Loop resumes them at later scheduling points,
// where each then acquires the lock. A waiting task that is cancelled leaves
// the queue (it does not take the lock back first, unlike asyncio: its frames
// are destroyed at once); one cancelled after being notified but before it
// ran takes the notification with it.
//
//   laplace::Lock lock(loop, "buffer");
//   laplace::Condition not_empty(loop, lock, "not-empty");
//   // a consumer:
//   laplace::LockGuard guard = co_await lock.Acquire();
//   co_await not_empty.WaitFor(guard, [&] { return !items.empty(); });
//   int item = items.front();
//   // a producer, holding the lock:
//   items.push_back(7);
//   not_empty.NotifyOne();
#ifndef LAPLACE_LOOP_CONDITION_H_
#define LAPLACE_LOOP_CONDITION_H_

#include <coroutine>
#include <cstddef>
#include <string>
#include <string_view>

#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace {

class Condition final : public internal::LoopObject {
 public:
  // `lock` must outlive the Condition.
  Condition(Loop& loop, Lock& lock, std::string_view label = {});
  // Tasks still waiting stay blocked; a deadlock report names this condition as destroyed.
  ~Condition() override = default;

  // Releases the lock `guard` holds, suspends until notified, then reacquires the lock into
  // `guard`. Requires `guard` to hold this condition's lock. Always a scheduling point.
  [[nodiscard]] Task<> Wait(LockGuard& guard);
  // Waits (as Wait) until `predicate()` is true, checking it under the lock first and after
  // every wakeup; returns at once, without suspending, if it already holds.
  template <typename Predicate>
  [[nodiscard]] Task<> WaitFor(LockGuard& guard, Predicate predicate);

  // Wakes the oldest waiter; with none, does nothing (the signal is lost). Requires the lock to
  // be held (by anyone: the caller, usually). Never suspends.
  void NotifyOne();
  // Wakes every waiter, oldest first. Requires the lock to be held.
  void NotifyAll();

  // Tasks waiting to be notified.
  size_t waiting() const { return waiting_; }
  Lock& lock() const { return lock_; }

  // "condition #5 'not-empty' on lock #4 'buffer' (2 waiting)".
  std::string Describe() const override;

 private:
  class NotifiedAwaiter;

  void CheckLocked(const char* what) const;

  Lock& lock_;
  size_t waiting_ = 0;
  internal::WaitList waiters_;  // waiting for a notify, oldest first
};

// Implementation details follow.

template <typename Predicate>
Task<> Condition::WaitFor(LockGuard& guard, Predicate predicate) {
  while (!predicate()) co_await Wait(guard);
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_CONDITION_H_
