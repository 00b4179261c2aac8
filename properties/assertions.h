// LAPLACE_ASSERT: assertions for code that runs inside a simulation.
//
// Use them anywhere: in a property's body, in tasks, in callbacks. A failed
// assertion records an "assertion" failure whose site is its file:line (so
// shrinking keeps to this assertion), stops the run, and throws to unwind
// the task it is in. Stream extra context into it.
//
//   LAPLACE_ASSERT(balance >= 0) << "account " << id << " went negative";
//   LAPLACE_ASSERT_EQ(bank.total(), 300);
#ifndef LAPLACE_PROPERTIES_ASSERTIONS_H_
#define LAPLACE_PROPERTIES_ASSERTIONS_H_

#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace laplace::properties {

// Thrown by a failed LAPLACE_ASSERT to unwind the code that made it; the
// failure is already recorded, so nothing needs to catch it.
class AssertionFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace internal {

class AssertionFailure {
 public:
  AssertionFailure(const char* file, int line, std::string condition);
  AssertionFailure(const AssertionFailure&) = delete;
  AssertionFailure& operator=(const AssertionFailure&) = delete;
  // Records the failure and throws AssertionFailed.
  ~AssertionFailure() noexcept(false);

  std::ostream& stream() { return details_; }

 private:
  const char* file_;
  int line_;
  std::string condition_;
  std::ostringstream details_;
};

template <typename T>
std::string Show(const T& value) {
  if constexpr (requires(std::ostream & out) { out << value; }) {
    std::ostringstream out;
    out << value;
    return out.str();
  } else {
    return "(unprintable)";
  }
}

template <typename Left, typename Right>
struct SidesOf {
  Left left;
  Right right;
};
template <typename Left, typename Right>
SidesOf<std::decay_t<Left>, std::decay_t<Right>> Sides(Left&& left, Right&& right) {
  return {std::forward<Left>(left), std::forward<Right>(right)};
}

}  // namespace internal
}  // namespace laplace::properties

#define LAPLACE_ASSERT(condition)                                                     \
  while (__builtin_expect(!(condition), 0))                                           \
  ::laplace::properties::internal::AssertionFailure(__FILE__, __LINE__,               \
                                                    "LAPLACE_ASSERT(" #condition ")") \
      .stream()

// Evaluates each side once.
#define LAPLACE_ASSERT_OP_(op, a, b)                                                   \
  for (auto laplace_sides_ = ::laplace::properties::internal::Sides((a), (b));         \
       !(laplace_sides_.left op laplace_sides_.right);)                                \
  ::laplace::properties::internal::AssertionFailure(                                   \
      __FILE__, __LINE__,                                                              \
      "LAPLACE_ASSERT(" #a " " #op " " #b "): left is " +                              \
          ::laplace::properties::internal::Show(laplace_sides_.left) + ", right is " + \
          ::laplace::properties::internal::Show(laplace_sides_.right))                 \
      .stream()

#define LAPLACE_ASSERT_EQ(a, b) LAPLACE_ASSERT_OP_(==, a, b)
#define LAPLACE_ASSERT_NE(a, b) LAPLACE_ASSERT_OP_(!=, a, b)
#define LAPLACE_ASSERT_LT(a, b) LAPLACE_ASSERT_OP_(<, a, b)
#define LAPLACE_ASSERT_LE(a, b) LAPLACE_ASSERT_OP_(<=, a, b)
#define LAPLACE_ASSERT_GT(a, b) LAPLACE_ASSERT_OP_(>, a, b)
#define LAPLACE_ASSERT_GE(a, b) LAPLACE_ASSERT_OP_(>=, a, b)

#endif  // LAPLACE_PROPERTIES_ASSERTIONS_H_
