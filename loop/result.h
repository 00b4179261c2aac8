// Result<T>: what awaiting a Future<T> or a spawned task gives back.
//
// A future or a task can end with a value, or with an error instead: the task
// was cancelled, the promise was broken, the operation timed out. Result<T>
// is absl::StatusOr<T> for ordinary T, and flattens the cases where T already
// carries a status, so nobody writes StatusOr<StatusOr<int>>:
//
//   Result<int>                     == absl::StatusOr<int>
//   Result<void>                    == absl::Status
//   Result<absl::Status>            == absl::Status
//   Result<absl::StatusOr<int>>     == absl::StatusOr<int>
//
//   laplace::Result<int> r = co_await handle;   // a TaskHandle<int>
//   if (!r.ok()) co_return r.status();          // kCancelled, ...
#ifndef LAPLACE_LOOP_RESULT_H_
#define LAPLACE_LOOP_RESULT_H_

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace laplace {
namespace internal {

template <typename T>
struct ResultOf {
  using type = absl::StatusOr<T>;
};
template <>
struct ResultOf<void> {
  using type = absl::Status;
};
template <>
struct ResultOf<absl::Status> {
  using type = absl::Status;
};
template <typename U>
struct ResultOf<absl::StatusOr<U>> {
  using type = absl::StatusOr<U>;
};

}  // namespace internal

template <typename T>
using Result = typename internal::ResultOf<T>::type;

// Turns an error status into a Result<T> of any T. Requires !status.ok().
template <typename T>
Result<T> ErrorResult(absl::Status status) {
  return Result<T>(std::move(status));
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_RESULT_H_
