#include "loop/internal/frame_ledger.h"

#include <new>

#include "loop/internal/block_pool.h"
#include "loop/internal/loop_access.h"

namespace laplace::internal {
namespace {

// Per thread: each thread runs its own Loops, and the counts are plain integers (no atomics on the
// allocation path). The scope in charge is the newest alive.
thread_local uint64_t live_frame_bytes = 0;
thread_local FrameBudgetScope* current_scope = nullptr;  // the newest

}  // namespace

uint64_t LiveFrameBytes() { return live_frame_bytes; }

FrameBudgetScope::FrameBudgetScope(Loop* loop, uint64_t budget_bytes) : loop_(loop) {
  LAPLACE_CHECK(loop != nullptr) << "a frame budget is charged to a Loop";
  Begin(budget_bytes);
}

FrameBudgetScope::~FrameBudgetScope() { Unlink(); }

void FrameBudgetScope::Restart(uint64_t budget_bytes) {
  Unlink();
  Begin(budget_bytes);
}

void FrameBudgetScope::Begin(uint64_t budget_bytes) {
  baseline_bytes_ = live_frame_bytes;
  limit_bytes_ = budget_bytes > UINT64_MAX - live_frame_bytes ? UINT64_MAX
                                                              : live_frame_bytes + budget_bytes;
  older_ = current_scope;
  newer_ = nullptr;
  if (older_ != nullptr) older_->newer_ = this;
  current_scope = this;
}

void FrameBudgetScope::Unlink() {
  if (older_ != nullptr) older_->newer_ = newer_;
  if (newer_ != nullptr) {
    newer_->older_ = older_;
  } else {
    LAPLACE_CHECK(current_scope == this) << "the newest frame budget scope is the current one";
    current_scope = older_;
  }
}

uint64_t FrameBudgetScope::bytes() const {
  return live_frame_bytes > baseline_bytes_ ? live_frame_bytes - baseline_bytes_ : 0;
}

void* AllocateFrame(size_t size) {
  FrameBudgetScope* scope = current_scope;
  if (scope != nullptr && live_frame_bytes + size > scope->limit_bytes_) [[unlikely]] {
    LoopAccess::ExceedFrameBudget(*scope->loop_, scope->bytes(), size);  // throws
  }
  void* frame = AllocateBlock(size);
  live_frame_bytes += size;
  return frame;
}

void FreeFrame(void* frame, size_t size) noexcept {
  live_frame_bytes -= size;
  FreeBlock(frame, size);
}

}  // namespace laplace::internal
