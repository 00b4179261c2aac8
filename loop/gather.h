// Gather: run tasks concurrently and wait for all of them (asyncio.gather).
//
// Each task is spawned as a child task (labelled "<parent>/gather[i]"), so
// the schedule can interleave them. Gather resumes the awaiting task once all
// have ended and gives back each one's Result in argument order: the value,
// or the error it ended with. If a child threw, Gather rethrows the first
// exception (by argument order) after all have ended. If the awaiting task is
// cancelled, the children still running are cancelled too.
//
//   auto [a, b] = co_await laplace::Gather(loop, Fetch(loop, "a"), Count(loop));
//   // a: absl::StatusOr<std::string>, b: absl::StatusOr<int>
//   std::vector<laplace::Result<int>> all = co_await laplace::Gather(loop, std::move(tasks));
#ifndef LAPLACE_LOOP_GATHER_H_
#define LAPLACE_LOOP_GATHER_H_

#include <exception>
#include <tuple>
#include <utility>
#include <vector>

#include "loop/internal/child_scope.h"
#include "loop/loop.h"
#include "loop/result.h"
#include "loop/task.h"

namespace laplace {
namespace internal {

template <typename T>
Task<> AwaitInto(TaskHandle<T>& handle, Result<T>& out, std::exception_ptr& first_exception) {
  try {
    out = co_await std::move(handle);
  } catch (...) {
    if (first_exception == nullptr) first_exception = std::current_exception();
  }
}

template <typename... Ts, size_t... I>
Task<std::tuple<Result<Ts>...>> GatherTuple(Loop& loop, std::index_sequence<I...>,
                                            Task<Ts>... tasks) {
  ChildScope scope(loop, "gather");
  std::tuple<TaskHandle<Ts>...> handles{scope.Spawn(std::move(tasks))...};
  std::tuple<Result<Ts>...> results;
  std::exception_ptr first_exception;
  (co_await AwaitInto(std::get<I>(handles), std::get<I>(results), first_exception), ...);
  if (first_exception != nullptr) std::rethrow_exception(first_exception);
  co_return results;
}

}  // namespace internal

// Runs every task concurrently; gives a tuple of their Results.
template <typename... Ts>
Task<std::tuple<Result<Ts>...>> Gather(Loop& loop, Task<Ts>... tasks) {
  return internal::GatherTuple(loop, std::index_sequence_for<Ts...>{}, std::move(tasks)...);
}

// Runs every task concurrently; gives their Results in the same order.
template <typename T>
Task<std::vector<Result<T>>> Gather(Loop& loop, std::vector<Task<T>> tasks) {
  internal::ChildScope scope(loop, "gather");
  std::vector<TaskHandle<T>> handles;
  handles.reserve(tasks.size());
  for (Task<T>& task : tasks) handles.push_back(scope.Spawn(std::move(task)));
  std::vector<Result<T>> results(handles.size());
  std::exception_ptr first_exception;
  for (size_t i = 0; i < handles.size(); ++i) {
    co_await internal::AwaitInto(handles[i], results[i], first_exception);
  }
  if (first_exception != nullptr) std::rethrow_exception(first_exception);
  co_return results;
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_GATHER_H_
