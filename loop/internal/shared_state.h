// The state shared by a Promise and its Futures, and by a spawned task and
// its TaskHandles: a single-assignment result plus the tasks waiting for it.
// Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_SHARED_STATE_H_
#define LAPLACE_LOOP_INTERNAL_SHARED_STATE_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "base/check.h"
#include "loop/internal/loop_access.h"
#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/loop.h"
#include "loop/result.h"
#include "loop/source_location.h"

namespace laplace::internal {

class SharedStateBase;

// Throws PromiseAlreadySet (future.h) for `state`, set first at `first` and again at `again`.
// Out of line (loop.cc), so the public exception type is declared where users read about it.
[[noreturn]] void ThrowResolvedTwice(const SharedStateBase& state, SourceLocation first,
                                     SourceLocation again);

// How a spawned task ended, as its JoinTarget saw it.
struct Completion {
  std::exception_ptr exception;  // what it threw, if it threw
  bool unobserved = false;       // it threw and no handle can observe that
};

// What the Loop calls when a spawned task ends.
class JoinTarget {
 public:
  // Tells the target its task's id, once, before the task runs.
  virtual void Bind(TaskId task) = 0;
  // The task returned or threw; `root` is suspended at its final point and
  // still alive.
  virtual Completion Complete(std::coroutine_handle<> root) = 0;
  // The task was cancelled (or its group crashed) before finishing.
  virtual void Abandon(const absl::Status& reason) = 0;
  // Drops the task record's reference.
  virtual void ReleaseFromTask() = 0;

 protected:
  ~JoinTarget() = default;
};

// The untyped part: reference count, resolution, waiters.
class SharedStateBase : public LoopObject {
 public:
  SharedStateBase(Loop& loop, WaitKind kind, std::string_view label)
      : LoopObject(loop, kind, label), wait_object_(object_id()) {}

  void Ref() { ++refs_; }
  void Unref() {
    LAPLACE_CHECK(refs_ > 0) << "reference count underflow";
    if (--refs_ == 0) delete this;
  }
  int refs() const { return refs_; }

  bool resolved() const { return resolved_; }
  const std::exception_ptr& exception() const { return exception_; }
  void MarkExceptionObserved() { exception_observed_ = true; }
  bool exception_observed() const { return exception_observed_; }

  WaitList& waiters() { return waiters_; }
  // The id a waiting task reports (the task id for joins).
  uint64_t wait_object() const { return wait_object_; }

  // Registers the running task as a waiter and blocks it.
  void Await(Waiter& waiter, std::coroutine_handle<> resume_point) {
    LinkAndBlock(waiters_, waiter, *this, resume_point, kind(), wait_object_);
  }

 protected:
  ~SharedStateBase() override = default;

  // Checks single assignment (throwing PromiseAlreadySet), then records where.
  void BeginResolve(SourceLocation where) {
    if (resolved_) [[unlikely]] {
      ThrowResolvedTwice(*this, set_at_, where);
    }
    set_at_ = where;
  }
  // Marks resolved, traces, and wakes every waiter in FIFO order.
  void EndResolve(uint64_t how) {
    resolved_ = true;
    if (!has_loop()) return;  // the Loop is gone, and with it every waiter
    Loop& loop = this->loop();
    // A task's end is traced as its finish event instead.
    if (kind() != WaitKind::kJoin) LoopAccess::RecordResolve(loop, wait_object_, how);
    WakeAll(waiters_, *this);
  }

  uint64_t wait_object_;
  std::exception_ptr exception_;

 private:
  int refs_ = 0;
  bool resolved_ = false;
  bool exception_observed_ = false;
  SourceLocation set_at_;
  WaitList waiters_;
};

// The typed part: the Result<T> itself.
template <typename T>
class SharedState : public SharedStateBase {
 public:
  using SharedStateBase::SharedStateBase;

  // How a state was resolved, for the trace.
  static constexpr uint64_t kValue = 0, kError = 1, kBroken = 2;

  void Set(Result<T> result, SourceLocation where) {
    BeginResolve(where);
    bool ok = result.ok();
    result_.emplace(std::move(result));
    EndResolve(ok ? kValue : kError);
  }
  void SetException(std::exception_ptr exception, SourceLocation where) {
    LAPLACE_CHECK(exception != nullptr) << "SetException needs an exception";
    BeginResolve(where);
    exception_ = std::move(exception);
    EndResolve(kError);
  }
  void Break(const absl::Status& reason, SourceLocation where) {
    BeginResolve(where);
    result_.emplace(reason);
    EndResolve(kBroken);
  }

  // The result; rethrows a stored exception. Requires resolved().
  const Result<T>& result() {
    LAPLACE_CHECK(resolved()) << Describe() << " is not resolved yet";
    if (exception_ != nullptr) {
      MarkExceptionObserved();
      std::rethrow_exception(exception_);
    }
    return *result_;
  }
  Result<T> TakeResult() {
    LAPLACE_CHECK(resolved()) << Describe() << " is not resolved yet";
    if (exception_ != nullptr) {
      MarkExceptionObserved();
      std::rethrow_exception(exception_);
    }
    return std::move(*result_);
  }

 private:
  std::optional<Result<T>> result_;
};

// An owning reference to a shared state (single-threaded, so no atomics).
template <typename State>
class StateRef {
 public:
  StateRef() = default;
  explicit StateRef(State* state) : state_(state) {
    if (state_ != nullptr) state_->Ref();
  }
  StateRef(const StateRef& other) : StateRef(other.state_) {}
  StateRef(StateRef&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  StateRef& operator=(StateRef other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~StateRef() {
    if (state_ != nullptr) state_->Unref();
  }

  State* get() const { return state_; }
  State& operator*() const {
    LAPLACE_CHECK(state_ != nullptr) << "use of an empty Future, Promise or TaskHandle";
    return *state_;
  }
  State* operator->() const { return &**this; }
  explicit operator bool() const { return state_ != nullptr; }

 private:
  State* state_ = nullptr;
};

// Awaits a SharedState<T>: resumes the awaiting task once it resolves, with
// a copy of the result (or the result itself when awaited as an rvalue).
template <typename T, bool kMove>
class ResultAwaiter {
 public:
  explicit ResultAwaiter(SharedState<T>& state) : state_(&state) {}
  ResultAwaiter(const ResultAwaiter&) = delete;
  ResultAwaiter& operator=(const ResultAwaiter&) = delete;

  bool await_ready() const { return state_->resolved(); }
  void await_suspend(std::coroutine_handle<> resume_point) { state_->Await(waiter_, resume_point); }
  Result<T> await_resume() {
    if constexpr (kMove) {
      return state_->TakeResult();
    } else {
      return state_->result();
    }
  }

 private:
  // Declared before waiter_, so the waiter unlinks before the state can go.
  StateRef<SharedState<T>> state_;
  Waiter waiter_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_SHARED_STATE_H_
