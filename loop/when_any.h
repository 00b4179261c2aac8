// WhenAny: run tasks concurrently and take the first to finish
// (asyncio.wait(..., return_when=FIRST_COMPLETED), then cancel the rest).
//
// Each task is spawned as a child task ("<parent>/when_any[i]"). When one
// ends, the others are cancelled (their frames destroyed, so their RAII
// guards release what they held) before WhenAny resumes the awaiting task
// with the winner's index and Result. If several ended before the awaiting
// task ran, the lowest index wins. A winner that threw is rethrown.
//
//   laplace::AnyResult<std::string> first =
//       co_await laplace::WhenAny(loop, Ask(loop, replica1), Ask(loop, replica2));
//   // first.index: which replica answered; first.result: its answer
#ifndef LAPLACE_LOOP_WHEN_ANY_H_
#define LAPLACE_LOOP_WHEN_ANY_H_

#include <type_traits>
#include <utility>
#include <vector>

#include "loop/internal/child_scope.h"
#include "loop/loop.h"
#include "loop/result.h"
#include "loop/task.h"

namespace laplace {

template <typename T>
struct AnyResult {
  size_t index = 0;  // which task finished first
  Result<T> result;  // what it finished with
};

// Requires at least one task.
template <typename T>
Task<AnyResult<T>> WhenAny(Loop& loop, std::vector<Task<T>> tasks) {
  LAPLACE_CHECK(!tasks.empty()) << "WhenAny of no tasks would never finish";
  internal::ChildScope scope(loop, "when_any");
  std::vector<TaskHandle<T>> handles;
  std::vector<internal::SharedStateBase*> states;
  for (Task<T>& task : tasks) {
    handles.push_back(scope.Spawn(std::move(task)));
    states.push_back(&handles.back().internal_shared());
  }
  size_t winner = co_await internal::AnyOfAwaiter(std::move(states));
  scope.CancelAll();  // the winner already ended; this cancels the losers
  // Not `AnyResult<T> any{.index = winner, .result = co_await ...}`: g++ 12 miscompiles a
  // co_await inside an aggregate initializer, copying the result bitwise, so a std::string kept
  // in its small buffer pointed into this frame after it was freed (ASan: heap-use-after-free).
  Result<T> result = co_await std::move(handles[winner]);
  co_return AnyResult<T>{.index = winner, .result = std::move(result)};
}

// clang-format 14 mangles requires-clauses.
// clang-format off
template <typename T, typename... More>
  requires(std::is_same_v<T, More> && ...)
Task<AnyResult<T>> WhenAny(Loop& loop, Task<T> first, Task<More>... more) {
  // clang-format on
  std::vector<Task<T>> tasks;
  tasks.push_back(std::move(first));
  (tasks.push_back(std::move(more)), ...);
  return WhenAny(loop, std::move(tasks));
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_WHEN_ANY_H_
