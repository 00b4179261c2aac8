// Cache: a read-through cache in front of a SlowStore, with the classic stale
// read after a concurrent invalidation, and its fixed twin.
//
// Get() serves a key from the cache, or on a miss reads the store and fills
// the cache with what it read. Update() writes the store, then invalidates
// the key. The bug: a Get misses and reads the old value; while its read is
// in flight, an Update writes the new value and invalidates the key (there
// is nothing to invalidate yet); then the Get fills the cache with the old
// value, which every later Get is served until the next Update, long after
// the Update completed.
//
// The fix is the classic one, memcache's leases (Nishtala et al., "Scaling
// Memcache at Facebook", NSDI 2013): a miss takes a lease, the key's current
// generation; an invalidation bumps the generation; a fill is made only if
// the generation is still the lease's, so a value read before an
// invalidation can never be installed after it. (Merely moving the
// invalidation is no fix: whatever order Update uses, a slow read can land
// after it.)
//
//   laplace::examples::SlowStore store(loop, /*keys=*/2);
//   laplace::examples::Cache cache(loop, store, {.fixed = true});
//   // in a task:
//   co_await cache.Update(0, 1);
//   int64_t value = co_await cache.Get(0);  // 1, now and on every later Get
#ifndef LAPLACE_EXAMPLES_CACHE_CACHE_H_
#define LAPLACE_EXAMPLES_CACHE_CACHE_H_

#include <cstdint>
#include <map>
#include <optional>

#include "examples/cache/store.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace::examples {

struct CacheOptions {
  // false: a miss fills the cache unconditionally (stale reads); true: only
  // if no invalidation happened since the miss (a lease).
  bool fixed = false;
};

class Cache {
 public:
  // `store` must outlive the Cache.
  Cache(Loop& loop, SlowStore& store, CacheOptions options);

  // The value of `key`: the cached one on a hit, without suspending; on a
  // miss the store's, after a round trip, then cached (see the class comment
  // for when the fixed cache declines to). Requires a valid key.
  Task<int64_t> Get(int key);
  // Writes `value` to the store, then invalidates the cached `key`. Once it
  // returns, every Get that starts later gives `value` or a newer one (the
  // fixed cache; the buggy one may give an older one).
  Task<> Update(int key, int64_t value);

  // The cached value of `key`, if any.
  std::optional<int64_t> cached(int key) const;

 private:
  Loop& loop_;
  SlowStore& store_;
  CacheOptions options_;
  std::map<int, int64_t> entries_;
  // Bumped by every invalidation; a miss's lease (fixed cache).
  std::map<int, uint64_t> generations_;
};

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_CACHE_CACHE_H_
