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

// Returns its permit when destroyed, unless released or moved from before.
class [[nodiscard]] SemaphorePermit {
 public:
  SemaphorePermit() = default;
  explicit SemaphorePermit(Semaphore& semaphore) : semaphore_(&semaphore) {}
  SemaphorePermit(SemaphorePermit&& other) noexcept
      : semaphore_(std::exchange(other.semaphore_, nullptr)) {}
  SemaphorePermit& operator=(SemaphorePermit&& other) noexcept {
    if (this != &other) {
      Release();
      semaphore_ = std::exchange(other.semaphore_, nullptr);
    }
    return *this;
  }
  ~SemaphorePermit() { Release(); }

  inline void Release();
  bool owns_permit() const { return semaphore_ != nullptr; }

 private:
  Semaphore* semaphore_ = nullptr;
};

class Semaphore final : public internal::LoopObject {
 public:
  class AcquireAwaiter;

  // Requires permits >= 0.
  Semaphore(Loop& loop, int64_t permits, std::string_view label = {});

  // Suspends until a permit is available; gives it as a SemaphorePermit.
  [[nodiscard]] AcquireAwaiter Acquire();
  // Takes a permit if one is free. Returns whether it did.
  bool TryAcquire();
  // Returns one permit, handing it to the oldest waiter if any.
  void Release();

  // Permits not held by anyone.
  int64_t available() const { return available_; }

  // "semaphore 'connections' (0 available, 3 waiting)".
  std::string Describe() const override;

 private:
  struct PermitWaiter : internal::Waiter {
    bool granted = false;
  };

  int64_t available_;
  int64_t waiting_ = 0;
  internal::WaitList waiters_;
};

class Semaphore::AcquireAwaiter {
 public:
  explicit AcquireAwaiter(Semaphore& semaphore) : semaphore_(&semaphore) {}
  // Movable until awaited (so WaitFor can take it).
  AcquireAwaiter(AcquireAwaiter&& other) noexcept : semaphore_(other.semaphore_) {
    LAPLACE_CHECK(!other.waiter_.linked() && !other.waiter_.granted) << "moving a waiting awaiter";
  }
  AcquireAwaiter& operator=(AcquireAwaiter&&) = delete;
  ~AcquireAwaiter() {
    if (waiter_.linked()) --semaphore_->waiting_;
    if (waiter_.granted && !resumed_) semaphore_->Release();
  }

  bool await_ready() { return semaphore_->TryAcquire(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    Loop& loop = semaphore_->loop();
    waiter_.task = &loop.CurrentRecord();
    semaphore_->waiters_.PushBack(&waiter_);
    ++semaphore_->waiting_;
    loop.BlockCurrent(resume_point, WaitKind::kSemaphore, semaphore_, semaphore_->object_id());
  }
  SemaphorePermit await_resume() {
    resumed_ = true;
    return SemaphorePermit(*semaphore_);
  }

 private:
  Semaphore* semaphore_;
  PermitWaiter waiter_;
  bool resumed_ = false;
};

// Implementation details follow.

inline Semaphore::AcquireAwaiter Semaphore::Acquire() { return AcquireAwaiter(*this); }

inline void SemaphorePermit::Release() {
  if (semaphore_ != nullptr) std::exchange(semaphore_, nullptr)->Release();
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_SEMAPHORE_H_
