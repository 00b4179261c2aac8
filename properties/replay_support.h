// Replay files for property runs: writing a found failure, and checking a
// rerun of a file against what the file says.
//
// The file format and its I/O live in replays/; this is the glue between a
// property's runs (RunReport) and those files: what goes into one, where it is
// written, the command that reproduces it, and the verdict when a checked-in
// file is replayed (the corpus of a test is replayed before every run).
//
//   FoundCase found{.test_name = "Bank.Transfers", .seed = 7, .report = shrunk.report};
//   replays::Replay file = MakeReplay(found, replays::EXPECT_PASS);
//   absl::StatusOr<std::string> path = WriteFoundReplay(file, "examples/bank_test.cc");
//   std::cout << ReproduceCommand(*path);
//
//   RunReport rerun = RunOnce(body, TapeSpec::Replay(TapeFromReplay(file), kStrict), {});
//   ReplayVerdict verdict = CheckRerun(file, rerun);  // ok, or why not
#ifndef LAPLACE_PROPERTIES_REPLAY_SUPPORT_H_
#define LAPLACE_PROPERTIES_REPLAY_SUPPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "properties/runner.h"
#include "replays/replay.pb.h"

namespace laplace::properties {

// Everything known about a failing case worth keeping.
struct FoundCase {
  std::string test_name;     // "Suite.Test"
  std::string bazel_target;  // "//pkg:target", or "" if unknown
  std::string strategy = "random-walk";
  uint64_t seed = 0;                        // the run the failure was found in
  int size = 0;                             // and its generation size
  std::string args_reproduce;               // RapidCheck reproduce data, base64
  std::vector<std::string> args_rendering;  // "int amount = 3"
  RunReport report;                         // the (shrunk) failing run
  size_t original_length = 0;               // tape length before shrinking
  size_t candidates_tried = 0;
  bool shrink_budget_exhausted = false;
};

// The replay file for `found`, expecting `expect` when replayed.
replays::Replay MakeReplay(const FoundCase& found, replays::Expectation expect);

// Writes `replay` into the corpus of the test defined in `source_file` (a
// path like "examples/bank_test.cc", as __FILE__ gives it) and returns the
// path written. Where: $LAPLACE_CORPUS_ROOT if set; else the source tree
// (found through the test's runfiles when the test lists its own sources as
// data, as laplace_property_test does, or through $BUILD_WORKSPACE_DIRECTORY
// under `bazel run`); else $TEST_UNDECLARED_OUTPUTS_DIR; else the current
// directory.
absl::StatusOr<std::string> WriteFoundReplay(const replays::Replay& replay,
                                             const std::string& source_file);

// The directory holding the checked-in corpus of `test_name`, defined in
// `source_file`.
std::string CorpusReadDirectoryFor(const std::string& source_file, const std::string& test_name);

// The one command that reproduces a written file:
// "bazel run //replays:laplace -- replay <path>", with the path relative to
// the workspace when it is inside it.
std::string ReproduceCommand(const std::string& path);

// Resolves a LAPLACE_REPLAY path: absolute, relative to the directory
// `bazel run` was started from, to the workspace, or to the current
// directory, the first that exists.
std::string ResolveReplayPath(const std::string& path);

struct ReplayVerdict {
  bool ok = false;
  std::string message;  // what happened, and for a failed verdict what to do
};

// Compares a strict rerun of `file` with what the file expects:
// EXPECT_FAILURE needs the same failure signature and trace digest;
// EXPECT_PASS (and unspecified) needs no failure. A divergence (the program
// no longer asks the choices the tape recorded) is reported with its step.
ReplayVerdict CheckRerun(const replays::Replay& file, const RunReport& rerun);

// The Bazel target running this process ("//examples:bank_test"): from
// TEST_TARGET, else from the binary's path under bazel-bin; "" if unknown.
std::string CurrentBazelTarget();

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_REPLAY_SUPPORT_H_
