// WaitFor: a virtual-time timeout on any awaitable (asyncio.wait_for).
//
// WaitFor(loop, x, timeout) resumes the awaiting task with x's Result if x
// finishes within `timeout` of virtual time, else with kDeadlineExceeded.
// What happens to x on timeout depends on what it is:
//   Task<T>        run as a child task ("<parent>/wait_for[0]"), cancelled
//   Future<T>      left alone: its promise may still be set later
//   TaskHandle<T>  left alone: the task keeps running
//                  (for these two, a move-only result is moved out of the
//                  shared state, as `co_await std::move(future)` does)
//   any other awaitable (e.g. lock.Acquire(), queue.Get())
//                  awaited in a child task, which is cancelled
// A timeout is "maybe happened": the operation may have taken effect.
//
//   absl::StatusOr<std::string> reply =
//       co_await laplace::WaitFor(loop, Call(loop, server), std::chrono::milliseconds(50));
//   if (absl::IsDeadlineExceeded(reply.status())) { ... retry ... }
#ifndef LAPLACE_LOOP_WAIT_FOR_H_
#define LAPLACE_LOOP_WAIT_FOR_H_

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "base/strings.h"
#include "loop/future.h"
#include "loop/internal/child_scope.h"
#include "loop/loop.h"
#include "loop/result.h"
#include "loop/task.h"

namespace laplace {
namespace internal {

inline absl::Status TimeoutError(Duration timeout) {
  return absl::DeadlineExceededError(Cat("wait_for timed out after ", FormatDuration(timeout)));
}

// The type an awaitable gives back.
template <typename Awaitable>
auto AwaitResultOf(Awaitable&& awaitable) {
  if constexpr (requires { std::forward<Awaitable>(awaitable).operator co_await(); }) {
    return std::type_identity<
        decltype(std::forward<Awaitable>(awaitable).operator co_await().await_resume())>{};
  } else {
    return std::type_identity<decltype(awaitable.await_resume())>{};
  }
}
template <typename Awaitable>
using AwaitResult = typename decltype(AwaitResultOf(std::declval<Awaitable>()))::type;

template <typename T>
struct IsLaplaceResultSource : std::false_type {};
template <typename T>
struct IsLaplaceResultSource<Task<T>> : std::true_type {};
template <typename T>
struct IsLaplaceResultSource<Future<T>> : std::true_type {};
template <typename T>
struct IsLaplaceResultSource<TaskHandle<T>> : std::true_type {};

template <typename Awaitable>
Task<AwaitResult<Awaitable>> AwaitInTask(Awaitable awaitable) {
  co_return co_await std::move(awaitable);
}

// Waits for `state` until the timeout. Gives a copy of the result, so that other copies of the
// Future or TaskHandle can still read it; a result that cannot be copied (a move-only T) is
// moved out instead, as awaiting an rvalue Future does.
template <typename T>
Task<Result<T>> AwaitStateFor(Loop& loop, SharedState<T>& state, Duration timeout) {
  bool resolved = co_await DeadlineAwaiter(state, AddSaturating(loop.Now(), timeout));
  if (!resolved) co_return TimeoutError(timeout);
  if constexpr (std::is_copy_constructible_v<Result<T>>) {
    co_return state.result();
  } else {
    co_return state.TakeResult();
  }
}

}  // namespace internal

template <typename T>
Task<Result<T>> WaitFor(Loop& loop, Task<T> task, Duration timeout) {
  internal::ChildScope scope(loop, "wait_for");
  TaskHandle<T> child = scope.Spawn(std::move(task));
  bool resolved = co_await internal::DeadlineAwaiter(child.internal_shared(),
                                                     AddSaturating(loop.Now(), timeout));
  if (!resolved) co_return internal::TimeoutError(timeout);  // the scope cancels the child
  co_return co_await std::move(child);
}

template <typename T>
Task<Result<T>> WaitFor(Loop& loop, Future<T> future, Duration timeout) {
  co_return co_await internal::AwaitStateFor(loop, future.internal_shared(), timeout);
}

template <typename T>
Task<Result<T>> WaitFor(Loop& loop, TaskHandle<T> handle, Duration timeout) {
  co_return co_await internal::AwaitStateFor(loop, handle.internal_shared(), timeout);
}

// clang-format 14 mangles requires-clauses.
// clang-format off
template <typename Awaitable>
  requires(!internal::IsLaplaceResultSource<std::remove_cvref_t<Awaitable>>::value)
Task<Result<internal::AwaitResult<Awaitable>>> WaitFor(Loop& loop, Awaitable awaitable,
                                                      Duration timeout) {
  // clang-format on
  return WaitFor(loop, internal::AwaitInTask(std::move(awaitable)), timeout);
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_WAIT_FOR_H_
