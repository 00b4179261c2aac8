// Starting the test binary again on one case (see fresh_process.h).
#include "properties/internal/fresh_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "base/strings.h"

extern char** environ;

namespace laplace::properties::internal {
namespace {

namespace fs = std::filesystem;
using laplace::internal::Cat;

// Variables the child must not see: they would make it replay a file, run
// another seed, or overwrite the parent's JUnit XML and Bazel status files.
// (The environment is passed through here, never interpreted: settings.cc
// remains the only reader.)
bool Dropped(std::string_view entry) {
  for (std::string_view name :
       {"LAPLACE_REPLAY=", "LAPLACE_SEED=", "LAPLACE_CONFIDENCE=", "LAPLACE_DETERMINISM_DUMP=",
        "XML_OUTPUT_FILE=", "GTEST_OUTPUT=", "TEST_PREMATURE_EXIT_FILE=", "TEST_SHARD_STATUS_FILE=",
        "TEST_TOTAL_SHARDS=", "TEST_SHARD_INDEX=", "GTEST_TOTAL_SHARDS=", "GTEST_SHARD_INDEX="}) {
    if (entry.rfind(name, 0) == 0) return true;
  }
  return false;
}

// The last `lines` lines of the file at `path`.
std::string Tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> kept;
  std::string line;
  while (std::getline(in, line)) {
    kept.push_back(line);
    if (kept.size() > lines) kept.erase(kept.begin());
  }
  std::string text;
  for (const std::string& each : kept) text += "    " + each + "\n";
  return text;
}

// Runs `argv` with `environment`, its output into `log`; returns its wait status.
absl::StatusOr<int> Spawn(const std::vector<std::string>& argv,
                          const std::vector<std::string>& environment, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (const std::string& entry : environment) env.push_back(const_cast<char*>(entry.c_str()));
  env.push_back(nullptr);
  pid_t child = fork();
  if (child < 0) return absl::UnavailableError(Cat("cannot fork: ", std::strerror(errno)));
  if (child == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execve(args[0], args.data(), env.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR)
      return absl::UnavailableError(Cat("lost the child: ", std::strerror(errno)));
  }
  return status;
}

}  // namespace

absl::StatusOr<RunRecord> RunCaseInFreshProcess(const std::string& test_name,
                                                const SeedChoice& seed) {
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error) return absl::UnavailableError("cannot find this process's binary (/proc/self/exe)");
  std::string pattern = (fs::temp_directory_path(error) / "laplace-fresh-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::UnavailableError(
        Cat("cannot make a temporary directory ", pattern, ": ", std::strerror(errno)));
  }
  const std::string dump = pattern + "/record.txt";
  const std::string log = pattern + "/output.txt";
  std::vector<std::string> argv = {
      binary.string(), Cat("--gtest_filter=", test_name),
      // A property kept out of normal runs (DISABLED_) can still be checked.
      "--gtest_also_run_disabled_tests",
      Cat("--laplace_seed=", seed.seed, ":", seed.size.value_or(0)),
      Cat("--laplace_determinism_dump=", dump)};
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!Dropped(*entry)) environment.emplace_back(*entry);
  }
  absl::StatusOr<int> status = Spawn(argv, environment, log);
  absl::StatusOr<RunRecord> record =
      status.ok() ? ReadRunRecord(dump) : absl::StatusOr<RunRecord>(status.status());
  if (!record.ok()) {
    std::string why = status.ok() ? Cat("it exited with wait status ", *status, " and ",
                                        record.status().message())
                                  : std::string(status.status().message());
    record = absl::UnavailableError(
        Cat("the fresh process (", binary.string(), " --gtest_filter=", test_name,
            " --laplace_seed=...) gave no run record: ", why,
            "; a fresh-process check needs the Laplace test main (//properties:main). Its "
            "output ended:\n",
            Tail(log, 15)));
  }
  fs::remove_all(pattern, error);
  return record;
}

}  // namespace laplace::properties::internal
