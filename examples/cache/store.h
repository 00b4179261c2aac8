// SlowStore: the backing store a cache sits in front of, where every read
// and write is a round trip that suspends the task.
//
// Values are versions (int64, 0 at the start), so a reader can tell an old
// value from a new one. Each round trip takes 1 to 3 ms of virtual time, a
// ChoiceKind::kDelay choice (0 = the fastest), so the order in which
// concurrent reads and writes finish is on the tape and shrinks.
//
//   laplace::examples::SlowStore store(loop, /*keys=*/2);
//   // in a task:
//   co_await store.Write(0, 1);               // key 0 is 1 once this returns
//   int64_t value = co_await store.Read(0);   // 1
#ifndef LAPLACE_EXAMPLES_CACHE_STORE_H_
#define LAPLACE_EXAMPLES_CACHE_STORE_H_

#include <cstdint>
#include <vector>

#include "loop/loop.h"
#include "loop/task.h"

namespace laplace::examples {

class SlowStore {
 public:
  // Keys are [0, keys); every value starts at 0. Requires keys >= 1.
  SlowStore(Loop& loop, int keys);

  // The value of `key` as of the request, given back after a round trip: a
  // write that lands during the round trip is not seen. Requires a valid key.
  Task<int64_t> Read(int key);
  // Sets `key` to `value` at the end of a round trip; the write has taken
  // effect when the task resumes. Requires a valid key.
  Task<> Write(int key, int64_t value);

  int keys() const { return static_cast<int>(values_.size()); }
  // The value now, without a round trip (for checks, not for the cache).
  int64_t value(int key) const { return values_.at(key); }

 private:
  // Fails a check unless `key` is in [0, keys()).
  void CheckKey(int key) const;
  Task<> RoundTrip();

  Loop& loop_;
  std::vector<int64_t> values_;
};

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_CACHE_STORE_H_
