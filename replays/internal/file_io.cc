#include "replays/internal/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

#include "base/strings.h"

namespace laplace::replays::internal {
namespace {

using ::laplace::internal::Cat;

absl::Status ErrnoError(int error_number, const std::string& path, std::string_view what) {
  std::error_code code(error_number, std::generic_category());
  return absl::ErrnoToStatus(error_number, Cat(path, ": ", what, ": ", code.message()));
}

// Closes a file descriptor when it goes out of scope, unless released.
class FileCloser {
 public:
  explicit FileCloser(int fd) : fd_(fd) {}
  FileCloser(const FileCloser&) = delete;
  FileCloser& operator=(const FileCloser&) = delete;
  ~FileCloser() {
    if (fd_ >= 0) close(fd_);
  }
  // Closes now and reports close()'s errno (0 on success).
  int CloseNow() {
    int result = close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// write() until everything is written; returns 0 or an errno.
int WriteAll(int fd, std::string_view contents) {
  while (!contents.empty()) {
    ssize_t written = write(fd, contents.data(), contents.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    contents.remove_prefix(static_cast<size_t>(written));
  }
  return 0;
}

// fsyncs a directory so that a rename into it survives a crash. Some file
// systems cannot fsync directories (EINVAL); the rename itself is still
// atomic there, so that is not an error.
int SyncDirectory(const std::string& directory) {
  int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  FileCloser closer(fd);
  if (fsync(fd) != 0 && errno != EINVAL) return errno;
  return 0;
}

// Writes, syncs and renames the already created temporary file.
absl::Status FillAndRename(int fd, const std::string& temporary, const std::string& path,
                           const std::string& directory, std::string_view contents) {
  FileCloser closer(fd);
  if (int error = WriteAll(fd, contents); error != 0) {
    return ErrnoError(error, path, Cat("cannot write the temporary file ", temporary));
  }
  if (fchmod(fd, 0644) != 0) return ErrnoError(errno, path, "cannot set the file mode");
  if (fsync(fd) != 0) return ErrnoError(errno, path, "cannot fsync the temporary file");
  if (int error = closer.CloseNow(); error != 0) {
    return ErrnoError(error, path, "cannot close the temporary file");
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    return ErrnoError(errno, path, Cat("cannot rename ", temporary, " over it"));
  }
  if (int error = SyncDirectory(directory); error != 0) {
    return ErrnoError(error, path, Cat("cannot fsync the directory ", directory));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadSmallFile(const std::string& path, uint64_t bytes_max) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(Cat(path, ": no such file; check the path"));
    return ErrnoError(errno, path, "cannot open");
  }
  FileCloser closer(fd);
  struct stat info;
  if (fstat(fd, &info) != 0) return ErrnoError(errno, path, "cannot stat");
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(
        Cat(path, ": not a regular file (a directory?); give the path of a .textpb file"));
  }
  if (static_cast<uint64_t>(info.st_size) > bytes_max) {
    return absl::InvalidArgumentError(Cat(path, ": the file is ", info.st_size,
                                          " bytes, more than the ", bytes_max,
                                          " a replay file may have; it is not a replay file"));
  }
  std::string contents;
  char buffer[1 << 16];
  while (true) {
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, path, "cannot read");
    }
    if (got == 0) break;
    contents.append(buffer, static_cast<size_t>(got));
    // The file may grow while it is read; the limit holds all the same.
    if (contents.size() > bytes_max) {
      return absl::InvalidArgumentError(
          Cat(path, ": the file grew past ", bytes_max, " bytes while being read"));
    }
  }
  return contents;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  std::filesystem::path target(path);
  if (!target.has_filename()) {
    return absl::InvalidArgumentError(Cat(path, ": a file path must end in a file name"));
  }
  std::filesystem::path parent = target.parent_path();
  std::string directory = parent.empty() ? std::string(".") : parent.string();
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return ErrnoError(error.value(), path, Cat("cannot create the directory ", directory));
  }
  // mkstemp picks a fresh name in the target's own directory, so the rename
  // below stays within one file system and is atomic. The leading dot keeps
  // the temporary file out of corpus listings, which take only *.textpb.
  std::string temporary = Cat(directory, "/.", target.filename().string(), ".tmp-XXXXXX");
  std::vector<char> name(temporary.begin(), temporary.end());
  name.push_back('\0');
  int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, path, Cat("cannot create a temporary file in ", directory));
  temporary.assign(name.data());
  absl::Status status = FillAndRename(fd, temporary, path, directory, contents);
  if (!status.ok()) unlink(temporary.c_str());
  return status;
}

}  // namespace laplace::replays::internal
