// Child tasks owned by a combinator (Gather, WhenAny, WaitFor): when the
// combinator's frame goes away (it finished, or the awaiting task was
// cancelled), every child still running is cancelled. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_CHILD_SCOPE_H_
#define LAPLACE_LOOP_INTERNAL_CHILD_SCOPE_H_

#include <string>
#include <vector>

#include "base/strings.h"
#include "loop/internal/loop_access.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace::internal {

class ChildScope {
 public:
  // `kind` names the children in traces: "<parent label>/<kind>[<index>]".
  ChildScope(Loop& loop, std::string_view kind) : loop_(&loop), kind_(kind) {
    std::string_view parent = loop.label(loop.current_task());
    prefix_ = parent.empty() ? Cat("#", loop.current_task(), "/") : Cat(parent, "/");
  }
  ChildScope(const ChildScope&) = delete;
  ChildScope& operator=(const ChildScope&) = delete;
  ~ChildScope() { CancelAll(); }

  template <typename T>
  TaskHandle<T> Spawn(Task<T> task) {
    TaskHandle<T> handle = loop_->Spawn(
        std::move(task), SpawnOptions{.label = Cat(prefix_, kind_, "[", children_.size(), "]")});
    children_.push_back(handle.id());
    return handle;
  }

  // Cancels every child that is still running, newest first.
  void CancelAll() {
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) loop_->Cancel(*it);
    children_.clear();
  }

 private:
  Loop* loop_;
  std::string_view kind_;
  std::string prefix_;
  std::vector<TaskId> children_;
};

// Awaits the first of several shared states to resolve. Resumes with the
// lowest index among those resolved by the time the awaiting task runs.
class AnyOfAwaiter {
 public:
  explicit AnyOfAwaiter(std::vector<SharedStateBase*> states)
      : states_(std::move(states)), waiters_(states_.size()) {
    LAPLACE_CHECK(!states_.empty()) << "waiting for any of nothing";
  }
  AnyOfAwaiter(const AnyOfAwaiter&) = delete;
  AnyOfAwaiter& operator=(const AnyOfAwaiter&) = delete;

  bool await_ready() const { return FirstResolved() < states_.size(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    Loop& loop = states_.front()->loop();
    TaskRecord& task = LoopAccess::CurrentRecord(loop);
    for (size_t i = 0; i < states_.size(); ++i) {
      waiters_[i].task = &task;
      states_[i]->waiters().PushBack(&waiters_[i]);
    }
    LoopAccess::BlockCurrent(loop, resume_point, states_.front()->kind(), states_.front(),
                             states_.front()->wait_object());
  }
  size_t await_resume() const {
    size_t index = FirstResolved();
    LAPLACE_CHECK(index < states_.size()) << "woken with nothing resolved";
    return index;
  }

 private:
  size_t FirstResolved() const {
    for (size_t i = 0; i < states_.size(); ++i) {
      if (states_[i]->resolved()) return i;
    }
    return states_.size();
  }

  std::vector<SharedStateBase*> states_;
  std::vector<Waiter> waiters_;  // never resized after construction
};

// Awaits one shared state until a virtual deadline. Resumes with whether the
// state resolved (it may have resolved at the same instant the timer fired).
class DeadlineAwaiter final : public TimerNode {
 public:
  DeadlineAwaiter(SharedStateBase& state, Time deadline) : state_(&state) {
    this->deadline = deadline;
  }
  DeadlineAwaiter(const DeadlineAwaiter&) = delete;
  DeadlineAwaiter& operator=(const DeadlineAwaiter&) = delete;
  ~DeadlineAwaiter() override {
    if (queued() || firing) LoopAccess::RemoveTimer(state_->loop(), *this);
  }

  bool await_ready() const { return state_->resolved() || deadline <= state_->loop().Now(); }
  void await_suspend(std::coroutine_handle<> resume_point) {
    task_ = &LoopAccess::CurrentRecord(state_->loop());
    sleeper = task_->id;
    state_->Await(waiter_, resume_point);
    LoopAccess::AddTimer(state_->loop(), *this, deadline);
  }
  bool await_resume() const { return state_->resolved(); }

  void Fire(Loop& loop) override { LoopAccess::Wake(loop, *task_); }

 private:
  SharedStateBase* state_;
  TaskRecord* task_ = nullptr;
  Waiter waiter_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_CHILD_SCOPE_H_
