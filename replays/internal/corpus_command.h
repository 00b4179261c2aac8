// `laplace corpus list|dedupe|prune`: looking after the corpus folders of a workspace.
//
//   laplace corpus list examples/                    one line per file: test, signature, size
//   laplace corpus dedupe --dry_run examples/        what one-file-per-failure would remove
//   laplace corpus prune --binary=bazel-bin/examples/bank/bank_test examples/  only bank_test's
//   files
//
// A FOLDER is a test's corpus folder (<package>/replays/<Suite.Test>/) or any folder above
// such folders (a package, the workspace), searched without following links (so bazel-*
// output trees are skipped).
#ifndef LAPLACE_REPLAYS_INTERNAL_CORPUS_COMMAND_H_
#define LAPLACE_REPLAYS_INTERNAL_CORPUS_COMMAND_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace laplace::replays::internal {

// The `corpus` part of `laplace help`.
inline constexpr char kCorpusUsage[] =
    R"(  corpus list FOLDER...
                     One line per replay file under FOLDER (tab-separated):
                     file, test, expectation, failure signature, non-zero
                     choices, choices, bytes.
  corpus dedupe [--dry_run] FOLDER...
                     Remove each file whose rebuild is there too (a file
                     whose `rebuilt` names its digest: "superseded by its
                     rebuild"), then keep one file per test, expectation and
                     failure signature: the simplest (fewest non-zero
                     choices, then shortest tape); remove the others, saying
                     which file makes each redundant.
  corpus prune --binary=TEST_BINARY [--target=//pkg:name] [--dry_run] FOLDER...
                     Judge the files of TEST_BINARY's own Bazel target (read
                     from its path under bazel-bin/, or --target; each file
                     names its bazel_target) and keep every other target's:
                     remove those whose test TEST_BINARY no longer has
                     (--gtest_list_tests) and those that diverge on the code
                     it was built from (each is replayed once with
                     LAPLACE_REPLAY, LAPLACE_ON_DIVERGENCE=fail), and the
                     folders that leaves empty. Prints every file it keeps
                     and why (another target's, holds, still fails, cannot
                     be read). Rebuild a diverged file rather than prune it
                     when its scenario still matters: LAPLACE_RECORD=1
                     (docs/ci.md).
)";

// Runs `laplace corpus <words>`; `resolve` makes a command-line path absolute. Exit status: 0
// done, 1 a file that could not be read or removed (or a binary that could not be run), 2 a
// usage error.
int CorpusCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err,
                  const std::function<std::string(const std::string&)>& resolve);

}  // namespace laplace::replays::internal

#endif  // LAPLACE_REPLAYS_INTERNAL_CORPUS_COMMAND_H_
