// One file per failure: keeping a corpus folder free of duplicates.
//
// A failure found again (another seed, another shard, another day) shrinks to
// a different tape and so a different trace digest, and would land as one more
// file. AddToCorpus keeps one file per (test, expectation, failure signature):
// a new file replaces those it is simpler than (fewer non-zero choices, then a
// shorter tape) and is dropped when one as simple is already there. Writers in
// separate processes (the shards of one `bazel test`) take turns on an flock
// of the folder, so four shards that find one bug leave one file.
//
//   absl::StatusOr<CorpusAddition> added = AddToCorpus(directory, replay);
//   if (added.ok() && !added->written) ... // the corpus already had it, as simple
//
//   std::vector<CorpusEntry> entries = ReadCorpusFolder(directory);  // `laplace corpus list`
//   for (const Duplicate& extra : Duplicates(entries)) ...           // `laplace corpus dedupe`
#ifndef LAPLACE_REPLAYS_CORPUS_FILES_H_
#define LAPLACE_REPLAYS_CORPUS_FILES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "replays/replay.pb.h"

namespace laplace::replays {

// How simple a replay's run is: its tape's non-zero choices, then its length. Smaller is
// simpler (what shrinking minimizes).
struct Simplicity {
  uint64_t nonzero = 0;
  uint64_t length = 0;

  friend auto operator<=>(const Simplicity&, const Simplicity&) = default;
};
Simplicity SimplicityOf(const Replay& replay);

// The key two files must share to be one failure: "<test>|<expectation>|<signature>"; "" for a
// file without a failure signature (never a duplicate of anything).
std::string FailureKey(const Replay& replay);

// What AddToCorpus did.
struct CorpusAddition {
  std::string path;      // the file that holds the failure now: the new one, or the one kept
  bool written = false;  // false: a file with its key was already there and at least as simple
  std::vector<std::string> removed;  // files with its key that the new one replaced
  std::vector<std::string> stale;    // of those, the ones that pass on today's code
  bool updated = false;              // written over a file of the same name (the same digest)
};

// Writes `replay` into `directory` (created if missing) as ReplayFileName(replay), keeping one
// file per FailureKey: files with the key that are less simple are removed; when one is as
// simple or simpler, nothing is written. `replaces`, a file name in `directory`, is removed in
// any case (a file being rebuilt). Files named in `passing` (file names in `directory` whose
// replay passed on today's code) do not hold their failure any more, however simple: a new
// failure with their key replaces them (a regression of a fixed bug is kept, not dropped as
// "already held"). Holds an exclusive flock on the folder throughout, so
// concurrent writers take turns. Files that cannot be read are left alone.
// Errors name the path.
absl::StatusOr<CorpusAddition> AddToCorpus(const std::string& directory, const Replay& replay,
                                           std::string_view replaces = "",
                                           const std::vector<std::string>& passing = {});

// One file of a corpus folder, read.
struct CorpusEntry {
  std::string path;
  absl::Status status;  // why it could not be read; `replay` is then empty
  Replay replay;
};

// Every replay file in `directory` (ListReplayFiles), read, in name order. A folder that cannot
// be listed gives one entry holding the error.
std::vector<CorpusEntry> ReadCorpusFolder(const std::string& directory);

// A file that another makes redundant: its rebuild, or one at least as simple.
struct Duplicate {
  CorpusEntry entry;
  std::string kept;  // the path of its rebuild, or of the simplest file of its FailureKey
  // True when `kept` is `entry`'s rebuild (its `rebuilt.from_digest` is entry's trace digest).
  bool superseded = false;
};

// The entries that another makes redundant, in `entries`' order:
// 1. a file whose rebuild is there too (another entry's `rebuilt.from_digest` is its trace
//    digest: the diverged original that --laplace_record replaced) is superseded by it, however
//    simple either is;
// 2. of the rest, those that share another's FailureKey and are not the simplest of their key
//    (ties go to the earlier entry: in a folder's name order, the smaller name).
// Unreadable entries are never duplicates.
std::vector<Duplicate> Duplicates(const std::vector<CorpusEntry>& entries);

}  // namespace laplace::replays

#endif  // LAPLACE_REPLAYS_CORPUS_FILES_H_
