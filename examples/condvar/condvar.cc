#include "examples/condvar/condvar.h"

#include <utility>

#include "base/check.h"
#include "base/strings.h"

namespace laplace::examples {

CondVar::CondVar(Loop& loop, Lock& lock, std::string label, bool fixed)
    : loop_(loop), lock_(lock), label_(std::move(label)), fixed_(fixed) {}

Future<> CondVar::Register() {
  waiters_.emplace_back(loop_, label_);
  loop_.Note(internal::Cat("registers as a waiter on ", label_));
  return waiters_.back().future();
}

void CondVar::Unlock(LockGuard& guard) {
  guard.Release();
  loop_.Note(internal::Cat("unlocks to wait on ", label_));
}

Task<> CondVar::Wait(LockGuard& guard) {
  LAPLACE_CHECK(guard.owns_lock()) << "CondVar::Wait needs the lock held";
  Future<> notified;
  if (fixed_) {
    // Registered while the lock is still held: any task that changes the
    // state must take the lock first, so its notify finds us in the list.
    notified = Register();
    Unlock(guard);
    co_await loop_.Yield();  // a fair unlock: let the lock's next holder run
  } else {
    // The bug: between this release and the registration below, a notifier
    // can take the lock, change the state and notify an empty list.
    Unlock(guard);
    co_await loop_.Yield();  // a fair unlock: let the lock's next holder run
    notified = Register();
  }
  // Only a broken promise (the CondVar destroyed) resolves it otherwise, and
  // then the run is over anyway.
  (void)co_await notified;
  guard = co_await lock_.Acquire();
}

void CondVar::NotifyOne() {
  if (waiters_.empty()) {
    loop_.Note(internal::Cat("notifies ", label_, ": nobody waits"));
    return;
  }
  loop_.Note(internal::Cat("notifies ", label_, ": wakes a waiter"));
  Promise<> oldest = std::move(waiters_.front());
  waiters_.pop_front();
  oldest.SetValue();
}

void CondVar::NotifyAll() {
  loop_.Note(internal::Cat("notifies all on ", label_, ": ", waiters_.size(), " waiter(s)"));
  std::deque<Promise<>> woken = std::move(waiters_);
  waiters_.clear();
  for (Promise<>& waiter : woken) waiter.SetValue();
}

}  // namespace laplace::examples
