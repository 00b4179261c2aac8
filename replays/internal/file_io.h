// Whole-file reads and atomic whole-file writes, with errors that name the path.
//
// Replay files are small and are written at the moment a property fails, often
// by a process that is about to exit or be killed. The writer therefore never
// leaves a partial file where a reader could find it: it writes a temporary
// file beside the target, fsyncs it and renames it into place.
//
//   absl::Status written = WriteFileAtomically("pkg/replays/A.B/00ff.textpb", text);
//   absl::StatusOr<std::string> read = ReadSmallFile("pkg/replays/A.B/00ff.textpb",
//                                                    /*bytes_max=*/1 << 20);
#ifndef LAPLACE_REPLAYS_INTERNAL_FILE_IO_H_
#define LAPLACE_REPLAYS_INTERNAL_FILE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace laplace::replays::internal {

// The contents of the regular file at `path`. kNotFound when nothing is
// there, kInvalidArgument when it is not a regular file or holds more than
// `bytes_max` bytes, else the errno-derived code. Every message starts with
// the path.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path, uint64_t bytes_max);

// Replaces the file at `path` with `contents`, atomically: creates missing
// parent directories, writes "<dir>/.<name>.tmp-XXXXXX", fsyncs it, makes it
// mode 0644, renames it over `path` and fsyncs the directory. On any failure
// the temporary file is removed and `path` is untouched. Messages start with
// the path. The temporary file is locked (flock) until renamed, and each write
// first removes the unlocked temporary files in the folder: those a killed
// writer left (RemoveAbandonedTemporaries).
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Removes every ".<name>.tmp-XXXXXX" file in `directory` that no live writer
// holds locked. Errors (no such folder, a file that cannot be opened) are
// ignored: this is tidying, never a reason to fail a write.
void RemoveAbandonedTemporaries(const std::string& directory);

}  // namespace laplace::replays::internal

#endif  // LAPLACE_REPLAYS_INTERNAL_FILE_IO_H_
