// Rebuilding a corpus file that diverged (--laplace_record): its scenario, run on the new code.
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_join.h"
#include "base/strings.h"
#include "properties/internal/pipeline_context.h"
#include "properties/shrinker.h"
#include "replays/corpus.h"
#include "replays/corpus_files.h"
#include "replays/replay_file.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

// Why the scenario's run on the new code cannot stand for the file, or "" when it can: an
// EXPECT_FAILURE file needs the same failure signature, any other one a pass.
std::string Unfit(const replays::Replay& file, const RunReport& run) {
  if (run.discarded) return "its arguments are now rejected by a precondition (RC_PRE)";
  const std::string& signature = file.failure().signature();
  if (file.expect() != replays::EXPECT_FAILURE) {
    if (run.failed()) return Cat("on the new code its scenario fails: ", run.failure->ToString());
    return "";
  }
  if (!run.failed()) {
    return Cat("on the new code its scenario no longer fails (the file expects ", signature,
               "); if the bug is fixed, set `expect: EXPECT_PASS` in it or delete it");
  }
  if (run.failure->signature() != signature) {
    return Cat("on the new code its scenario fails differently: ", run.failure->signature(),
               " instead of ", signature);
  }
  return "";
}

// The new file for the scenario's run `run`: the old file's case, the run's tape, digest and
// tail; the old failure record is kept for an EXPECT_PASS file (the bug it guards against).
replays::Replay NewFile(const replays::Replay& file, const RunReport& run,
                        const DivergencePoint* where) {
  FoundCase found{.test_name = file.test_name(),
                  .bazel_target = file.bazel_target(),
                  .seed = file.seed(),
                  .args_reproduce = file.arguments().rapidcheck_reproduce(),
                  .report = run};
  found.strategy.name = file.strategy().name();
  for (const replays::Parameter& parameter : file.strategy().parameters()) {
    found.strategy.parameters.push_back({parameter.name(), parameter.value()});
  }
  for (const std::string& line : file.arguments().rendering()) found.args_rendering.push_back(line);
  replays::Replay rebuilt = MakeReplay(found, file.expect());
  if (!run.failed() && file.has_failure()) *rebuilt.mutable_failure() = file.failure();
  const uint64_t shrunk_length = rebuilt.shrinking().shrunk_length();
  const uint64_t shrunk_nonzero = rebuilt.shrinking().shrunk_nonzero();
  *rebuilt.mutable_shrinking() = file.shrinking();
  rebuilt.mutable_shrinking()->set_shrunk_length(shrunk_length);
  rebuilt.mutable_shrinking()->set_shrunk_nonzero(shrunk_nonzero);
  rebuilt.mutable_rebuilt()->set_from_digest(file.trace_digest());
  if (where != nullptr) rebuilt.mutable_rebuilt()->set_divergence(where->ToString());
  return rebuilt;
}

}  // namespace

absl::StatusOr<std::string> RebuildDivergedFile(const PipelineContext& context,
                                                const std::string& path,
                                                const replays::Replay& file, const Body& body,
                                                const DivergencePoint* where) {
  RunOptions run = context.Run("rebuilding " + path);
  // Lenient: one cursor per stream and kind, so every stream's entries stay where they were
  // (the same faults at the same places) and a choice the old code never made is 0.
  RunReport scenario = RunOnce(
      body, TapeSpec::Replay(replays::TapeFromReplay(file), TapeSource::Mode::kLenient), run);
  std::string unfit = Unfit(file, scenario);
  if (!unfit.empty()) return absl::FailedPreconditionError(unfit);
  replays::Replay rebuilt = NewFile(file, scenario, where);
  RunReport check = RunOnce(
      body, TapeSpec::Replay(replays::TapeFromReplay(rebuilt), TapeSource::Mode::kStrict), run);
  ReplayVerdict verdict = CheckRerun(rebuilt, check);
  if (!verdict.ok) {
    return absl::FailedPreconditionError(
        Cat("the rebuilt file does not replay the same way twice: ", verdict.message));
  }
  const std::string directory =
      replays::CorpusWriteDirectory(context.settings.corpus, context.property.CorpusPackage(),
                                    file.test_name(), context.property.source_file);
  const std::string old_name = std::filesystem::path(path).filename().string();
  absl::StatusOr<replays::CorpusAddition> added =
      replays::AddToCorpus(directory, rebuilt, old_name);
  if (!added.ok()) return added.status();
  if (!added->written) {
    return absl::AlreadyExistsError(
        Cat("its rebuilt scenario fails as ", added->path,
            " does, which is at least as simple: this file is a duplicate; delete it (`laplace "
            "corpus dedupe` does)"));
  }
  std::string outcome = Cat("rebuilt on the new code as ", added->path);
  if (!added->removed.empty()) {
    Append(outcome, ", replacing ", absl::StrJoin(added->removed, ", "));
  }
  std::error_code error;
  if (std::filesystem::exists(path, error) &&
      !std::filesystem::equivalent(path, added->path, error)) {
    Append(outcome, "; ", path, " was read from outside that corpus and is still there");
  }
  return outcome;
}

}  // namespace laplace::properties::internal
