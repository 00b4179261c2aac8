#include "loop/semaphore.h"

#include "base/strings.h"

namespace laplace {

Semaphore::Semaphore(Loop& loop, int64_t permits, std::string_view label)
    : LoopObject(loop, WaitKind::kSemaphore, label), available_(permits) {
  LAPLACE_CHECK(permits >= 0) << "a semaphore needs a non-negative number of permits";
}

bool Semaphore::TryAcquire() {
  if (available_ == 0) return false;
  --available_;
  return true;
}

void Semaphore::Release() {
  auto* next = static_cast<internal::HandedWaiter*>(waiters_.PopFront());
  if (next == nullptr) {
    ++available_;
    return;
  }
  --waiting_;
  internal::Hand(granted_, *next, loop());
}

std::string Semaphore::Describe() const {
  return internal::Cat(LoopObject::Describe(), " (", available_, " available, ", waiting_,
                       " waiting)");
}

}  // namespace laplace
