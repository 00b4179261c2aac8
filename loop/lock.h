// Lock: an asyncio-style mutual-exclusion lock for tasks.
//
// Acquire() suspends the task until the lock is free and gives back a
// LockGuard that releases it when destroyed. Waiters are served first come,
// first served: Release() hands the lock straight to the oldest waiter, which
// the Loop then resumes at a later scheduling point. An uncontended Acquire()
// does not suspend (no scheduling point). If a waiting task is cancelled it
// simply leaves the queue; if it is cancelled after being handed the lock but
// before it ran, the lock passes on to the next waiter.
//
//   laplace::Lock lock(loop, "accounts");
//   laplace::Task<> Transfer(laplace::Lock& lock, ...) {
//     laplace::LockGuard guard = co_await lock.Acquire();
//     ...  // no other task holds `lock` here, even across co_await
//   }      // released here
#ifndef LAPLACE_LOOP_LOCK_H_
#define LAPLACE_LOOP_LOCK_H_

#include <coroutine>
#include <string>
#include <string_view>
#include <utility>

#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/loop.h"

namespace laplace {

class Lock;

// Releases the lock when destroyed, unless released or moved from before. If the lock itself is
// destroyed first (allowed, see ~Lock), the guard lets go of it without touching it.
class [[nodiscard]] LockGuard {
 public:
  LockGuard() = default;
  // Adopts a lock the caller holds (e.g. after TryAcquire()).
  explicit LockGuard(Lock& lock);
  LockGuard(LockGuard&& other) noexcept;
  LockGuard& operator=(LockGuard&& other) noexcept;
  ~LockGuard() { Release(); }

  // Releases now; later calls do nothing.
  void Release();
  // False once released, moved from, or once the lock was destroyed.
  bool owns_lock() const { return link_.linked(); }

 private:
  void TakeFrom(LockGuard& other);

  Lock* lock_ = nullptr;
  // Links this guard into its lock's list of guards, so that a lock destroyed before its guard
  // (a held lock in a frame the Loop tears down first) unlinks it, and the guard knows.
  internal::Waiter link_;
};

class Lock final : public internal::LoopObject {
 public:
  class AcquireAwaiter;

  explicit Lock(Loop& loop, std::string_view label = {})
      : LoopObject(loop, WaitKind::kLock, label) {}
  // Tasks still waiting stay blocked; a deadlock report names this lock as
  // destroyed. Destroying a held lock is allowed (its holder may be a task
  // being torn down): its guards, and a waiter it was handed to, let go of it
  // without touching it. A task handed the lock that runs after the lock was
  // destroyed fails a check.
  ~Lock() override = default;

  // Suspends until the lock is held by the awaiting task; gives a guard.
  [[nodiscard]] AcquireAwaiter Acquire();
  // Takes the lock if it is free. Returns whether it did.
  bool TryAcquire();
  // Releases the lock, handing it to the oldest waiter if any. Requires
  // locked(). Any task (or code outside tasks) may release it.
  void Release();

  bool locked() const { return locked_; }
  // The holding task (0 if free, or held by code outside tasks): the task that
  // acquired it, or the last task that moved its LockGuard.
  TaskId holder() const { return holder_; }

  // "lock #3 'accounts' held by task #2 'alice'", or without " held by ..." when free.
  std::string Describe() const override;

 private:
  friend class LockGuard;

  bool locked_ = false;
  TaskId holder_ = 0;
  internal::WaitList waiters_;  // waiting for the lock, oldest first
  internal::WaitList granted_;  // handed the lock, not yet resumed (at most one)
  internal::WaitList guards_;   // LockGuards of this lock
};

class Lock::AcquireAwaiter {
 public:
  explicit AcquireAwaiter(Lock& lock) : lock_(&lock) {}
  // Movable until awaited (so WaitFor can take it).
  AcquireAwaiter(AcquireAwaiter&& other) noexcept : lock_(other.lock_) {
    LAPLACE_CHECK(!other.waiter_.linked() && !other.waiter_.handed) << "moving a waiting awaiter";
  }
  AcquireAwaiter& operator=(AcquireAwaiter&&) = delete;
  ~AcquireAwaiter() {
    // Handed the lock, then destroyed before running (cancelled): pass it on.
    if (internal::LeaveUnresumed(lock_->granted_, waiter_)) lock_->Release();
  }

  bool await_ready() { return lock_->TryAcquire(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(lock_->waiters_, waiter_, *lock_, resume_point);
  }
  LockGuard await_resume() {
    internal::TakeHanded(lock_->granted_, waiter_,
                         "a task was handed a lock that was destroyed before the task could run");
    return LockGuard(*lock_);
  }

 private:
  Lock* lock_;
  internal::HandedWaiter waiter_;
};

// Implementation details follow.

inline Lock::AcquireAwaiter Lock::Acquire() { return AcquireAwaiter(*this); }

inline LockGuard::LockGuard(Lock& lock) : lock_(&lock) { lock.guards_.PushBack(&link_); }

inline LockGuard::LockGuard(LockGuard&& other) noexcept { TakeFrom(other); }

inline LockGuard& LockGuard::operator=(LockGuard&& other) noexcept {
  if (this != &other) {
    Release();
    TakeFrom(other);
  }
  return *this;
}

inline void LockGuard::TakeFrom(LockGuard& other) {
  Lock* lock = std::exchange(other.lock_, nullptr);
  if (!other.link_.linked()) return;  // empty, or its lock is gone
  lock->guards_.Remove(&other.link_);
  lock_ = lock;
  lock->guards_.PushBack(&link_);
  // A guard moves along with the lock's ownership, e.g. out of a WaitFor child task into the
  // task that awaited it; the task moving it is the one that holds the lock from now on, which
  // is what holder() and deadlock reports must name.
  if (lock->has_loop()) lock->holder_ = lock->loop().current_task();
}

inline void LockGuard::Release() {
  Lock* lock = std::exchange(lock_, nullptr);
  if (!link_.linked()) return;  // empty, released, moved from, or its lock is gone
  lock->guards_.Remove(&link_);
  lock->Release();
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_LOCK_H_
