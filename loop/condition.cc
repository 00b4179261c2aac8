#include "loop/condition.h"

#include "base/strings.h"

namespace laplace {

// Registers the waiting task, then releases the lock, then blocks: a notify from whoever takes
// the lock next finds the waiter.
class Condition::NotifiedAwaiter {
 public:
  NotifiedAwaiter(Condition& condition, LockGuard& guard)
      : condition_(&condition), guard_(&guard) {}
  NotifiedAwaiter(const NotifiedAwaiter&) = delete;
  NotifiedAwaiter& operator=(const NotifiedAwaiter&) = delete;
  ~NotifiedAwaiter() {
    if (waiter_.linked()) --condition_->waiting_;  // cancelled while waiting: ~Waiter unlinks
  }

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(condition_->waiters_, waiter_, *condition_, resume_point);
    ++condition_->waiting_;
    guard_->Release();
  }
  void await_resume() const noexcept {}

 private:
  Condition* condition_;
  LockGuard* guard_;
  internal::Waiter waiter_;
};

Condition::Condition(Loop& loop, Lock& lock, std::string_view label)
    : LoopObject(loop, WaitKind::kCondition, label), lock_(lock) {}

Task<> Condition::Wait(LockGuard& guard) {
  LAPLACE_CHECK(guard.owns_lock(&lock_))
      << Describe() << ": Wait needs a guard that holds " << lock_.Describe();
  co_await NotifiedAwaiter(*this, guard);
  guard = co_await lock_.Acquire();
}

void Condition::CheckLocked(const char* what) const {
  LAPLACE_CHECK(lock_.locked()) << Describe() << ": " << what
                                << " without holding its lock (asyncio raises RuntimeError)";
}

void Condition::NotifyOne() {
  CheckLocked("NotifyOne");
  internal::Waiter* waiter = waiters_.PopFront();
  if (waiter == nullptr) return;
  --waiting_;
  internal::LoopAccess::Wake(loop(), *waiter->task);
}

void Condition::NotifyAll() {
  CheckLocked("NotifyAll");
  waiting_ = 0;
  internal::WakeAll(waiters_, *this);
}

std::string Condition::Describe() const {
  return internal::Cat(LoopObject::Describe(), " on ", lock_.Describe(), " (", waiting_,
                       " waiting)");
}

}  // namespace laplace
