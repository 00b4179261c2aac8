#include "examples/condvar/buffer.h"

#include "base/check.h"
#include "base/strings.h"

namespace laplace::examples {

BoundedBuffer::BoundedBuffer(Loop& loop, BufferOptions options)
    : loop_(loop),
      options_(options),
      lock_(loop, "buffer"),
      not_full_(loop, lock_, "not-full", options.fixed),
      not_empty_(loop, lock_, "not-empty", options.fixed) {
  LAPLACE_CHECK(options.capacity >= 1) << "a BoundedBuffer needs room for one item";
}

Task<> BoundedBuffer::Put(int item) {
  LockGuard guard = co_await lock_.Acquire();
  while (items_.size() == options_.capacity) {
    loop_.Note(internal::Cat("buffer full, cannot put item ", item));
    co_await not_full_.Wait(guard);
  }
  items_.push_back(item);
  loop_.Note(internal::Cat("put item ", item));
  not_empty_.NotifyOne();
}

Task<int> BoundedBuffer::Take() {
  LockGuard guard = co_await lock_.Acquire();
  while (items_.empty()) {
    loop_.Note("buffer empty, cannot take");
    co_await not_empty_.Wait(guard);
  }
  int item = items_.front();
  items_.pop_front();
  loop_.Note(internal::Cat("took item ", item));
  not_full_.NotifyOne();
  co_return item;
}

}  // namespace laplace::examples
