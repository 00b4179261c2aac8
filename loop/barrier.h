// Barrier: an asyncio-style barrier for a fixed number of tasks.
//
// Each of `parties` tasks calls Wait(); every task suspends until the last
// one arrives, then all of them go on together. Wait() gives each task its
// arrival index in [0, parties): the last to arrive gets parties - 1 and does
// not suspend (the barrier's "action" can run there). The barrier is cyclic,
// like asyncio.Barrier: once released it starts the next round at once, so
// the same tasks may wait on it again; a task that arrives for the next round
// waits for that round's parties, never slipping through with the last one.
//
// Who resumes whom: the last arrival wakes every waiter of its round, in
// arrival order; the Loop resumes them at later scheduling points. A waiting
// task that is cancelled leaves its round, which then waits for one more.
//
//   laplace::Barrier phase(loop, /*parties=*/3, "phase");
//   laplace::Task<> Worker(laplace::Barrier& phase) {
//     ... step one ...
//     size_t index = co_await phase.Wait();  // everyone has finished step one
//     ... step two ...
//   }
#ifndef LAPLACE_LOOP_BARRIER_H_
#define LAPLACE_LOOP_BARRIER_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/loop.h"

namespace laplace {

class Barrier final : public internal::LoopObject {
 public:
  class WaitAwaiter;

  // Requires parties >= 1.
  Barrier(Loop& loop, size_t parties, std::string_view label = {});
  // Tasks still waiting stay blocked; a deadlock report names this barrier as destroyed.
  ~Barrier() override = default;

  // Suspends until `parties` tasks wait in this round (the last arrival does not suspend);
  // gives the arrival index.
  [[nodiscard]] WaitAwaiter Wait();

  size_t parties() const { return parties_; }
  // Tasks waiting in the current round.
  size_t waiting() const { return waiting_; }
  // Rounds completed so far.
  uint64_t rounds() const { return rounds_; }

  // "barrier #3 'phase' (2 of 3 waiting, round 4)".
  std::string Describe() const override;

 private:
  // The last arrival: wakes the round's waiters and starts the next round.
  void ReleaseRound();

  size_t parties_;
  size_t waiting_ = 0;
  uint64_t rounds_ = 0;
  internal::WaitList waiters_;  // the current round's, in arrival order
};

class Barrier::WaitAwaiter {
 public:
  explicit WaitAwaiter(Barrier& barrier) : barrier_(&barrier) {}
  // Movable until awaited (so WaitFor can take it).
  WaitAwaiter(WaitAwaiter&& other) noexcept : barrier_(other.barrier_) {
    LAPLACE_CHECK(!other.waiter_.linked()) << "moving a waiting awaiter";
  }
  WaitAwaiter& operator=(WaitAwaiter&&) = delete;
  ~WaitAwaiter() {
    if (waiter_.linked()) --barrier_->waiting_;  // cancelled while waiting: ~Waiter unlinks
  }

  bool await_ready() {
    index_ = barrier_->waiting_;
    if (index_ + 1 < barrier_->parties_) return false;
    barrier_->ReleaseRound();
    return true;
  }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(barrier_->waiters_, waiter_, *barrier_, resume_point);
    ++barrier_->waiting_;
  }
  size_t await_resume() const noexcept { return index_; }

 private:
  Barrier* barrier_;
  size_t index_ = 0;
  internal::Waiter waiter_;
};

// Implementation details follow.

inline Barrier::WaitAwaiter Barrier::Wait() { return WaitAwaiter(*this); }

}  // namespace laplace

#endif  // LAPLACE_LOOP_BARRIER_H_
