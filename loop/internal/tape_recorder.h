// Where a choice source writes its tape while a run is going: 8 bytes per
// choice in reused chunks. Private to loop/: read tapes through
// ChoiceSource::tape().
//
// A random walk draws a choice at almost every task switch, so recording is
// on the hottest path there is. A std::vector<Choice> costs 24 bytes per
// choice, copies itself as it doubles, and touches fresh memory all the way
// (first-touch page faults dominated the loop's cost on this project's VM,
// docs/benchmarks.md). Here, instead:
//   - a choice whose bound is below 2^30 (every scheduling, timer and fault
//     choice in practice) packs into one 64-bit word:
//       bit 0 = 0 | kind << 1 (3 bits) | bound << 4 (30 bits) | value << 34;
//     any other takes three words: 1 | kind << 1, then bound, then value;
//   - a choice on another stream than the one before it is preceded by two
//     words: 1 | 1 << 4 (a stream switch), then the stream's id; a run
//     starts on kUnnamedStream (0);
//   - words go into fixed-size chunks that are never copied, and a chunk a
//     finished run leaves behind goes to a per-thread pool for the next run
//     (a seed sweep or a shrink runs thousands), so steady-state recording
//     writes into memory that is already mapped.
// The representation never reaches a digest, a file or a test: tape()
// unpacks it into the same Tape as before.
#ifndef LAPLACE_LOOP_INTERNAL_TAPE_RECORDER_H_
#define LAPLACE_LOOP_INTERNAL_TAPE_RECORDER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/check.h"

namespace laplace {
enum class ChoiceKind : uint8_t;  // loop/choice.h, which includes this header
}  // namespace laplace

namespace laplace::internal {

class TapeRecorder {
 public:
  // Words per chunk: 256 KiB, so a short run touches one page of one chunk
  // and a 2-million-choice run needs 62 chunks.
  static constexpr size_t kChunkWords = size_t{1} << 15;
  // Chunks kept per thread for later runs (32 MiB); the rest are freed.
  static constexpr size_t kPoolChunksMax = 128;

  TapeRecorder() = default;
  TapeRecorder(const TapeRecorder&) = delete;
  TapeRecorder& operator=(const TapeRecorder&) = delete;
  ~TapeRecorder();

  LAPLACE_HOT_INLINE void Append(ChoiceKind kind, uint64_t bound, uint64_t value, uint64_t stream) {
    if (end_ - next_ < 5) [[unlikely]] {
      NewChunk();
    }
    if (stream != stream_) {
      next_[0] = kStreamSwitch;
      next_[1] = stream;
      next_ += 2;
      stream_ = stream;
    }
    const uint64_t kind_bits = static_cast<uint64_t>(kind) << 1;
    if (bound < (uint64_t{1} << 30)) [[likely]] {
      *next_++ = kind_bits | bound << 4 | value << 34;
    } else {
      next_[0] = kind_bits | 1;
      next_[1] = bound;
      next_[2] = value;
      next_ += 3;
    }
    ++size_;
  }

  // How many choices have been appended.
  size_t size() const { return size_; }

  // Calls visit(kind, bound, value, stream) for every choice, in order.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    uint64_t stream = 0;
    for (size_t c = 0; c < chunks_.size(); ++c) {
      const uint64_t* word = chunks_[c].get();
      const uint64_t* end = c + 1 == chunks_.size() ? next_ : word + used_[c];
      while (word < end) {
        const auto kind = static_cast<ChoiceKind>((*word >> 1) & 7);
        if ((*word & 1) == 0) {
          visit(kind, (*word >> 4) & ((uint64_t{1} << 30) - 1), *word >> 34, stream);
          word += 1;
        } else if (*word == kStreamSwitch) {
          stream = word[1];
          word += 2;
        } else {
          visit(kind, word[1], word[2], stream);
          word += 3;
        }
      }
    }
  }

 private:
  static constexpr uint64_t kStreamSwitch = 1 | uint64_t{1} << 4;

  void NewChunk();

  std::vector<std::unique_ptr<uint64_t[]>> chunks_;
  std::vector<size_t> used_;  // words used in each chunk but the last
  uint64_t* next_ = nullptr;  // where the next word goes in the last chunk
  uint64_t* end_ = nullptr;   // the last chunk's end
  size_t size_ = 0;
  uint64_t stream_ = 0;  // the stream of the last choice appended
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TAPE_RECORDER_H_
