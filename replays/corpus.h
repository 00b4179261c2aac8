// Where replay files live: the corpus folder layout, and where to read and
// write it from a test run.
//
// Each property test has a corpus folder in its Bazel package, like Go's
// testdata/fuzz:
//
//   <package>/replays/<Suite>.<Test>/<trace digest>.textpb
//
// A test replays every file of its corpus before exploring new seeds, and
// writes each new failure it finds as one more file. Check the files in: a
// fixed bug then stays fixed. To let a `bazel test` see them, the test target
// lists them as data: `data = glob(["replays/**/*.textpb"])`.
//
//   laplace::replays::CorpusEnvironment env = ...;  // properties/settings.h fills one in
//   std::string dir = laplace::replays::CorpusReadDirectory(env, "examples", "Bank.Transfers");
//   absl::StatusOr<std::vector<std::string>> files = laplace::replays::ListReplayFiles(dir);
//   for (const std::string& file : *files) { ... ReadReplayFile(file, "Bank.Transfers") ... }
//
//   std::string out = laplace::replays::CorpusWritePath(env, "examples", replay);
//   absl::Status written = laplace::replays::WriteReplayFileAtomically(out, replay);
#ifndef LAPLACE_REPLAYS_CORPUS_H_
#define LAPLACE_REPLAYS_CORPUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "replays/replay.pb.h"

namespace laplace::replays {

// The environment variables shared by this package, properties/ and the
// `laplace` tool. `laplace replay` runs a test binary with kReplayFileEnv set
// to the absolute path of one replay file (and kTraceEnv set to "1" when the
// whole trace should be printed); the test then replays that file alone.
// kCorpusRootEnv overrides where new failures are written (see below).
// `laplace trace` sets kTraceOutEnv (an absolute path) and kTraceFormatEnv
// ("text", "perfetto", "html") so that the test writes the trace there;
// kTraceNodesEnv and kTraceTasksEnv (comma-separated names) filter text
// traces.
inline constexpr char kReplayFileEnv[] = "LAPLACE_REPLAY";
inline constexpr char kTraceEnv[] = "LAPLACE_TRACE";
inline constexpr char kTraceOutEnv[] = "LAPLACE_TRACE_OUT";
inline constexpr char kTraceFormatEnv[] = "LAPLACE_TRACE_FORMAT";
inline constexpr char kTraceNodesEnv[] = "LAPLACE_TRACE_NODES";
inline constexpr char kTraceTasksEnv[] = "LAPLACE_TRACE_TASKS";
// `laplace confidence` sets it to "RUNS[:STEPS]" (properties/confidence.h).
inline constexpr char kConfidenceEnv[] = "LAPLACE_CONFIDENCE";
inline constexpr char kCorpusRootEnv[] = "LAPLACE_CORPUS_ROOT";

// The file name extension of replay files.
inline constexpr std::string_view kReplayFileExtension = ".textpb";

// The environment variables that decide where corpora are read and written.
// An empty string means the variable is unset (a variable set to "" counts
// as unset too). Tests build one by hand; a test process gets its own from
// the settings module (properties/settings.h), the only reader of the
// environment.
struct CorpusEnvironment {
  std::string corpus_root;                  // LAPLACE_CORPUS_ROOT: user override
  std::string build_workspace_directory;    // BUILD_WORKSPACE_DIRECTORY: `bazel run`
  std::string test_undeclared_outputs_dir;  // TEST_UNDECLARED_OUTPUTS_DIR: `bazel test`
  std::string test_srcdir;                  // TEST_SRCDIR: runfiles root in a test
  std::string test_workspace;               // TEST_WORKSPACE: this workspace's name
};

// True for a GoogleTest name "Suite.Test": one '.', ASCII letters, digits,
// '_', and '/' inside parameterized names ("Prefix/Suite.Test/0").
bool IsValidTestName(std::string_view test_name);

// The folder name of a test's corpus: the test name with each '/' written as
// '-' (a character test names never contain), so parameterized tests get one
// folder each. Requires IsValidTestName(test_name).
std::string CorpusFolderName(std::string_view test_name);

// "<package_dir>/replays/<CorpusFolderName(test_name)>", or
// "replays/<...>" for an empty `package_dir` (the workspace root package).
// A trailing '/' on `package_dir` is ignored. Requires IsValidTestName.
std::string CorpusDirectory(std::string_view package_dir, std::string_view test_name);

// "<trace_digest>.textpb": the file name of `replay` in its corpus. Naming by
// digest means the same run found twice is one file. Requires a valid
// trace_digest (16 lowercase hex digits), as ValidateReplay() checks.
std::string ReplayFileName(const Replay& replay);

// The replay files in `directory`: "<directory>/<name>" for every regular file
// (or link to one) whose name ends in ".textpb" and does not start with '.',
// sorted by name (byte order), so every run replays them in the same order.
// A missing directory is an empty corpus. kFailedPrecondition when
// `directory` exists but is not a directory; errno-derived codes for I/O
// errors.
absl::StatusOr<std::vector<std::string>> ListReplayFiles(const std::string& directory);

// The test a file in a corpus folder belongs to, read from its path:
// ".../replays/Inst-Bank.Transfers-3/00ff.textpb" -> "Inst/Bank.Transfers/3".
// nullopt when the path is not "<...>/replays/<folder>/<file>" with a folder
// that CorpusFolderName() could have made.
std::optional<std::string> TestNameOfCorpusPath(std::string_view path);

// The Bazel package of a target in this workspace: "//examples:bank_test" ->
// "examples", "//examples" -> "examples", "//:tool" -> "". nullopt for labels
// of other repositories ("@repo//pkg:t") and for anything that is not a label.
std::optional<std::string> PackageOfTarget(std::string_view bazel_target);

// The workspace root of the source tree a test's sources come from, found
// by following the runfiles link of `source_file` (a workspace-relative path
// such as "examples/bank/bank_test.cc", as __FILE__ gives it, listed as data
// of the test, as laplace_property_test does) back to the real file: "" when
// there is no such link.
std::string SourceTreeRoot(const CorpusEnvironment& env, std::string_view source_file);

// The folder to write a newly found failure of `test_name` (defined in
// `package_dir`) into, the first that applies. This is the one place that
// decides where replay files go.
// 1. $LAPLACE_CORPUS_ROOT/<CorpusDirectory>: the user chose where;
// 2. $BUILD_WORKSPACE_DIRECTORY/<CorpusDirectory>: under `bazel run`, straight
//    into the source tree, ready to check in;
// 3. <SourceTreeRoot(env, source_file)>/<CorpusDirectory>: under `bazel test`,
//    the source tree too, found through the test's runfiles (Bazel 4.2.3 zips
//    undeclared outputs, so a file there could not be rerun with one
//    command);
// 4. $TEST_UNDECLARED_OUTPUTS_DIR/<CorpusDirectory>: under `bazel test` when
//    the sources are not runfiles; Bazel keeps the file in bazel-testlogs/
//    <package>/<test>/test.outputs/ (zipped as outputs.zip unless
//    --nozip_undeclared_test_outputs);
// 5. <CorpusDirectory>, relative to the current directory.
std::string CorpusWriteDirectory(const CorpusEnvironment& env, std::string_view package_dir,
                                 std::string_view test_name, std::string_view source_file = "");

// CorpusWriteDirectory(...) + "/" + ReplayFileName(replay), for
// replay.test_name(). Requires a replay that passes ValidateReplay().
std::string CorpusWritePath(const CorpusEnvironment& env, std::string_view package_dir,
                            const Replay& replay, std::string_view source_file = "");

// The folder of a property's coverage-guided fuzzing corpus (the inputs
// libFuzzer keeps because they reached new code; laplace_fuzz_test):
// "<package_dir>/fuzz/<CorpusFolderName(test_name)>" under the first of
// $LAPLACE_CORPUS_ROOT, $BUILD_WORKSPACE_DIRECTORY (`bazel run`: the source
// tree, so it can be checked in) and the current directory. Failures do not
// go there: they become replay files in the ordinary corpus
// (CorpusWriteDirectory). Requires IsValidTestName(test_name).
std::string FuzzCorpusDirectory(const CorpusEnvironment& env, std::string_view package_dir,
                                std::string_view test_name);

// The folder a failure's CI artifacts go into (a copy of its replay file and
// its whole trace, written by the pipeline beside the corpus file):
// "$TEST_UNDECLARED_OUTPUTS_DIR/laplace/<CorpusFolderName(test_name)>", or
// "" outside `bazel test` (nothing to upload). Bazel 4.2.3 keeps the folder
// in bazel-testlogs/<package>/<test>/test.outputs/outputs.zip (unzipped
// with --nozip_undeclared_test_outputs). Requires IsValidTestName.
std::string ArtifactDirectory(const CorpusEnvironment& env, std::string_view test_name);

// Writes `contents` as `file_name` (no '/') into ArtifactDirectory(env,
// test_name), atomically, and returns its path; "" when there is no
// artifact folder. Errors name the path.
absl::StatusOr<std::string> WriteArtifact(const CorpusEnvironment& env, std::string_view test_name,
                                          std::string_view file_name, std::string_view contents);

// The one command that reproduces a written file:
// "bazel run //replays:laplace -- replay <path>", with the path relative to
// the workspace when it is inside one (the nearest parent with a WORKSPACE),
// and the tool's label as LaplaceToolLabel() gives it.
std::string ReproduceCommand(const std::string& path);

// The Bazel target a binary was built from, read from where it really is (bazel-bin/, runfiles
// and /proc/self/exe link to <...>/bazel-out/<config>/bin/<package>/<name>):
// "//<package>:<name>", or "" when its path does not say.
std::string BazelTargetOfBinary(const std::string& binary);

// The `laplace` tool's label as the workspace running this code writes it:
// "//replays:laplace" in Laplace's own, "@laplace//replays:laplace" (the
// repository's name) where Laplace is a dependency.
std::string LaplaceToolLabel();

// The folder to read the checked-in corpus of `test_name` from, the first
// that applies:
// 1. $TEST_SRCDIR/$TEST_WORKSPACE/<CorpusDirectory>, when both are set and
//    that folder exists: the runfiles of a test that lists its corpus as data;
// 2. $BUILD_WORKSPACE_DIRECTORY/<CorpusDirectory>: under `bazel run`, the
//    source tree itself;
// 3. <CorpusDirectory>, relative to the current directory (under `bazel test`
//    that is the runfiles tree, so a corpus not listed as data reads as
//    empty).
// The folder may not exist; ListReplayFiles() reads that as an empty corpus.
std::string CorpusReadDirectory(const CorpusEnvironment& env, std::string_view package_dir,
                                std::string_view test_name);

}  // namespace laplace::replays

#endif  // LAPLACE_REPLAYS_CORPUS_H_
