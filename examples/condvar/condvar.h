// CondVar: a hand-written async condition variable with a lost wakeup, and
// its fixed twin.
//
// A CondVar is bound to a Lock. Wait(guard) gives up the lock, sleeps until
// a NotifyOne/NotifyAll, and takes the lock back; like
// std::condition_variable, a notify that finds no waiter is not remembered.
// Each waiter sleeps on its own Promise, kept in a FIFO waiter list.
//
// The bug is the classic lost wakeup. The buggy Wait releases the lock first
// and registers as a waiter only after a scheduling point (a "fair" unlock
// that yields so the lock's next holder can run; in threaded code, the same
// gap is a preemption between unlock() and the wait). A notifier that takes
// the lock in that gap changes the state, notifies an empty waiter list, and
// the waiter then registers and sleeps forever. The fixed Wait registers
// before it releases the lock, so a notify that can see the changed state can
// also see the waiter. Both variants keep the yield: the order is the fix.
//
//   laplace::Lock lock(loop, "buffer");
//   laplace::examples::CondVar not_empty(loop, lock, "not-empty", /*fixed=*/true);
//   // in a consumer task:
//   laplace::LockGuard guard = co_await lock.Acquire();
//   while (items.empty()) co_await not_empty.Wait(guard);
//   // in a producer task, holding the lock:
//   items.push_back(7);
//   not_empty.NotifyOne();
#ifndef LAPLACE_EXAMPLES_CONDVAR_CONDVAR_H_
#define LAPLACE_EXAMPLES_CONDVAR_CONDVAR_H_

#include <cstddef>
#include <deque>
#include <string>

#include "loop/future.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace::examples {

class CondVar {
 public:
  // `lock` must outlive the CondVar. `fixed` false: the buggy Wait.
  CondVar(Loop& loop, Lock& lock, std::string label, bool fixed);
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases the lock `guard` holds, suspends until a later NotifyOne or
  // NotifyAll picks this waiter, then reacquires the lock into `guard`.
  // Requires guard.owns_lock(). The task is resumed by the Loop at a
  // scheduling point after the notify, then once more when the lock is its
  // own. Wakeups may be spurious as far as the caller's condition goes (another
  // task may get the lock first), so callers wait in a loop. The fixed Wait
  // never misses a notify made after it was called; the buggy one misses a
  // notify made between its release and its registration.
  // Cancelling a waiting task leaves its registration behind: a NotifyOne
  // may then be spent on it.
  Task<> Wait(LockGuard& guard);

  // Wakes the oldest registered waiter, if any; with none, does nothing.
  // Never suspends. Callers usually hold the lock.
  void NotifyOne();
  // Wakes every registered waiter.
  void NotifyAll();

  // Registered waiters that were not notified yet.
  size_t waiters() const { return waiters_.size(); }

 private:
  // Adds a waiter to the list; its future resolves when it is notified.
  Future<> Register();
  // Releases the lock `guard` holds.
  void Unlock(LockGuard& guard);

  Loop& loop_;
  Lock& lock_;
  std::string label_;
  bool fixed_;
  std::deque<Promise<>> waiters_;  // oldest first
};

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_CONDVAR_CONDVAR_H_
