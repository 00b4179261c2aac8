// Semaphore: an asyncio-style counting semaphore for tasks.
//
// Acquire() takes one permit, suspending the task while none is left, and
// gives back a SemaphorePermit that returns it when destroyed. Waiters are
// served first come, first served: Release() hands the permit straight to the
// oldest waiter, which the Loop resumes at a later scheduling point. A task
// cancelled while waiting leaves the queue; one cancelled after being handed
// a permit but before it ran passes the permit on.
//
//   laplace::Semaphore connections(loop, /*permits=*/2, "connections");
//   laplace::Task<> Fetch(laplace::Semaphore& connections) {
//     laplace::SemaphorePermit permit = co_await connections.Acquire();
//     ...  // at most two tasks here at once
//   }
#ifndef LAPLACE_LOOP_SEMAPHORE_H_
#define LAPLACE_LOOP_SEMAPHORE_H_

#include <coroutine>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/loop.h"

namespace laplace {

class Semaphore;

// Returns its permit when destroyed, unless released or moved from before. If the semaphore
// itself is destroyed first, the permit lets go of it without touching it.
class [[nodiscard]] SemaphorePermit {
 public:
  SemaphorePermit() = default;
  // Adopts a permit the caller holds (e.g. after TryAcquire()).
  explicit SemaphorePermit(Semaphore& semaphore);
  SemaphorePermit(SemaphorePermit&& other) noexcept;
  SemaphorePermit& operator=(SemaphorePermit&& other) noexcept;
  ~SemaphorePermit() { Release(); }

  // Returns the permit now; later calls do nothing.
  void Release();
  // False once released, moved from, or once the semaphore was destroyed.
  bool owns_permit() const { return link_.linked(); }

 private:
  void TakeFrom(SemaphorePermit& other);

  Semaphore* semaphore_ = nullptr;
  // Links this permit into its semaphore's list of permits, so that a semaphore destroyed before
  // its permits unlinks them, and they know.
  internal::Waiter link_;
};

class Semaphore final : public internal::LoopObject {
 public:
  class AcquireAwaiter;

  // Requires permits >= 0.
  Semaphore(Loop& loop, int64_t permits, std::string_view label = {});
  // Tasks still waiting stay blocked. Permits still held, and waiters handed a
  // permit, let go of the semaphore without touching it. A task handed a permit
  // that runs after the semaphore was destroyed fails a check.
  ~Semaphore() override = default;

  // Suspends until a permit is available; gives it as a SemaphorePermit.
  [[nodiscard]] AcquireAwaiter Acquire();
  // Takes a permit if one is free. Returns whether it did.
  bool TryAcquire();
  // Returns one permit, handing it to the oldest waiter if any.
  void Release();

  // Permits not held by anyone.
  int64_t available() const { return available_; }

  // "semaphore #3 'connections' (0 available, 3 waiting)".
  std::string Describe() const override;

 private:
  friend class SemaphorePermit;

  int64_t available_;
  int64_t waiting_ = 0;
  internal::WaitList waiters_;  // waiting for a permit, oldest first
  internal::WaitList granted_;  // handed a permit, not yet resumed
  internal::WaitList permits_;  // SemaphorePermits of this semaphore
};

class Semaphore::AcquireAwaiter {
 public:
  explicit AcquireAwaiter(Semaphore& semaphore) : semaphore_(&semaphore) {}
  // Movable until awaited (so WaitFor can take it).
  AcquireAwaiter(AcquireAwaiter&& other) noexcept : semaphore_(other.semaphore_) {
    LAPLACE_CHECK(!other.waiter_.linked() && !other.waiter_.handed) << "moving a waiting awaiter";
  }
  AcquireAwaiter& operator=(AcquireAwaiter&&) = delete;
  ~AcquireAwaiter() {
    // Handed a permit, then destroyed before running (cancelled): pass it on.
    if (internal::LeaveUnresumed(semaphore_->granted_, waiter_)) {
      semaphore_->Release();
    } else if (waiter_.linked()) {
      --semaphore_->waiting_;  // still waiting: ~Waiter leaves the queue
    }
  }

  bool await_ready() { return semaphore_->TryAcquire(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(semaphore_->waiters_, waiter_, *semaphore_, resume_point);
    ++semaphore_->waiting_;
  }
  SemaphorePermit await_resume() {
    internal::TakeHanded(
        semaphore_->granted_, waiter_,
        "a task was handed a permit of a semaphore destroyed before the task could run");
    return SemaphorePermit(*semaphore_);
  }

 private:
  Semaphore* semaphore_;
  internal::HandedWaiter waiter_;
};

// Implementation details follow.

inline Semaphore::AcquireAwaiter Semaphore::Acquire() { return AcquireAwaiter(*this); }

inline SemaphorePermit::SemaphorePermit(Semaphore& semaphore) : semaphore_(&semaphore) {
  semaphore.permits_.PushBack(&link_);
}

inline SemaphorePermit::SemaphorePermit(SemaphorePermit&& other) noexcept { TakeFrom(other); }

inline SemaphorePermit& SemaphorePermit::operator=(SemaphorePermit&& other) noexcept {
  if (this != &other) {
    Release();
    TakeFrom(other);
  }
  return *this;
}

inline void SemaphorePermit::TakeFrom(SemaphorePermit& other) {
  Semaphore* semaphore = std::exchange(other.semaphore_, nullptr);
  if (!other.link_.linked()) return;  // empty, or its semaphore is gone
  semaphore->permits_.Remove(&other.link_);
  semaphore_ = semaphore;
  semaphore->permits_.PushBack(&link_);
}

inline void SemaphorePermit::Release() {
  Semaphore* semaphore = std::exchange(semaphore_, nullptr);
  if (!link_.linked()) return;  // empty, released, moved from, or its semaphore is gone
  semaphore->permits_.Remove(&link_);
  semaphore->Release();
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_SEMAPHORE_H_
