#include "examples/cache/cache.h"

#include <string>

#include "base/strings.h"

namespace laplace::examples {

Cache::Cache(Loop& loop, SlowStore& store, CacheOptions options)
    : loop_(loop), store_(store), options_(options) {}

std::optional<int64_t> Cache::cached(int key) const {
  auto entry = entries_.find(key);
  if (entry == entries_.end()) return std::nullopt;
  return entry->second;
}

Task<int64_t> Cache::Get(int key) {
  if (std::optional<int64_t> hit = cached(key)) {
    loop_.Note(internal::Cat("get key ", key, ": hit, v", *hit));
    co_return *hit;
  }
  loop_.Note(internal::Cat("get key ", key, ": miss"));
  const uint64_t lease = generations_[key];
  int64_t value = co_await store_.Read(key);
  // The bug: an Update may have written the store and invalidated the key
  // while the read was in flight; filling now installs the old value after
  // the invalidation that was meant to remove it.
  if (options_.fixed && generations_[key] != lease) {
    loop_.Note(internal::Cat("get key ", key, ": does not cache v", value,
                             ", the key was invalidated during the read"));
    co_return value;
  }
  entries_[key] = value;
  loop_.Note(internal::Cat("get key ", key, ": caches v", value));
  co_return value;
}

Task<> Cache::Update(int key, int64_t value) {
  co_await store_.Write(key, value);
  std::optional<int64_t> dropped = cached(key);
  entries_.erase(key);
  ++generations_[key];
  loop_.Note(internal::Cat("update key ", key, ": invalidated (",
                           dropped.has_value() ? internal::Cat("dropped v", *dropped)
                                               : std::string("nothing was cached"),
                           ")"));
}

}  // namespace laplace::examples
