// The readable rendering of a replay file that `laplace show` prints.
//
// The failure's causal chain first, when the file has one (a file written
// before it had none, and shows none); then one section per part of the
// file: the test, what the replay is expected to do, the strategy and seed,
// the arguments, the failure (with its virtual time), shrinking, the tape
// (its length and the non-zero entries, since zero is the default), the
// trace digest and the trace tail.
//
//   absl::StatusOr<Replay> replay = ReadReplayFile(path);
//   if (replay.ok()) std::cout << DescribeReplay(*replay, path);
#ifndef LAPLACE_REPLAYS_INTERNAL_DESCRIBE_H_
#define LAPLACE_REPLAYS_INTERNAL_DESCRIBE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "replays/replay.pb.h"

namespace laplace::replays::internal {

// How many non-zero tape entries are listed before the rest are only counted.
inline constexpr size_t kTapeEntriesShownMax = 100;

// A multi-line, human-readable description of `replay`, headed by
// `file_name`. Requires a replay that passed ValidateReplay(). Every string
// from the file is printed with control characters escaped.
std::string DescribeReplay(const Replay& replay, std::string_view file_name);

}  // namespace laplace::replays::internal

#endif  // LAPLACE_REPLAYS_INTERNAL_DESCRIBE_H_
