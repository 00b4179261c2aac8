// Lock: an asyncio-style mutual-exclusion lock for tasks.
//
// Acquire() suspends the task until the lock is free and gives back a
// LockGuard that releases it when destroyed. An uncontended Acquire() does not
// suspend (no scheduling point). Who gets a contended lock is the policy's:
//   - LockPolicy::kHandOff (the default, as asyncio.Lock): Release() hands the
//     lock straight to the oldest waiter, which the Loop then resumes at a
//     later scheduling point; nobody can take it in between.
//   - LockPolicy::kBarging (as std::mutex may): Release() frees the lock and
//     wakes the oldest waiter, which takes it when it runs, unless another
//     task (the releaser re-locking, say) takes it first; then the waiter
//     goes back to the head of the queue, blocked, and is woken again by the
//     next Release(). Code written for threads may rely on barging, and some
//     bugs are reachable only with it.
// If a waiting task is cancelled it simply leaves the queue; if it is
// cancelled after being handed the lock (or woken, barging) but before it
// ran, the lock (or the wakeup) passes on to the next waiter.
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

// Who gets a lock that several tasks want (see the banner).
enum class LockPolicy : uint8_t {
  kHandOff,  // the oldest waiter, handed the lock by Release() (asyncio)
  kBarging,  // whoever takes it first once it is free; the oldest waiter is woken to try
};

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
  // Whether this guard holds `lock` (compared by identity, never ordered).
  bool owns_lock(const Lock* lock) const { return owns_lock() && lock_ == lock; }

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

  explicit Lock(Loop& loop, std::string_view label = {}, LockPolicy policy = LockPolicy::kHandOff)
      : LoopObject(loop, WaitKind::kLock, label), policy_(policy) {}
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
  // Releases the lock: hands it to the oldest waiter (kHandOff), or frees it
  // and wakes the oldest waiter (kBarging). Requires locked(). Any task (or
  // code outside tasks) may release it.
  void Release();

  LockPolicy policy() const { return policy_; }
  bool locked() const { return locked_; }
  // The holding task (0 if free, or held by code outside tasks): the task that
  // acquired it, or the last task that moved its LockGuard.
  TaskId holder() const { return holder_; }

  // "lock #3 'accounts' held by task #2 'alice'", or without " held by ..." when free.
  std::string Describe() const override;

 private:
  friend class LockGuard;

  // A waiter handed the lock (or woken, barging) was destroyed before it ran: pass it on.
  void PassOn();
  // Barging: a task took the free lock before the woken waiter ran; that waiter goes back to
  // the head of the queue, blocked.
  void SendBackWoken();

  LockPolicy policy_;
  bool locked_ = false;
  TaskId holder_ = 0;
  internal::WaitList waiters_;  // waiting for the lock, oldest first
  // Handed the lock (kHandOff) or woken to take it (kBarging), not yet resumed (at most one).
  internal::WaitList granted_;
  internal::WaitList guards_;  // LockGuards of this lock
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
    // Handed the lock (or woken), then destroyed before running (cancelled): pass it on.
    if (internal::LeaveUnresumed(lock_->granted_, waiter_)) lock_->PassOn();
  }

  bool await_ready() { return lock_->TryAcquire(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(lock_->waiters_, waiter_, *lock_, resume_point);
  }
  LockGuard await_resume() {
    const bool woken = internal::TakeHanded(
        lock_->granted_, waiter_,
        "a task was handed a lock that was destroyed before the task could run");
    if (woken && lock_->policy_ == LockPolicy::kBarging) {
      // Woken to a free lock: whoever took it since would have sent this waiter back.
      LAPLACE_CHECK(lock_->TryAcquire()) << lock_->Describe() << " taken from its woken waiter";
    }
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
