#include "examples/cache/store.h"

#include <chrono>

#include "base/check.h"
#include "base/strings.h"

namespace laplace::examples {

using namespace std::chrono_literals;

SlowStore::SlowStore(Loop& loop, int keys) : loop_(loop), values_(keys, 0) {
  LAPLACE_CHECK(keys >= 1) << "a store needs at least one key";
}

void SlowStore::CheckKey(int key) const {
  LAPLACE_CHECK(key >= 0) << "no key " << key << ": keys start at 0";
  LAPLACE_CHECK(key < keys()) << "no key " << key << " in a store of " << keys() << " keys";
}

Task<> SlowStore::RoundTrip() {
  // 1 to 3 ms, a delay choice (0 = the fastest).
  co_await loop_.Sleep(1ms + 1ms * static_cast<int64_t>(loop_.Choose(3, ChoiceKind::kDelay)));
}

Task<int64_t> SlowStore::Read(int key) {
  CheckKey(key);
  int64_t value = values_[key];  // the value as of the request
  loop_.Note(internal::Cat("store: read key ", key, " = v", value));
  co_await RoundTrip();
  co_return value;
}

Task<> SlowStore::Write(int key, int64_t value) {
  CheckKey(key);
  loop_.Note(internal::Cat("store: writing key ", key, " = v", value));
  co_await RoundTrip();
  values_[key] = value;
  loop_.Note(internal::Cat("store: wrote key ", key, " = v", value));
}

}  // namespace laplace::examples
