// Record: a client call recorded in a History, both ends, as it runs.
//
// Wrap the call a client makes (a Task, a Future or a TaskHandle) and await
// the wrapper instead: it records the invocation now (with the Loop's time,
// if the History has a Loop), awaits the call, records the completion from
// its result, and hands the result back unchanged. By default a result
// reads as:
//   a value, or an OK status       ok, with the value as the operation's output;
//   kUnavailable                   fail: surely not delivered (sim/rpc.h's contract);
//   any other error                info: maybe delivered, maybe applied
//                                  (kDeadlineExceeded, kAborted, ...).
// If the calling task is destroyed before the call returns (its node
// crashed), nothing more is recorded: the operation never completes, which
// the checker reads as info. Pass a classifier for a store whose errors
// mean something else (e.g. a cas refused with kFailedPrecondition: fail).
//
//   laplace::Task<> Client(Store& store, History& history, Process me) {
//     absl::Status wrote = co_await Record(history, {me, "write", 3}, store.Write(3));
//     absl::StatusOr<std::optional<int>> read =
//         co_await Record(history, {me, "read"}, store.Read());
//     co_await Record(history, {me, "put", /*input=*/7, /*key=*/"k"}, kv.Put("k", 7));
//   }
//
// A read's output is its value: std::optional's nullopt becomes nil, vectors
// lists, integers and strings themselves (ToValue; add an overload of
// ToValue in your type's namespace for your own types).
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_RECORD_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_RECORD_H_

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loop/future.h"
#include "loop/result.h"
#include "loop/task.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/value.h"

namespace laplace::linearizability {

// How a call's result completes its operation.
struct Completion {
  Outcome outcome = Outcome::kInfo;
  Value output;  // for kOk
};

// A result as a Value (see the banner).
inline Value ToValue(const Value& value) { return value; }
inline Value ToValue(std::string_view text) { return Value(text); }
inline Value ToValue(const std::string& text) { return Value(text); }
inline Value ToValue(const char* text) { return Value(text); }
template <std::integral Integer>
requires(!std::same_as<Integer, bool>) Value ToValue(Integer integer) { return Value(integer); }
template <typename T>
Value ToValue(const std::optional<T>& value);
template <typename T>
Value ToValue(const std::vector<T>& items);

// The default classification (see the banner).
Completion CompletionOf(const absl::Status& status);
template <typename T>
Completion CompletionOf(const absl::StatusOr<T>& result);
template <typename T>
Completion CompletionOf(const T& value) {
  return {Outcome::kOk, ToValue(value)};
}

// The default classifier: CompletionOf.
struct DefaultCompletion {
  template <typename R>
  Completion operator()(const R& result) const {
    return CompletionOf(result);
  }
};

// Records `call` as `invocation`; gives back what the call gives. `history`
// must outlive the call. `classify(result)` returns a Completion.
template <typename T, typename Classify = DefaultCompletion>
Task<T> Record(History& history, Invocation invocation, Task<T> call, Classify classify = {});
// The same for a Future or a spawned task's handle, whose result is Result<T>.
template <typename T, typename Classify = DefaultCompletion>
Task<Result<T>> Record(History& history, Invocation invocation, Future<T> future,
                       Classify classify = {});
template <typename T, typename Classify = DefaultCompletion>
Task<Result<T>> Record(History& history, Invocation invocation, TaskHandle<T> handle,
                       Classify classify = {});

// Implementation details follow.

template <typename T>
Value ToValue(const std::optional<T>& value) {
  return value.has_value() ? ToValue(*value) : Value();
}

template <typename T>
Value ToValue(const std::vector<T>& items) {
  std::vector<Value> values;
  values.reserve(items.size());
  for (const T& item : items) values.push_back(ToValue(item));
  return Value::List(std::move(values));
}

template <typename T>
Completion CompletionOf(const absl::StatusOr<T>& result) {
  if (!result.ok()) return CompletionOf(result.status());
  return {Outcome::kOk, ToValue(*result)};
}

namespace internal {

inline void Complete(History& history, OpId id, Completion completion) {
  switch (completion.outcome) {
    case Outcome::kOk:
      history.Ok(id, std::move(completion.output));
      return;
    case Outcome::kFail:
      history.Fail(id);
      return;
    case Outcome::kInfo:
      history.Info(id);
      return;
  }
}

template <typename R, typename Awaitable, typename Classify>
Task<R> RecordAwait(History& history, Invocation invocation, Awaitable awaitable,
                    Classify classify) {
  OpId id = history.Invoke(std::move(invocation));
  R result = co_await std::move(awaitable);
  Complete(history, id, classify(static_cast<const R&>(result)));
  co_return result;
}

}  // namespace internal

template <typename T, typename Classify>
Task<T> Record(History& history, Invocation invocation, Task<T> call, Classify classify) {
  static_assert(!std::is_void_v<T>, "a Task<void> has no result to record; return a Status");
  return internal::RecordAwait<T>(history, std::move(invocation), std::move(call),
                                  std::move(classify));
}

template <typename T, typename Classify>
Task<Result<T>> Record(History& history, Invocation invocation, Future<T> future,
                       Classify classify) {
  return internal::RecordAwait<Result<T>>(history, std::move(invocation), std::move(future),
                                          std::move(classify));
}

template <typename T, typename Classify>
Task<Result<T>> Record(History& history, Invocation invocation, TaskHandle<T> handle,
                       Classify classify) {
  return internal::RecordAwait<Result<T>>(history, std::move(invocation), std::move(handle),
                                          std::move(classify));
}

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_RECORD_H_
