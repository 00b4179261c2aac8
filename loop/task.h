// Task<T>: the coroutine type of code that runs on a Laplace Loop, and
// TaskHandle<T>: what Loop::Spawn gives back.
//
// A Task is lazy (its body starts only when awaited or spawned), move-only
// and [[nodiscard]]. Awaiting a Task runs it inside the awaiting task, like a
// function call: not a scheduling point, and its return value or exception
// comes back to the awaiter. Spawning it makes a new concurrent task whose
// TaskHandle can be awaited (giving a Result<T>: the value, or kCancelled),
// cancelled, or dropped.
//
//   laplace::Task<int> Add(laplace::Loop& loop, int a, int b) {
//     co_await loop.Yield();
//     co_return a + b;
//   }
//   laplace::Task<> Main(laplace::Loop& loop) {
//     int three = co_await Add(loop, 1, 2);                     // inline call
//     laplace::TaskHandle<int> four = loop.Spawn(Add(loop, 2, 2), "adder");
//     absl::StatusOr<int> result = co_await four;               // join
//   }
//
// Stack depth: control passes between a task and the tasks it awaits through
// the Loop's run loop (a trampoline) rather than by nested resumes, so a task
// may await millions of tasks that complete at once without the stack
// growing, in every build mode.
#ifndef LAPLACE_LOOP_TASK_H_
#define LAPLACE_LOOP_TASK_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "base/check.h"
#include "loop/future.h"
#include "loop/internal/block_pool.h"
#include "loop/internal/loop_access.h"
#include "loop/internal/shared_state.h"
#include "loop/loop.h"
#include "loop/result.h"

namespace laplace {

template <typename T = void>
class [[nodiscard]] Task;

namespace internal {

struct TaskPromiseBase {
  // Set when the task is spawned, or when it is awaited by another task.
  Loop* loop = nullptr;
  // The awaiting coroutine; null for a spawned (root) task.
  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
  // This coroutine, and, while another task awaits it: the awaiter's promise,
  // the Task object (in the awaiter's frame) that owns this frame, and how to
  // make that Task let go. With these the Loop destroys a cancelled chain of
  // frames innermost first, in a loop, so depth never grows the stack.
  std::coroutine_handle<> self;
  TaskPromiseBase* parent = nullptr;
  void* owner = nullptr;
  void (*release_owner)(void* owner) = nullptr;

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> self) const noexcept {
      TaskPromiseBase& promise = self.promise();
      // Back to the awaiter through the trampoline; a root task just stops
      // here and the Loop notices it is done.
      if (promise.continuation) {
        LoopAccess::CurrentRecord(*promise.loop).innermost = promise.parent;
        LoopAccess::SetNext(*promise.loop, promise.continuation);
      }
    }
    void await_resume() const noexcept {}
  };

  // Frames are counted against the newest Loop's LoopOptions::frame_bytes_max (frame_ledger.h);
  // past it the call of the coroutine throws BudgetExceeded.
  static void* operator new(std::size_t size) { return AllocateFrame(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { FreeFrame(frame, size); }

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <typename T>
struct TaskPromise final : TaskPromiseBase {
  Task<T> get_return_object() noexcept;
  template <typename U>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }
  T TakeValue() {
    if (exception) std::rethrow_exception(exception);
    LAPLACE_CHECK(value_.has_value()) << "Task finished without a value";
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
struct TaskPromise<void> final : TaskPromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void TakeValue() {
    if (exception) std::rethrow_exception(exception);
  }
};

// Awaiting a Task from a Task: start the child through the trampoline,
// resume the parent when it finishes.
template <typename T>
class TaskAwaiter {
 public:
  TaskAwaiter(std::coroutine_handle<TaskPromise<T>> child, Task<T>* owner)
      : child_(child), owner_(owner) {}

  bool await_ready() const noexcept { return false; }
  template <typename ParentPromise>
  void await_suspend(std::coroutine_handle<ParentPromise> parent) const noexcept {
    static_assert(std::is_base_of_v<TaskPromiseBase, ParentPromise>,
                  "a laplace::Task can only be awaited from another laplace::Task");
    TaskPromiseBase& parent_promise = parent.promise();
    TaskPromise<T>& child = child_.promise();
    child.continuation = parent;
    child.loop = parent_promise.loop;
    child.parent = &parent_promise;
    child.owner = owner_;
    child.release_owner = [](void* owner) { (void)static_cast<Task<T>*>(owner)->Release(); };
    LoopAccess::CurrentRecord(*parent_promise.loop).innermost = &child;
    LoopAccess::SetNext(*parent_promise.loop, child_);
  }
  T await_resume() const { return child_.promise().TakeValue(); }

 private:
  std::coroutine_handle<TaskPromise<T>> child_;
  Task<T>* owner_;
};

// The shared state of a spawned task, which its TaskHandles read.
template <typename T>
class JoinState final : public SharedState<T>, public JoinTarget {
 public:
  explicit JoinState(Loop& loop) : SharedState<T>(loop, WaitKind::kJoin, {}) {}
  // From the per-thread block pool (internal/block_pool.h): a spawn in steady state allocates
  // nothing. A state may outlive its Loop (a TaskHandle kept after the run); the pool is the
  // thread's, not the Loop's, so that is fine.
  static void* operator new(std::size_t size) { return AllocateBlock(size); }
  static void operator delete(void* state, std::size_t size) noexcept { FreeBlock(state, size); }

  void Bind(TaskId task) override {
    task_ = task;
    this->wait_object_ = task;
  }
  TaskId task() const { return task_; }

  Completion Complete(std::coroutine_handle<> root) override {
    auto& promise = std::coroutine_handle<TaskPromise<T>>::from_address(root.address()).promise();
    if (promise.exception) {
      this->SetException(promise.exception, SourceLocation::current());
      // Only the task's own reference is left: nobody can ever rethrow it.
      return Completion{promise.exception, this->refs() == 1};
    }
    if constexpr (std::is_void_v<T>) {
      this->Set(absl::OkStatus(), SourceLocation::current());
    } else {
      this->Set(Result<T>(promise.TakeValue()), SourceLocation::current());
    }
    return Completion{};
  }
  void Abandon(const absl::Status& reason) override {
    if (!this->resolved()) this->Set(Result<T>(reason), SourceLocation::current());
  }
  void ReleaseFromTask() override { this->Unref(); }

  std::string Describe() const override;

 private:
  TaskId task_ = 0;
};

}  // namespace internal

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = internal::TaskPromise<T>;

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  // A Task that was never started is destroyed without running.
  ~Task() { Destroy(); }

  bool valid() const { return static_cast<bool>(handle_); }

  // Runs the task inside the awaiting task and gives back its value, or
  // rethrows what it threw. A Task can be awaited once.
  internal::TaskAwaiter<T> operator co_await() && {
    LAPLACE_CHECK(handle_) << "awaiting an empty or moved-from Task";
    return internal::TaskAwaiter<T>(handle_, this);
  }
  internal::TaskAwaiter<T> operator co_await() & { return std::move(*this).operator co_await(); }

  // Gives up ownership of the coroutine frame (Loop::Spawn takes it).
  std::coroutine_handle<promise_type> Release() { return std::exchange(handle_, {}); }

 private:
  friend struct internal::TaskPromise<T>;
  explicit Task(std::coroutine_handle<promise_type> handle) : handle_(handle) {}
  void Destroy() {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  std::coroutine_handle<promise_type> handle_;
};

// A spawned task: await it, cancel it, or read its result after the run.
// Cheap to copy. Dropping every handle does not stop the task.
template <typename T = void>
class TaskHandle {
 public:
  TaskHandle() = default;

  bool valid() const { return static_cast<bool>(state_); }
  TaskId id() const { return state_->task(); }
  // True once the task finished, threw or was cancelled.
  bool done() const { return state_->resolved(); }
  // The task's result: its value, or kCancelled (or the reason it was
  // cancelled with). Requires done(); rethrows what the task threw.
  const Result<T>& result() const { return state_->result(); }
  // Cancels the task (see Loop::Cancel). Returns false if it already ended.
  bool Cancel(absl::Status reason = absl::CancelledError("task cancelled")) const {
    return !done() && state_->loop().Cancel(id(), std::move(reason));
  }
  // A Future for the task's result.
  Future<T> future() const { return Future<T>(state_.get()); }

  // Suspends until the task ends; the Loop resumes the awaiter at a
  // scheduling point after that. Cancelling the awaiter does not cancel the
  // awaited task.
  auto operator co_await() const& { return internal::ResultAwaiter<T, false>(*state_); }
  auto operator co_await() && { return internal::ResultAwaiter<T, true>(*state_); }

  const internal::SharedStateBase& internal_state() const { return *state_; }
  internal::SharedState<T>& internal_shared() const { return *state_; }

 private:
  friend class Loop;
  explicit TaskHandle(internal::JoinState<T>* state) : state_(state) {}

  internal::StateRef<internal::JoinState<T>> state_;
};

// Implementation details follow.

namespace internal {

template <typename T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  auto handle = std::coroutine_handle<TaskPromise<T>>::from_promise(*this);
  self = handle;
  return Task<T>(handle);
}

inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  auto handle = std::coroutine_handle<TaskPromise<void>>::from_promise(*this);
  self = handle;
  return Task<void>(handle);
}

template <typename T>
std::string JoinState<T>::Describe() const {
  std::string text = "task #" + std::to_string(task_);
  if (this->has_loop() && !this->loop().label(task_).empty()) {
    text += " '" + std::string(this->loop().label(task_)) + "'";
  }
  return text;
}

}  // namespace internal

template <typename T>
TaskHandle<T> Loop::Spawn(Task<T> task, SpawnOptions options) {
  CheckTaskBudget();  // throws past tasks_max; `task` then frees its frame
  std::coroutine_handle<internal::TaskPromise<T>> root = task.Release();
  LAPLACE_CHECK(root) << "Spawn of an empty or moved-from Task";
  root.promise().loop = this;
  auto* join = new internal::JoinState<T>(*this);
  TaskHandle<T> handle(join);
  join->Ref();  // the task record's reference
  NewTask(root, join, options);
  return handle;
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_TASK_H_
