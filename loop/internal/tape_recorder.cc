// TapeRecorder's chunks and their per-thread pool.
#include "loop/internal/tape_recorder.h"

#include <utility>

namespace laplace::internal {
namespace {

using Chunks = std::vector<std::unique_ptr<uint64_t[]>>;

// Chunks left by finished runs, for the next run on this thread. Which chunk
// a run gets never affects what it records. Null once the thread's pool has
// been destroyed (a Loop in a static destroyed after it frees its own).
thread_local bool pool_destroyed = false;
Chunks* Pool() {
  struct Holder {
    Chunks chunks;
    ~Holder() { pool_destroyed = true; }
  };
  if (pool_destroyed) return nullptr;
  thread_local Holder holder;
  return &holder.chunks;
}

}  // namespace

TapeRecorder::~TapeRecorder() {
  Chunks* pool = Pool();
  if (pool == nullptr) return;
  for (std::unique_ptr<uint64_t[]>& chunk : chunks_) {
    if (pool->size() >= kPoolChunksMax) break;
    pool->push_back(std::move(chunk));
  }
}

void TapeRecorder::NewChunk() {
  if (!chunks_.empty()) used_.push_back(static_cast<size_t>(next_ - chunks_.back().get()));
  Chunks* pool = Pool();
  if (pool == nullptr || pool->empty()) {
    // Uninitialised on purpose: pages are mapped as words are written.
    chunks_.push_back(std::unique_ptr<uint64_t[]>(new uint64_t[kChunkWords]));
  } else {
    chunks_.push_back(std::move(pool->back()));
    pool->pop_back();
  }
  next_ = chunks_.back().get();
  end_ = next_ + kChunkWords;
}

}  // namespace laplace::internal
