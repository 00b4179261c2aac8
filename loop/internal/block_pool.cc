#include "loop/internal/block_pool.h"

#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define LAPLACE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LAPLACE_ASAN 1
#endif
#endif

#ifdef LAPLACE_ASAN
#include <sanitizer/asan_interface.h>
#define LAPLACE_POISON(block, size) ASAN_POISON_MEMORY_REGION(block, size)
#define LAPLACE_UNPOISON(block, size) ASAN_UNPOISON_MEMORY_REGION(block, size)
#else
#define LAPLACE_POISON(block, size) ((void)(block), (void)(size))
#define LAPLACE_UNPOISON(block, size) ((void)(block), (void)(size))
#endif

namespace laplace::internal {
namespace {

constexpr size_t kClassBytes = 16;
constexpr size_t kClasses = kBlockBytesMax / kClassBytes;

struct FreeBlockLink {
  FreeBlockLink* next;
};

// One thread's lists. Destroyed at thread exit, after which blocks go straight to the heap (a
// Loop in a thread_local or static destroyed later frees its own).
struct Pool {
  FreeBlockLink* heads[kClasses] = {};
  size_t pooled_bytes = 0;
  ~Pool();
};

thread_local bool pool_destroyed = false;

Pool* ThreadPool() {
  if (pool_destroyed) [[unlikely]] {
    return nullptr;
  }
  thread_local Pool pool;
  return &pool;
}

// The class of a block of `size` bytes: blocks of class c hold (c + 1) * 16 bytes.
size_t ClassOf(size_t size) { return (size - 1) / kClassBytes; }

Pool::~Pool() {
  for (size_t c = 0; c < kClasses; ++c) {
    while (FreeBlockLink* block = heads[c]) {
      LAPLACE_UNPOISON(block, (c + 1) * kClassBytes);
      heads[c] = block->next;
      ::operator delete(block);
    }
  }
  pool_destroyed = true;
}

}  // namespace

void* AllocateBlock(size_t size) {
  if (size == 0 || size > kBlockBytesMax) return ::operator new(size);
  const size_t c = ClassOf(size);
  Pool* pool = ThreadPool();
  if (pool == nullptr || pool->heads[c] == nullptr) return ::operator new((c + 1) * kClassBytes);
  FreeBlockLink* block = pool->heads[c];
  LAPLACE_UNPOISON(block, (c + 1) * kClassBytes);
  pool->heads[c] = block->next;
  pool->pooled_bytes -= (c + 1) * kClassBytes;
  return block;
}

void FreeBlock(void* block, size_t size) noexcept {
  if (block == nullptr) return;
  Pool* pool = size == 0 || size > kBlockBytesMax ? nullptr : ThreadPool();
  const size_t bytes = (ClassOf(size) + 1) * kClassBytes;
  if (pool == nullptr || pool->pooled_bytes + bytes > kPoolBytesMax) {
    ::operator delete(block);  // unsized: clang 14 has no sized deallocation by default
    return;
  }
  const size_t c = ClassOf(size);
  auto* link = static_cast<FreeBlockLink*>(block);
  link->next = pool->heads[c];
  pool->heads[c] = link;
  pool->pooled_bytes += bytes;
  LAPLACE_POISON(block, bytes);
}

}  // namespace laplace::internal
