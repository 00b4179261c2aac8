#include "replays/corpus_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>

#include "base/strings.h"
#include "replays/corpus.h"
#include "replays/replay_file.h"

namespace laplace::replays {
namespace {

using ::laplace::internal::Cat;

// An exclusive flock on a folder (its own descriptor: no lock file is left behind, and none can
// be removed under a waiting writer), held while the object lives.
class FolderLock {
 public:
  explicit FolderLock(const std::string& directory)
      : fd_(open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0) locked_ = flock(fd_, LOCK_EX) == 0;
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock() {
    if (fd_ >= 0) close(fd_);  // closing releases the lock
  }
  bool locked() const { return locked_; }

 private:
  int fd_;
  bool locked_ = false;
};

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

absl::Status Remove(const std::string& path) {
  std::error_code error;
  std::filesystem::remove(path, error);
  if (error) return absl::UnavailableError(Cat(path, ": cannot remove it: ", error.message()));
  return absl::OkStatus();
}

}  // namespace

Simplicity SimplicityOf(const Replay& replay) {
  Simplicity simplicity{.nonzero = 0, .length = static_cast<uint64_t>(replay.tape_size())};
  for (const TapeEntry& entry : replay.tape()) simplicity.nonzero += entry.value() != 0 ? 1 : 0;
  return simplicity;
}

std::string FailureKey(const Replay& replay) {
  if (replay.failure().signature().empty()) return "";
  const Expectation expect =
      replay.expect() == EXPECT_FAILURE ? EXPECT_FAILURE : EXPECT_PASS;  // unspecified is pass
  return Cat(replay.test_name(), "|", Expectation_Name(expect), "|", replay.failure().signature());
}

absl::StatusOr<CorpusAddition> AddToCorpus(const std::string& directory, const Replay& replay,
                                           std::string_view replaces,
                                           const std::vector<std::string>& passing) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return absl::UnavailableError(Cat(directory, ": cannot create it: ", error.message()));
  FolderLock lock(directory);
  if (!lock.locked()) {
    return absl::UnavailableError(
        Cat(directory, ": cannot lock the folder: ", std::strerror(errno)));
  }
  CorpusAddition addition;
  const std::string name = ReplayFileName(replay);
  const std::string key = FailureKey(replay);
  const Simplicity simplicity = SimplicityOf(replay);
  std::vector<std::string> less_simple;
  for (const CorpusEntry& entry : ReadCorpusFolder(directory)) {
    const std::string entry_name = FileName(entry.path);
    if (entry_name == replaces) continue;
    if (!entry.status.ok() || key.empty() || FailureKey(entry.replay) != key) continue;
    if (entry_name != name &&
        std::find(passing.begin(), passing.end(), entry_name) != passing.end()) {
      less_simple.push_back(entry.path);  // passes today: it no longer holds this failure
      addition.stale.push_back(entry.path);
      continue;
    }
    if (entry_name != name && SimplicityOf(entry.replay) <= simplicity) {
      addition.path = entry.path;  // the corpus already holds this failure, as simply
      return addition;
    }
    if (entry_name != name) less_simple.push_back(entry.path);
  }
  addition.path = Cat(directory, "/", name);
  addition.updated = std::filesystem::exists(addition.path, error);
  absl::Status written = WriteReplayFileAtomically(addition.path, replay);
  if (!written.ok()) return written;
  addition.written = true;
  if (!replaces.empty() && replaces != name) less_simple.push_back(Cat(directory, "/", replaces));
  for (const std::string& path : less_simple) {
    if (!std::filesystem::exists(path, error)) continue;
    absl::Status removed = Remove(path);
    if (!removed.ok()) return removed;
    addition.removed.push_back(path);
  }
  return addition;
}

std::vector<CorpusEntry> ReadCorpusFolder(const std::string& directory) {
  absl::StatusOr<std::vector<std::string>> paths = ListReplayFiles(directory);
  if (!paths.ok()) return {CorpusEntry{.path = directory, .status = paths.status()}};
  std::vector<CorpusEntry> entries;
  for (const std::string& path : *paths) {
    absl::StatusOr<Replay> replay = ReadReplayFile(path);
    CorpusEntry entry{.path = path, .status = replay.status()};
    if (replay.ok()) entry.replay = *std::move(replay);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<Duplicate> Duplicates(const std::vector<CorpusEntry>& entries) {
  // The rebuild of each digest that has one in `entries`, by index (the first, in name order).
  std::map<std::string, size_t> rebuild_of;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Replay& replay = entries[i].replay;
    if (!entries[i].status.ok() || !replay.has_rebuilt()) continue;
    const std::string& from = replay.rebuilt().from_digest();
    if (!from.empty() && from != replay.trace_digest()) rebuild_of.emplace(from, i);
  }
  auto superseded_by = [&](size_t i) -> std::optional<size_t> {
    if (!entries[i].status.ok()) return std::nullopt;
    auto it = rebuild_of.find(entries[i].replay.trace_digest());
    if (it == rebuild_of.end() || it->second == i) return std::nullopt;
    return it->second;
  };
  // The simplest entry of each key, by index (ties: the first, entries being in name order),
  // among those that no rebuild supersedes.
  std::map<std::string, size_t> simplest;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].status.ok() || superseded_by(i).has_value()) continue;
    const std::string key = FailureKey(entries[i].replay);
    if (key.empty()) continue;
    auto [it, inserted] = simplest.emplace(key, i);
    if (!inserted && SimplicityOf(entries[i].replay) < SimplicityOf(entries[it->second].replay)) {
      it->second = i;
    }
  }
  std::vector<Duplicate> duplicates;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].status.ok()) continue;
    if (std::optional<size_t> rebuild = superseded_by(i); rebuild.has_value()) {
      duplicates.push_back(
          Duplicate{.entry = entries[i], .kept = entries[*rebuild].path, .superseded = true});
      continue;
    }
    const std::string key = FailureKey(entries[i].replay);
    if (key.empty() || simplest.at(key) == i) continue;
    duplicates.push_back(Duplicate{.entry = entries[i], .kept = entries[simplest.at(key)].path});
  }
  return duplicates;
}

}  // namespace laplace::replays
