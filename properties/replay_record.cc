#include "properties/replay_record.h"

#include <algorithm>
#include <utility>

#include "base/strings.h"
#include "properties/address_space.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using laplace::internal::Cat;

constexpr char kLaplaceVersion[] = "0.1.0";

std::string Compiler() {
#if defined(__clang__)
  return Cat("clang ", __clang_major__, ".", __clang_minor__, ".", __clang_patchlevel__);
#elif defined(__GNUC__)
  return Cat("g++ ", __GNUC__, ".", __GNUC_MINOR__, ".", __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

bool AddressSanitizer() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

std::string BuildMode() {
#if defined(NDEBUG)
  std::string mode = "opt";
#elif defined(__OPTIMIZE__)
  std::string mode = "optimized";
#else
  std::string mode = "fastbuild";
#endif
  if (AddressSanitizer()) mode += "+asan";
  return mode;
}

void SetShrinkStats(const ShrinkStats& stats, replays::Shrinking& out) {
  auto ms = [&](CandidateOutcome outcome) {
    return static_cast<uint64_t>(stats.time_of(outcome).count() / 1000);
  };
  out.set_candidates_same_failure(stats.count(CandidateOutcome::kSameFailure));
  out.set_candidates_passed(stats.count(CandidateOutcome::kPassed));
  out.set_candidates_other_failure(stats.count(CandidateOutcome::kOtherFailure));
  out.set_candidates_over_bound(stats.count(CandidateOutcome::kOverBound));
  out.set_same_failure_ms(ms(CandidateOutcome::kSameFailure));
  out.set_passed_ms(ms(CandidateOutcome::kPassed));
  out.set_other_failure_ms(ms(CandidateOutcome::kOtherFailure));
  out.set_over_bound_ms(ms(CandidateOutcome::kOverBound));
  for (const auto& [pass, accepted] : stats.progress) {
    replays::PassProgress* progress = out.add_progress();
    progress->set_pass(pass);
    progress->set_accepted(accepted);
  }
}

// The verdict on a rerun that stopped fitting its file: where, and what to do.
ReplayVerdict Diverged(const RunReport& rerun) {
  std::string where = rerun.divergence_point.has_value() ? rerun.divergence_point->ToString()
                                                         : rerun.divergence->ToString();
  return {.ok = false,
          .message = Cat("diverged: the program no longer makes the choices this file recorded "
                         "(the code changed under it), so it no longer replays its scenario.\n"
                         "  where: ",
                         where,
                         "\n"
                         "  what to do: rebuild it on the new code with --laplace_record (or "
                         "LAPLACE_RECORD=1; under bazel test: --test_env=LAPLACE_RECORD=1), which "
                         "reruns its arguments with its tape's choices kept stream by stream and "
                         "rewrites it; or delete the file if its scenario no longer matters."),
          .diverged = true};
}

}  // namespace

replays::Replay MakeReplay(const FoundCase& found, replays::Expectation expect) {
  replays::Replay replay;
  replay.set_format_version(replays::kFormatVersion);
  replay.set_test_name(found.test_name);
  if (!found.bazel_target.empty()) replay.set_bazel_target(found.bazel_target);
  replay.mutable_strategy()->set_name(found.strategy.name);
  for (const StrategyParameter& parameter : found.strategy.parameters) {
    replays::Parameter* out = replay.mutable_strategy()->add_parameters();
    out->set_name(parameter.name);
    out->set_value(parameter.value);
  }
  replay.set_seed(found.seed);
  Tape tape = found.report.tape;
  TrimTrailingZeros(tape);
  replays::SetReplayTape(tape, found.report.stream_names, replay);
  replay.mutable_arguments()->set_rapidcheck_reproduce(found.args_reproduce);
  for (const std::string& line : found.args_rendering) {
    replay.mutable_arguments()->add_rendering(line);
  }
  replay.set_expect(expect);
  if (found.report.failure.has_value()) {
    const Failure& failure = *found.report.failure;
    replays::FailureRecord* out = replay.mutable_failure();
    out->set_signature(failure.signature());
    out->set_kind(failure.kind);
    out->set_message(failure.message);
    out->set_virtual_time_ns(failure.time.time_since_epoch().count());
    out->set_step(failure.step);
    out->set_preemptions(found.report.preemptions);
  }
  replay.set_trace_digest(replays::FormatDigest(found.report.digest));
  for (const std::string& line : found.report.trace) {
    // The file keeps one event per line; a note with a line break is split.
    size_t start = 0;
    while (start <= line.size()) {
      size_t end = line.find('\n', start);
      if (end == std::string::npos) end = line.size();
      replay.add_trace_tail(line.substr(start, end - start));
      start = end + 1;
    }
  }
  for (const std::string& line : found.causal_chain) replay.add_causal_chain(line);
  replay.set_causal_ancestors(found.causal_ancestors);
  replay.mutable_shrinking()->set_original_length(found.original_length);
  replay.mutable_shrinking()->set_original_nonzero(found.original_nonzero);
  replay.mutable_shrinking()->set_shrunk_nonzero(NonZeroChoices(tape));
  replay.mutable_shrinking()->set_shrunk_length(tape.size());
  replay.mutable_shrinking()->set_candidates_tried(found.candidates_tried);
  replay.mutable_shrinking()->set_budget_exhausted(found.shrink_budget_exhausted);
  SetShrinkStats(found.shrink_stats, *replay.mutable_shrinking());
  replay.mutable_environment()->set_compiler(Compiler());
  replay.mutable_environment()->set_build_mode(BuildMode());
  replay.mutable_environment()->set_laplace_version(kLaplaceVersion);
  replay.mutable_environment()->set_address_space_mib(AddressSpaceLimitMib());
  return replay;
}

ReplayVerdict CheckRerun(const replays::Replay& file, const RunReport& rerun) {
  const bool expect_failure = file.expect() == replays::EXPECT_FAILURE;
  if (rerun.discarded) {
    return {false,
            "is now rejected by a precondition (RC_PRE), so it checks nothing; delete it "
            "or record it again"};
  }
  std::string expected_signature = file.failure().signature();
  std::string digest = replays::FormatDigest(rerun.digest);
  if (expect_failure) {
    if (rerun.divergence.has_value()) return Diverged(rerun);
    if (!rerun.failed()) {
      return {false, Cat("no longer fails; it expected ", expected_signature,
                         ". If the bug is fixed, set `expect: EXPECT_PASS` in the file (it then "
                         "guards against the bug coming back) or delete it.")};
    }
    if (rerun.failure->signature() != expected_signature) {
      return {false, Cat("fails differently: ", rerun.failure->signature(), " instead of ",
                         expected_signature, " (", rerun.failure->ToString(), ")")};
    }
    if (digest != file.trace_digest()) {
      return {false,
              Cat("fails as expected (", expected_signature, "), but the trace differs: digest ",
                  digest, ", the file has ", file.trace_digest(),
                  ". The code under test changed; record the failure again.")};
    }
    return {true,
            Cat("reproduced ", expected_signature, " with the same trace (digest ", digest, ")")};
  }
  if (rerun.failed()) {
    std::string message = Cat("fails: ", rerun.failure->ToString());
    if (!expected_signature.empty() && rerun.failure->signature() == expected_signature) {
      laplace::internal::Append(message, " (the bug this file was recorded for)");
    }
    return {false, message};
  }
  if (rerun.divergence.has_value()) return Diverged(rerun);
  return {true, "passes"};
}

}  // namespace laplace::properties
