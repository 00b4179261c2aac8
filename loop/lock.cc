#include "loop/lock.h"

#include "base/strings.h"

namespace laplace {

bool Lock::TryAcquire() {
  if (locked_) return false;
  locked_ = true;
  holder_ = loop().current_task();
  if (!granted_.empty()) SendBackWoken();  // barging: taken before the woken waiter ran
  return true;
}

void Lock::SendBackWoken() {
  auto* woken = static_cast<internal::HandedWaiter*>(granted_.front());
  granted_.Remove(woken);
  woken->handed = false;
  waiters_.PushFront(woken);
  internal::LoopAccess::Unwake(loop(), *woken->task);
}

void Lock::PassOn() {
  if (policy_ == LockPolicy::kHandOff) {
    Release();  // it was handed the lock
    return;
  }
  if (locked_) return;  // someone took the free lock meanwhile; their Release wakes the next
  auto* next = static_cast<internal::HandedWaiter*>(waiters_.PopFront());
  if (next != nullptr) internal::Hand(granted_, *next, loop());
}

void Lock::Release() {
  LAPLACE_CHECK(locked_) << Describe() << " released while not held";
  if (policy_ == LockPolicy::kBarging) {
    locked_ = false;
    holder_ = 0;
    PassOn();  // wakes the oldest waiter to try
    return;
  }
  auto* next = static_cast<internal::HandedWaiter*>(waiters_.PopFront());
  if (next == nullptr) {
    locked_ = false;
    holder_ = 0;
    return;
  }
  // The lock stays locked, now on behalf of `next`; its awaiter takes a guard when it runs, or
  // passes the lock on if it is destroyed first.
  holder_ = next->task->id;
  internal::Hand(granted_, *next, loop());
}

std::string Lock::Describe() const {
  std::string text = LoopObject::Describe();
  if (locked_) {
    internal::Append(text, " held by ");
    if (holder_ == 0) {
      internal::Append(text, "code outside any task");
    } else {
      std::string_view name = has_loop() ? loop().label(holder_) : std::string_view();
      internal::Append(text, "task #", holder_);
      if (!name.empty()) internal::Append(text, " '", name, "'");
    }
  }
  return text;
}

}  // namespace laplace
