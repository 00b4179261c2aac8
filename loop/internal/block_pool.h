// Per-thread free lists of small blocks, so that a run's coroutine frames and join states reuse
// the memory the runs before it freed instead of calling malloc per spawn (issue 9 item 5).
// Private to loop/.
//
// Blocks are kept by size class (16-byte steps up to kBlockBytesMax); a freed block goes on its
// class's list, up to kPoolBytesMax bytes per thread in all, and larger blocks go straight to
// the heap. Which block an allocation gets never affects what a run does: nothing in Laplace
// reads addresses. Under AddressSanitizer a pooled block is poisoned, so a use after free is
// still reported.
//
//   void* frame = internal::AllocateBlock(200);  // a block of 208 bytes, from the pool if any
//   internal::FreeBlock(frame, 200);             // back to the pool (same size as allocated)
#ifndef LAPLACE_LOOP_INTERNAL_BLOCK_POOL_H_
#define LAPLACE_LOOP_INTERNAL_BLOCK_POOL_H_

#include <cstddef>

namespace laplace::internal {

inline constexpr size_t kBlockBytesMax = 1024;
inline constexpr size_t kPoolBytesMax = size_t{4} << 20;

// A block of at least `size` bytes, aligned for any object (as ::operator new).
void* AllocateBlock(size_t size);
// Returns a block from AllocateBlock(size), with the same `size`.
void FreeBlock(void* block, size_t size) noexcept;

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_BLOCK_POOL_H_
