// Future<T> and Promise<T>: a single-assignment result many tasks may await.
//
// A Promise is the write side, bound to a Loop; each Future is a read side.
// Awaiting a Future suspends the task until the promise is set, then gives
// back a Result<T> (see result.h): the value, or the error it was set with.
// A Promise destroyed before it is set breaks its futures: they resolve with
// kAborted "broken promise", so a crashed producer never leaves a consumer
// hanging. Setting a promise twice throws PromiseAlreadySet naming both
// places: in a simulation that is usually a race worth a report, so it is an
// exception the harness catches, shrinks and replays, not an abort.
//
//   laplace::Promise<int> promise(loop, "reply");
//   laplace::Future<int> reply = promise.future();
//   loop.Spawn([](laplace::Future<int> reply) -> laplace::Task<> {
//     absl::StatusOr<int> value = co_await reply;  // waits for SetValue
//   }(reply));
//   promise.SetValue(42);  // wakes every awaiting task, in the order they came
#ifndef LAPLACE_LOOP_FUTURE_H_
#define LAPLACE_LOOP_FUTURE_H_

#include <exception>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "loop/internal/shared_state.h"
#include "loop/loop.h"
#include "loop/result.h"
#include "loop/source_location.h"

namespace laplace {

// Thrown by setting a Promise that is already set; what() names both places it was set. Often
// a race in the code under test (two tasks that both saw the promise unset, then both set it),
// so it is an exception a property run reports and shrinks, not an abort.
class PromiseAlreadySet : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

template <typename T>
class Promise;

// The read side. Cheap to copy; all copies see the same result.
//
// Awaiting it: who resumes the task? The Loop, at a scheduling point after
// the promise is set (never inside Set). A ready future does not suspend.
// Cancelling the awaiting task unregisters it; the promise is unaffected.
template <typename T = void>
class Future {
 public:
  // An empty future; only assignment and valid() may be used.
  Future() = default;

  bool valid() const { return static_cast<bool>(state_); }
  // True once the promise was set, failed or broken.
  bool done() const { return state_->resolved(); }
  // The result. Requires done(); rethrows if the producer threw.
  const Result<T>& result() const { return state_->result(); }

  auto operator co_await() const& { return internal::ResultAwaiter<T, false>(*state_); }
  // Awaiting an rvalue Future moves the result out (for move-only T); other
  // copies of the Future must not read it afterwards.
  auto operator co_await() && { return internal::ResultAwaiter<T, true>(*state_); }

  // For Loop::RunUntilComplete, WaitFor and friends.
  const internal::SharedStateBase& internal_state() const { return *state_; }
  internal::SharedState<T>& internal_shared() const { return *state_; }

 private:
  friend class Promise<T>;
  template <typename U>
  friend class TaskHandle;
  explicit Future(internal::SharedState<T>* state) : state_(state) {}

  internal::StateRef<internal::SharedState<T>> state_;
};

// The write side. Move-only; set exactly once.
template <typename T = void>
class Promise {
 public:
  explicit Promise(Loop& loop, std::string_view label = {})
      : state_(new internal::SharedState<T>(loop, WaitKind::kFuture, label)) {}
  Promise(Promise&&) noexcept = default;
  Promise& operator=(Promise&& other) noexcept {
    BreakIfUnset();
    state_ = std::move(other.state_);
    return *this;
  }
  ~Promise() { BreakIfUnset(); }

  // A future for this promise; call as often as needed.
  Future<T> future() const { return Future<T>(state_.get()); }
  bool done() const { return state_->resolved(); }

  // Resolves with a value. For T = absl::Status or absl::StatusOr<U>, the
  // value may itself be an error.
  template <typename U = T>
  requires(!std::is_void_v<T>) void SetValue(U&& value,
                                             SourceLocation where = SourceLocation::current()) {
    state_->Set(Result<T>(std::forward<U>(value)), where);
  }
  void SetValue(SourceLocation where = SourceLocation::current()) requires std::is_void_v<T> {
    state_->Set(absl::OkStatus(), where);
  }
  // Resolves with an error. Requires !status.ok().
  void SetError(absl::Status status, SourceLocation where = SourceLocation::current()) {
    LAPLACE_CHECK(!status.ok()) << "SetError needs an error status";
    state_->Set(Result<T>(std::move(status)), where);
  }
  // Resolves so that awaiting tasks rethrow `exception`.
  void SetException(std::exception_ptr exception,
                    SourceLocation where = SourceLocation::current()) {
    state_->SetException(std::move(exception), where);
  }

 private:
  void BreakIfUnset() {
    if (state_ && !state_->resolved()) {
      state_->Break(absl::AbortedError("broken promise: " + state_->Describe() +
                                       " was destroyed without being set"),
                    SourceLocation::current());
    }
  }

  internal::StateRef<internal::SharedState<T>> state_;
};

}  // namespace laplace

#endif  // LAPLACE_LOOP_FUTURE_H_
