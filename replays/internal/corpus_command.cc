#include "replays/internal/corpus_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "base/strings.h"
#include "replays/corpus.h"
#include "replays/corpus_files.h"
#include "replays/internal/text.h"

namespace laplace::replays::internal {
namespace {

namespace fs = std::filesystem;
using ::laplace::internal::Cat;

constexpr int kExitOk = 0;
constexpr int kExitBadFile = 1;
constexpr int kExitUsage = 2;

struct Request {
  std::string action;  // list, dedupe or prune
  std::vector<std::string> folders;
  bool dry_run = false;
  std::string binary;  // prune
  std::string target;  // prune: the Bazel target `binary` was built from
};

// Whether `directory` is a test's corpus folder: "<...>/replays/<a folder CorpusFolderName
// could have made>".
bool IsTestFolder(const fs::path& directory) {
  return TestNameOfCorpusPath((directory / "x.textpb").string()).has_value();
}

// The test corpus folders at or under `root`, sorted; links are not followed.
std::vector<std::string> TestFolders(const std::string& root) {
  if (IsTestFolder(root)) return {root};
  std::vector<std::string> folders;
  std::error_code error;
  fs::recursive_directory_iterator it(root, error), end;
  for (; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name.front() == '.') {
      it.disable_recursion_pending();
      continue;
    }
    std::error_code type_error;
    if (it->is_directory(type_error) && !it->is_symlink(type_error) && IsTestFolder(it->path())) {
      folders.push_back(it->path().string());
      it.disable_recursion_pending();
    }
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

int List(const Request& request, std::ostream& out, std::ostream& err) {
  int exit_code = kExitOk;
  out << "file\ttest\texpect\tsignature\tnonzero\tchoices\tbytes\n";
  for (const std::string& root : request.folders) {
    for (const std::string& folder : TestFolders(root)) {
      for (const CorpusEntry& entry : ReadCorpusFolder(folder)) {
        if (!entry.status.ok()) {
          err << "laplace: " << EscapeControl(std::string(entry.status.message())) << "\n";
          exit_code = kExitBadFile;
          continue;
        }
        const Replay& replay = entry.replay;
        const Simplicity simplicity = SimplicityOf(replay);
        std::error_code error;
        const uintmax_t bytes = fs::file_size(entry.path, error);
        out << EscapeControl(entry.path) << "\t" << replay.test_name() << "\t"
            << (replay.expect() == EXPECT_FAILURE ? "failure" : "pass") << "\t"
            << (replay.failure().signature().empty() ? std::string("-")
                                                     : EscapeControl(replay.failure().signature()))
            << "\t" << simplicity.nonzero << "\t" << simplicity.length << "\t"
            << (error ? 0 : bytes) << "\n";
      }
    }
  }
  return exit_code;
}

// Removes `path` (unless a dry run) and says so with `why`; false when it could not be removed.
bool Remove(const Request& request, const std::string& path, const std::string& why,
            std::ostream& out, std::ostream& err) {
  std::error_code error;
  if (!request.dry_run) fs::remove(path, error);
  if (error) {
    err << "laplace: cannot remove " << EscapeControl(path) << ": " << error.message() << "\n";
    return false;
  }
  out << (request.dry_run ? "would remove " : "removed ") << EscapeControl(path) << ": " << why
      << "\n";
  return true;
}

int Dedupe(const Request& request, std::ostream& out, std::ostream& err) {
  int exit_code = kExitOk;
  size_t removed = 0;
  for (const std::string& root : request.folders) {
    for (const std::string& folder : TestFolders(root)) {
      for (const Duplicate& duplicate : Duplicates(ReadCorpusFolder(folder))) {
        const std::string why =
            duplicate.superseded
                ? Cat("superseded by its rebuild ", EscapeControl(duplicate.kept))
                : Cat(EscapeControl(duplicate.entry.replay.failure().signature()), " is also in ",
                      EscapeControl(duplicate.kept), ", which is as simple or simpler");
        if (Remove(request, duplicate.entry.path, why, out, err)) {
          ++removed;
        } else {
          exit_code = kExitBadFile;
        }
      }
    }
  }
  out << (request.dry_run ? "would remove " : "removed ") << removed << " duplicate file(s)\n";
  return exit_code;
}

// Runs `argv` with `environment` set (and LAPLACE_RECORD unset: pruning never rewrites) and
// returns its exit status and everything it printed; nullopt when it could not be started.
struct Ran {
  int status = 0;
  std::string output;
};
std::optional<Ran> RunCapturing(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& environment) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return std::nullopt;
  std::fflush(nullptr);
  pid_t child = fork();
  if (child < 0) return std::nullopt;
  if (child == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    for (const char* name : {"LAPLACE_RECORD", "LAPLACE_REPLAY", "RUNFILES_DIR",
                             "RUNFILES_MANIFEST_FILE", "RUNFILES_MANIFEST_ONLY", "TEST_SRCDIR"}) {
      unsetenv(name);
    }
    for (const auto& [name, value] : environment) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(pipe_fds[1]);
  Ran ran;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = read(pipe_fds[0], buffer, sizeof buffer)) != 0) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    ran.output.append(buffer, static_cast<size_t>(got));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  ran.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return ran;
}

// The tests of a GoogleTest binary, from `--gtest_list_tests`: "Suite." lines, then "  Test"
// lines (either may end in a "  # GetParam() = ..." comment).
std::set<std::string> ParseTestList(const std::string& listing) {
  std::set<std::string> tests;
  std::string suite;
  size_t begin = 0;
  while (begin < listing.size()) {
    size_t end = listing.find('\n', begin);
    if (end == std::string::npos) end = listing.size();
    std::string line = listing.substr(begin, end - begin);
    begin = end + 1;
    line = line.substr(0, line.find("  #"));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) continue;
    if (line.front() != ' ') {
      suite = line;  // ends in '.'
    } else {
      tests.insert(Cat(suite, line.substr(line.find_first_not_of(' '))));
    }
  }
  return tests;
}

// A label with its implicit name spelled out: "//pkg" -> "//pkg:pkg".
std::string NormalLabel(const std::string& label) {
  if (label.find(':') != std::string::npos) return label;
  const size_t slash = label.rfind('/');
  if (slash == std::string::npos || slash + 1 == label.size()) return label;
  return Cat(label, ":", label.substr(slash + 1));
}

// What prune does with one file, and why.
struct Verdict {
  bool remove = false;
  std::string why;
};

// Judges `entry` against the binary, and only a file of the binary's own target (each file
// records its bazel_target): it goes when its test is gone or it diverges on the binary's code.
Verdict Judge(const Request& request, const std::set<std::string>& tests,
              const CorpusEntry& entry) {
  const std::string& test = entry.replay.test_name();
  const std::string& owner = entry.replay.bazel_target();
  if (!owner.empty() && NormalLabel(owner) != NormalLabel(request.target)) {
    return {.why = Cat("it is a file of ", EscapeControl(owner), ", not of ", request.target,
                       " (prune it with that target's binary)")};
  }
  if (!tests.contains(test)) {
    if (owner.empty()) {
      return {.why = Cat("its test ", test, " is not in ", request.binary,
                         ", but the file names no bazel_target, so it may be another binary's")};
    }
    return {.remove = true, .why = Cat("its test ", test, " is not in ", request.binary)};
  }
  std::optional<Ran> ran = RunCapturing(
      {request.binary, Cat("--gtest_filter=", test)},
      {{"LAPLACE_REPLAY", fs::absolute(entry.path).string()}, {"LAPLACE_ON_DIVERGENCE", "fail"}});
  if (!ran.has_value()) {
    return {.why = Cat("cannot run ", request.binary, ": ", std::strerror(errno))};
  }
  const size_t diverged = ran->output.find("diverged: the program no longer makes the choices");
  if (diverged == std::string::npos) {
    if (ran->status == 0) {
      return {.why = Cat("it replays on the code ", request.binary, " was built from, and holds")};
    }
    return {.why = Cat("it replays, and the test fails (exit ", ran->status,
                       "): `laplace replay` it to see why (the bug it guards may be back)")};
  }
  std::string why = Cat("it diverges on the code ", request.binary, " was built from");
  const size_t where = ran->output.find("  where: ", diverged);
  if (where != std::string::npos) {
    const size_t start = where + 9;
    why += Cat(" (", ran->output.substr(start, ran->output.find('\n', start) - start), ")");
  }
  return {.remove = true, .why = why};
}

// Removes `folder` when pruning its `removed` files emptied it, and says so; a dry run, where
// those files are still there, says it would.
void RemoveIfEmptied(const Request& request, const std::string& folder, size_t removed,
                     std::ostream& out) {
  if (removed == 0) return;
  std::error_code error;
  size_t left = 0;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    ++left;
  }
  if (error || left != (request.dry_run ? removed : 0)) return;
  if (!request.dry_run && !fs::remove(folder, error)) return;
  out << (request.dry_run ? "would remove " : "removed ") << "the emptied folder "
      << EscapeControl(folder) << "\n";
}

int Prune(const Request& request, std::ostream& out, std::ostream& err) {
  std::optional<Ran> listed = RunCapturing({request.binary, "--gtest_list_tests"}, {});
  if (!listed.has_value() || listed->status != 0) {
    err << "laplace: cannot list the tests of " << EscapeControl(request.binary)
        << (listed.has_value() ? Cat(" (exit ", listed->status, "): ", listed->output)
                               : Cat(": ", std::strerror(errno)))
        << "\n";
    return kExitBadFile;
  }
  const std::set<std::string> tests = ParseTestList(listed->output);
  out << "pruning the files of " << request.target << " (" << EscapeControl(request.binary)
      << ")\n";
  int exit_code = kExitOk;
  size_t removed = 0;
  size_t kept = 0;
  for (const std::string& root : request.folders) {
    for (const std::string& folder : TestFolders(root)) {
      size_t removed_here = 0;
      for (const CorpusEntry& entry : ReadCorpusFolder(folder)) {
        if (!entry.status.ok()) {
          err << "laplace: kept, cannot be read: "
              << EscapeControl(std::string(entry.status.message())) << "\n";
          exit_code = kExitBadFile;
          ++kept;
          continue;
        }
        const Verdict verdict = Judge(request, tests, entry);
        if (!verdict.remove) {
          out << "kept " << EscapeControl(entry.path) << ": " << verdict.why << "\n";
          ++kept;
        } else if (Remove(request, entry.path, verdict.why, out, err)) {
          ++removed_here;
        } else {
          exit_code = kExitBadFile;
        }
      }
      RemoveIfEmptied(request, folder, removed_here, out);
      removed += removed_here;
    }
  }
  out << (request.dry_run ? "would remove " : "removed ") << removed << " file(s), kept " << kept
      << "\n";
  return exit_code;
}

int Usage(const std::string& problem, std::ostream& err) {
  err << "laplace corpus: " << problem << "\n\nusage:\n" << kCorpusUsage;
  return kExitUsage;
}

}  // namespace

int CorpusCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err,
                  const std::function<std::string(const std::string&)>& resolve) {
  if (words.empty()) return Usage("which one: list, dedupe or prune?", err);
  Request request{.action = words[0]};
  if (request.action != "list" && request.action != "dedupe" && request.action != "prune") {
    return Usage(Cat("unknown action '", Escape(request.action), "'"), err);
  }
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--dry_run" && request.action != "list") {
      request.dry_run = true;
    } else if (word.rfind("--binary=", 0) == 0 && request.action == "prune" && word.size() > 9) {
      request.binary = resolve(word.substr(9));
    } else if (word.rfind("--target=//", 0) == 0 && request.action == "prune") {
      request.target = word.substr(9);
    } else if (!word.empty() && word[0] == '-') {
      return Usage(Cat("'", request.action, "' does not take '", Escape(word), "'"), err);
    } else {
      request.folders.push_back(resolve(word));
    }
  }
  if (request.folders.empty()) return Usage(Cat("'", request.action, "' needs a FOLDER"), err);
  for (const std::string& folder : request.folders) {
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
      return Usage(Cat(EscapeControl(folder), " is not a folder"), err);
    }
  }
  if (request.action == "list") return List(request, out, err);
  if (request.action == "dedupe") return Dedupe(request, out, err);
  if (request.binary.empty()) {
    return Usage("'prune' needs --binary=TEST_BINARY (the test binary the files belong to)", err);
  }
  if (request.target.empty()) request.target = BazelTargetOfBinary(request.binary);
  if (request.target.empty()) {
    return Usage(Cat("cannot tell which Bazel target ", EscapeControl(request.binary),
                     " was built from (it is not under bazel-bin/ or bazel-out/); say it with "
                     "--target=//package:name"),
                 err);
  }
  return Prune(request, out, err);
}

}  // namespace laplace::replays::internal
