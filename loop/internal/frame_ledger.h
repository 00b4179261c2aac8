// The frame ledger: live coroutine frame bytes, counted through the promise's operator new.
//
// Every Task's frame is allocated by TaskPromiseBase::operator new, which adds its size to the
// calling thread's count and refuses (BudgetExceeded) once the Loop that is in charge would
// hold more than its LoopOptions::frame_bytes_max. The sizes are the compiler's, so the count is
// deterministic for one build (a frame's size may differ between compilers or -O levels).
//
//   FrameBudgetScope scope(&loop, 64 << 20);  // the Loop's constructor does this
//   void* frame = AllocateFrame(512);         // counted; throws past the budget
//   FreeFrame(frame, 512);
#ifndef LAPLACE_LOOP_INTERNAL_FRAME_LEDGER_H_
#define LAPLACE_LOOP_INTERNAL_FRAME_LEDGER_H_

#include <cstddef>
#include <cstdint>

namespace laplace {
class Loop;
}

namespace laplace::internal {

// Frame bytes allocated on this thread and not yet freed (every Loop's, and frames made outside
// any Loop).
uint64_t LiveFrameBytes();

// While alive, frames allocated on this thread are charged to `loop`: one that would take the
// bytes allocated since the scope began past `budget_bytes` makes the Loop fail its run with a
// frame budget outcome and throws BudgetExceeded. With several alive, the newest is in charge;
// they may end in any order.
class FrameBudgetScope {
 public:
  FrameBudgetScope(Loop* loop, uint64_t budget_bytes);
  FrameBudgetScope(const FrameBudgetScope&) = delete;
  FrameBudgetScope& operator=(const FrameBudgetScope&) = delete;
  ~FrameBudgetScope();

  // Frame bytes live now beyond those live when the scope began.
  uint64_t bytes() const;

  // Begins again as if made now (Loop::Reset): the newest scope, counting from the bytes live
  // now, against `budget_bytes`.
  void Restart(uint64_t budget_bytes);

 private:
  friend void* AllocateFrame(size_t size);
  void Begin(uint64_t budget_bytes);  // counts from now; links in as the newest
  void Unlink();
  Loop* loop_;
  uint64_t baseline_bytes_ = 0;
  uint64_t limit_bytes_ = 0;           // baseline + budget, saturated
  FrameBudgetScope* older_ = nullptr;  // the scopes alive, a list from the newest
  FrameBudgetScope* newer_ = nullptr;
};

// operator new / delete of every Task's promise.
void* AllocateFrame(size_t size);
void FreeFrame(void* frame, size_t size) noexcept;

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_FRAME_LEDGER_H_
