// Assertions for programmer errors: they print where and why, then abort.
//
// Laplace crashes loudly on misuse (setting a promise twice, awaiting outside
// a task) instead of limping on, because a simulation that continued past a
// broken invariant would produce a trace nobody can trust. Abseil 20220623
// has no public CHECK macro, hence this small one.
//
//   LAPLACE_CHECK(bound >= 1) << "Choose needs a non-empty range, got " << bound;
#ifndef LAPLACE_BASE_CHECK_H_
#define LAPLACE_BASE_CHECK_H_

#include <sstream>
#include <string>

namespace laplace::internal {

// Collects the message of a failed check; its destructor prints and aborts.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  [[noreturn]] ~CheckFailure();

  std::ostream& stream() { return message_; }

 private:
  const char* file_;
  int line_;
  const char* condition_;
  std::ostringstream message_;
};

// Names what is running on this thread (e.g. "rerun with LAPLACE_SEED=7"),
// printed by a failed check so that an abort inside a simulation still says
// how to reproduce it; restores the previous context when it goes away.
class ScopedCheckContext {
 public:
  explicit ScopedCheckContext(const std::string* context);
  ScopedCheckContext(const ScopedCheckContext&) = delete;
  ScopedCheckContext& operator=(const ScopedCheckContext&) = delete;
  ~ScopedCheckContext();

 private:
  const std::string* previous_;
};

}  // namespace laplace::internal

// Aborts with the condition, the location and any streamed message when
// `condition` is false. Always on, in every build mode.
#define LAPLACE_CHECK(condition)            \
  while (__builtin_expect(!(condition), 0)) \
  ::laplace::internal::CheckFailure(__FILE__, __LINE__, #condition).stream()

// Forces inlining of the few functions on the scheduler's hot path (one task
// switch), which compilers otherwise leave out of line because of the cold
// check-failure code inside them. Both g++ and clang honour it.
#define LAPLACE_HOT_INLINE inline __attribute__((always_inline))

#endif  // LAPLACE_BASE_CHECK_H_
