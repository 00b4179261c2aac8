// BoundedBuffer: a producer/consumer buffer built on CondVar, so it inherits
// CondVar's lost wakeup (buggy) or not (fixed).
//
// Put() waits while the buffer is full; Take() waits while it is empty. Both
// hold one Lock while they look at the items, and wait on a CondVar
// ("not-full", "not-empty") in a loop, the textbook monitor. With the buggy
// CondVar a Put that lands in a taker's gap between releasing the lock and
// registering is never heard: the taker sleeps with an item in the buffer,
// and once the buffer is full the putter sleeps too.
//
//   laplace::examples::BoundedBuffer buffer(loop, {.capacity = 1, .fixed = true});
//   // in a producer task:
//   co_await buffer.Put(7);
//   // in a consumer task:
//   int item = co_await buffer.Take();  // 7
#ifndef LAPLACE_EXAMPLES_CONDVAR_BUFFER_H_
#define LAPLACE_EXAMPLES_CONDVAR_BUFFER_H_

#include <cstddef>
#include <deque>

#include "examples/condvar/condvar.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace::examples {

struct BufferOptions {
  // Items the buffer holds at most; at least 1.
  size_t capacity = 1;
  // false: the CondVars have the lost wakeup; true: fixed.
  bool fixed = false;
};

class BoundedBuffer {
 public:
  BoundedBuffer(Loop& loop, BufferOptions options);
  BoundedBuffer(const BoundedBuffer&) = delete;
  BoundedBuffer& operator=(const BoundedBuffer&) = delete;

  // Appends `item`, first waiting (on "not-full") while the buffer is full,
  // then wakes one taker. Tasks that Put concurrently append in the order
  // they get the lock.
  Task<> Put(int item);
  // Removes and gives back the oldest item, first waiting (on "not-empty")
  // while the buffer is empty, then wakes one putter.
  Task<int> Take();

  // Items in the buffer now.
  size_t size() const { return items_.size(); }
  size_t capacity() const { return options_.capacity; }

 private:
  Loop& loop_;
  BufferOptions options_;
  Lock lock_;
  CondVar not_full_;
  CondVar not_empty_;
  std::deque<int> items_;
};

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_CONDVAR_BUFFER_H_
