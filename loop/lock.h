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

// Releases the lock when destroyed, unless released or moved from before.
class [[nodiscard]] LockGuard {
 public:
  LockGuard() = default;
  explicit LockGuard(Lock& lock) : lock_(&lock) {}
  LockGuard(LockGuard&& other) noexcept : lock_(std::exchange(other.lock_, nullptr)) {}
  LockGuard& operator=(LockGuard&& other) noexcept {
    if (this != &other) {
      Release();
      lock_ = std::exchange(other.lock_, nullptr);
    }
    return *this;
  }
  ~LockGuard() { Release(); }

  // Releases now; later calls do nothing.
  inline void Release();
  bool owns_lock() const { return lock_ != nullptr; }

 private:
  Lock* lock_ = nullptr;
};

class Lock final : public internal::LoopObject {
 public:
  class AcquireAwaiter;

  explicit Lock(Loop& loop, std::string_view label = {})
      : LoopObject(loop, WaitKind::kLock, label) {}
  // Tasks still waiting stay blocked; a deadlock report names this lock as
  // destroyed. Destroying a held lock is allowed (its holder may be a task
  // being torn down).
  ~Lock() override = default;

  // Suspends until the lock is held by the awaiting task; gives a guard.
  [[nodiscard]] AcquireAwaiter Acquire();
  // Takes the lock if it is free. Returns whether it did.
  bool TryAcquire();
  // Releases the lock, handing it to the oldest waiter if any. Requires
  // locked(). Any task (or code outside tasks) may release it.
  void Release();

  bool locked() const { return locked_; }
  // The holding task (0 if free, or held by code outside tasks).
  TaskId holder() const { return holder_; }

  // "lock 'accounts' held by task #2 'alice'".
  std::string Describe() const override;

 private:
  struct LockWaiter : internal::Waiter {
    bool granted = false;
  };

  bool locked_ = false;
  TaskId holder_ = 0;
  internal::WaitList waiters_;
};

class Lock::AcquireAwaiter {
 public:
  explicit AcquireAwaiter(Lock& lock) : lock_(&lock) {}
  // Movable until awaited (so WaitFor can take it).
  AcquireAwaiter(AcquireAwaiter&& other) noexcept : lock_(other.lock_) {
    LAPLACE_CHECK(!other.waiter_.linked() && !other.waiter_.granted) << "moving a waiting awaiter";
  }
  AcquireAwaiter& operator=(AcquireAwaiter&&) = delete;
  ~AcquireAwaiter() {
    // Handed the lock, then destroyed before running: pass it on.
    if (waiter_.granted && !resumed_) lock_->Release();
  }

  bool await_ready() { return lock_->TryAcquire(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    Loop& loop = lock_->loop();
    waiter_.task = &loop.CurrentRecord();
    lock_->waiters_.PushBack(&waiter_);
    loop.BlockCurrent(resume_point, WaitKind::kLock, lock_, lock_->object_id());
  }
  LockGuard await_resume() {
    resumed_ = true;
    return LockGuard(*lock_);
  }

 private:
  Lock* lock_;
  LockWaiter waiter_;
  bool resumed_ = false;
};

// Implementation details follow.

inline Lock::AcquireAwaiter Lock::Acquire() { return AcquireAwaiter(*this); }

inline void LockGuard::Release() {
  if (lock_ != nullptr) std::exchange(lock_, nullptr)->Release();
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_LOCK_H_
