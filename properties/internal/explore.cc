// The pipeline's search: a sweep of seeds or a RapidCheck search, and the
// shrink of what they find.
#include <cstdlib>
#include <string>
#include <utility>

#include "base/strings.h"
#include "loop/digest.h"
#include "properties/determinism.h"
#include "properties/internal/pipeline_context.h"
#include "properties/sweep.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;
using WallClock = std::chrono::steady_clock;  // allowed: progress and runs per second

std::chrono::milliseconds Since(WallClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() -  // allowed: rate
                                                               start);
}

ShrinkOptions ShrinkOptionsFor(const PipelineContext& context, std::chrono::milliseconds budget,
                               uint64_t candidates_max) {
  ShrinkOptions options{.budget = budget, .progress = context.output.shrink_progress};
  if (candidates_max != 0) options.candidates_max = candidates_max;
  return options;
}

}  // namespace

ShrinkResult ShrinkRun(const PipelineContext& context, const Body& body, const RunReport& failing,
                       std::chrono::milliseconds budget, uint64_t candidates_max) {
  const RunOptions run = context.Run("shrinking");
  return Shrink(
      [&](const Tape& tape, const RunBound& bound) {
        RunOptions bounded = run;
        bounded.bound = bound;
        return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), bounded);
      },
      failing, ShrinkOptionsFor(context, budget, candidates_max));
}

namespace {

void Absorb(const ShrinkResult& shrunk, FoundCase& found) {
  found.candidates_tried += shrunk.tried;
  found.shrink_budget_exhausted = found.shrink_budget_exhausted || shrunk.budget_exhausted;
  found.shrink_time += shrunk.elapsed;
  found.shrink_stats.Add(shrunk.stats);
  if (shrunk.accepted > 0) found.report = shrunk.report;
}

// RapidCheck shrinks a case with the tape passes it can express as values;
// the fixpoint passes and the candidates' bounds need the shrinker's own
// loop (shrinker.h), so a case RapidCheck has finished with gets one more
// Shrink with its arguments fixed, with what RapidCheck left of the budget.
void Polish(const PipelineContext& context, std::chrono::milliseconds budget, FoundCase& found) {
  if (budget <= std::chrono::milliseconds(0) || !found.report.failed()) return;
  const uint64_t candidates_max = context.options.shrink_candidates_max;
  if (candidates_max != 0 && found.candidates_tried >= candidates_max) {
    found.shrink_budget_exhausted = true;
    return;
  }
  CaseArgs args;
  absl::StatusOr<Body> body = context.property.cases->ForReproduce(found.args_reproduce, args);
  if (!body.ok()) return;
  Absorb(ShrinkRun(context, *body, found.report, budget,
                   candidates_max == 0 ? 0 : candidates_max - found.candidates_tried),
         found);
}

// "scheduled by pct:depth=2,steps=40 (the portfolio's member for seed 9)".
std::string ScheduledBy(const PipelineContext& context, const RunReport& report, uint64_t seed) {
  std::string text = Cat("scheduled by ", report.strategy.ToString());
  if (context.options.loop.strategy != nullptr &&
      context.options.loop.strategy->name() == "portfolio") {
    Append(text, " (the portfolio's member for seed ", seed, ")");
  }
  return text;
}

}  // namespace

void Tally(const PipelineContext& context, const RunReport& report) {
  RunStats& stats = context.result.stats;
  if (report.discarded) {
    ++stats.discarded;
  } else if (report.failed()) {
    ++stats.failed;
  } else {
    ++stats.passed;
  }
  for (const auto& [name, count] : report.fault_counts) stats.faults[name] += count;
  stats.fault_choices += report.fault_choices;
  if (report.fault_choices > 0 || !report.fault_counts.empty()) ++stats.runs_with_faults;
}

namespace {

// The rerun of a sweep's case: its body on its seed. A case a strategy other than the random
// walk scheduled (`original`'s) is rerun from its tape instead: such a strategy learns across
// runs (PCT's k, SURW's lengths), so the seed alone would schedule differently by now, and the
// tape holds every pick it made (loop/strategy.h). No fresh process can rebuild what it
// learned either, so that half of the check is skipped for it.
CaseRerun SeedRerun(Body body, uint64_t seed, int size, const RunReport* original = nullptr) {
  if (original != nullptr && original->strategy.name != "random-walk") {
    return CaseRerun{
        .what = Cat("seed ", seed, " (size ", size, "), from its tape (scheduled by ",
                    original->strategy.ToString(), ")"),
        .run = [body = std::move(body), tape = original->tape](const RunOptions& options) {
          return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), options);
        }};
  }
  return CaseRerun{.what = Cat("seed ", seed, " (size ", size, ")"),
                   .run =
                       [body = std::move(body), seed](const RunOptions& options) {
                         return RunOnce(body, TapeSpec::Seed(seed), options);
                       },
                   .fresh = SeedChoice{seed, size}};
}

// The rerun of a case RapidCheck found and shrank: its arguments and its tape.
CaseRerun FoundRerun(const PipelineContext& context, const FoundCase& found) {
  CaseArgs args;
  absl::StatusOr<Body> body = context.property.cases->ForReproduce(found.args_reproduce, args);
  CaseRerun rerun{
      .what = Cat("the failing RapidCheck case (from seed ", found.seed, ":", found.size, ")")};
  if (!body.ok()) return rerun;  // no rerun: Polish and the replay report the arguments
  rerun.run = [body = *std::move(body), tape = found.report.tape](const RunOptions& options) {
    return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), options);
  };
  return rerun;
}

// What the pipeline does after each fresh RapidCheck case: statistics,
// progress, and the determinism check of sampled cases.
class RapidCheckCases {
 public:
  RapidCheckCases(const PipelineContext& context, uint64_t cases)
      : context_(context),
        start_(WallClock::now()),  // allowed: progress and runs per second
        progress_{.runs_planned = cases} {}

  void After(const Body& body, uint64_t case_seed, int size, const RunReport& report) {
    // RapidCheck reruns the case it reports: one failure, counted once.
    if (report.failed() && std::exchange(failure_counted_, true)) return;
    Tally(context_, report);
    if (context_.output.explore_progress) {
      ++progress_.runs;
      progress_.failures += report.failed();
      progress_.discarded += report.discarded;
      progress_.elapsed = elapsed();
      context_.output.explore_progress(progress_);
    }
    if (report.failed() || report.discarded ||
        !ChecksDeterminismOf(context_, case_seed, std::exchange(first_case_, false))) {
      return;
    }
    nondeterministic_ =
        !CheckDeterminism(context_, SeedRerun(body, case_seed, size, &report), report, "");
  }
  bool nondeterministic() const { return nondeterministic_; }
  std::chrono::milliseconds elapsed() const { return Since(start_); }

 private:
  const PipelineContext& context_;
  WallClock::time_point start_;
  ExploreProgress progress_;
  bool first_case_ = true;
  bool failure_counted_ = false;
  bool nondeterministic_ = false;
};

// RapidCheck gave up or failed itself: a problem, pointing at the RC_PRE
// that rejected the cases when there is one.
void ReportRapidCheckError(const PipelineContext& context, const RapidCheckOutcome& outcome) {
  std::string file = context.property.source_file;
  int line = context.property.line;
  std::string message = "RapidCheck: " + outcome.error;
  if (!outcome.discard_site.empty()) {
    size_t colon = outcome.discard_site.rfind(':');
    file = outcome.discard_site.substr(0, colon);
    line = std::atoi(outcome.discard_site.c_str() + colon + 1);
    Append(message, " (the precondition that rejected the cases: ", outcome.discard_site, ")");
  }
  context.Problem(std::move(message), std::move(file), line);
}

}  // namespace

std::optional<FoundFailure> ExploreSeeds(const PipelineContext& context, uint64_t first_seed,
                                         uint64_t seeds, std::optional<int> size,
                                         bool print_trace) {
  const PropertyOptions& options = context.options;
  CaseArgs failing_args;
  Body failing_body;
  int failing_size = 0;
  bool first_case = true;
  bool nondeterministic = false;
  bool failure_checked = false;
  SweepResult sweep = Sweep(
      [&](uint64_t seed) {
        int case_size = size.value_or(static_cast<int>(seed % (options.max_size + 1)));
        CaseArgs args;
        Body body = context.property.cases->ForSeed(seed, case_size, args);
        RunOptions run =
            context.Run(Cat("rerun with LAPLACE_SEED=", seed, ":", case_size, " to reproduce"));
        // One seed asked for (print_trace): its whole trace, printed and exported.
        run.record_trace = print_trace;
        run.on_hang = context.HangWriter(seed, case_size, args);
        const bool check_determinism =
            ChecksDeterminismOf(context, seed, std::exchange(first_case, false));
        // A passing run's trace is read only to compare it with its rerun.
        run.passing_trace = check_determinism;
        RunReport report = RunOnce(body, TapeSpec::Seed(seed), run);
        if (print_trace) {
          if (context.settings.trace) {
            context.Note(Cat("seed ", seed, ":", case_size, report.failed() ? " failed" : " passed",
                             "; its trace:\n", WholeTrace(context, report)));
          }
          WriteTraceOut(context, report, Cat("seed ", seed, ":", case_size));
        }
        Tally(context, report);
        if (check_determinism) {
          failure_checked = report.failed();
          nondeterministic = !CheckDeterminism(context, SeedRerun(body, seed, case_size, &report),
                                               report, Cat("seed ", seed));
        }
        if (report.failed()) {
          failing_args = std::move(args);
          failing_body = std::move(body);
          failing_size = case_size;
        }
        return report;
      },
      {.first_seed = first_seed,
       .seeds = seeds,
       .budget = options.sweep_budget,
       .shard = size.has_value() ? Shard{} : context.settings.shard,
       .stop = [&] { return nondeterministic; },
       .progress = context.output.explore_progress});
  PropertyResult& result = context.result;
  result.runs += sweep.runs;
  result.discarded += sweep.discarded;
  result.sweep_budget_exhausted = sweep.budget_exhausted;
  result.explore_time += sweep.elapsed;
  if (!sweep.failing_seed.has_value() || nondeterministic) return std::nullopt;
  const std::string how_found =
      Cat("seed ", *sweep.failing_seed, " after ", sweep.runs, " run(s), ",
          ScheduledBy(context, *sweep.report, *sweep.failing_seed));
  // A failure is rerun at once: one that does not reproduce cannot be shrunk or replayed.
  if (!failure_checked &&
      !CheckDeterminism(context,
                        SeedRerun(failing_body, *sweep.failing_seed, failing_size, &*sweep.report),
                        *sweep.report, how_found)) {
    return std::nullopt;
  }
  return ShrinkFound(context, failing_body, *sweep.report,
                     {*sweep.failing_seed, failing_size, std::move(failing_args)}, how_found);
}

FoundFailure ShrinkFound(const PipelineContext& context, const Body& body, const RunReport& failing,
                         FoundOrigin origin, std::string how_found) {
  ShrinkResult shrunk = ShrinkRun(context, body, failing, context.options.shrink_budget,
                                  context.options.shrink_candidates_max);
  FoundFailure failure;
  failure.found = FoundCase{.strategy = failing.strategy,
                            .seed = origin.seed,
                            .size = origin.size,
                            .args_reproduce = std::move(origin.args.reproduce),
                            .args_rendering = std::move(origin.args.rendering),
                            .report = shrunk.report,
                            .original_length = shrunk.original_length,
                            .original_nonzero = NonZeroChoices(failing.tape),
                            .candidates_tried = shrunk.tried,
                            .shrink_budget_exhausted = shrunk.budget_exhausted,
                            .shrink_time = shrunk.elapsed,
                            .shrink_stats = shrunk.stats};
  failure.how_found = std::move(how_found);
  return failure;
}

void DumpCase(const PipelineContext& context) {
  const SeedChoice& choice = *context.settings.seed;
  const int size =
      choice.size.value_or(static_cast<int>(choice.seed % (context.options.max_size + 1)));
  CaseArgs args;
  RunOptions run = context.Run("the fresh-process half of a determinism check");
  run.record_steps = true;
  run.full_trace = true;
  RunReport report =
      SeedRerun(context.property.cases->ForSeed(choice.seed, size, args), choice.seed, size)
          .run(run);
  absl::Status written = WriteRunRecord(context.settings.determinism_dump, RecordOfRun(report));
  if (!written.ok()) context.Problem(std::string(written.message()));
}

std::optional<FoundFailure> ExploreWithRapidCheck(const PipelineContext& context,
                                                  uint64_t base_seed) {
  const PropertyOptions& options = context.options;
  const Shard shard = context.settings.shard;
  RapidCheckSettings settings{
      .test_name = context.property.name,
      // With base seed 0 this is the seed every earlier version used.
      .seed = HashString(context.property.name) + base_seed * 0x9e3779b97f4a7c15ULL + shard.index,
      .cases =
          static_cast<int>((static_cast<uint64_t>(options.cases) + shard.count - 1) / shard.count),
      .max_size = options.max_size,
      .shrink_budget = options.shrink_budget,
      .shrink_candidates_max = options.shrink_candidates_max,
      .run = context.Run("a RapidCheck case of " + context.property.name),
      .hang_writer = [&context](uint64_t seed, int size, const CaseArgs& args) {
        return context.HangWriter(seed, size, args);
      }};
  if (context.output.shrink_progress) {
    settings.progress = [&context](const FoundCase& found) {
      context.output.shrink_progress(ShrinkProgress{.tried = found.candidates_tried,
                                                    .length = found.report.tape.size(),
                                                    .nonzero = NonZeroChoices(found.report.tape),
                                                    .preemptions = found.report.preemptions});
    };
  }
  RapidCheckCases watcher(context, static_cast<uint64_t>(settings.cases));
  settings.after_case = [&watcher](const Body& body, uint64_t case_seed, int size,
                                   const RunReport& report) {
    watcher.After(body, case_seed, size, report);
  };
  settings.stop = [&watcher] { return watcher.nondeterministic(); };
  RapidCheckOutcome outcome = context.property.cases->Check(settings);
  PropertyResult& result = context.result;
  result.explore_time += watcher.elapsed();
  result.stats.classes = std::move(outcome.classes);
  // Runs RapidCheck made to shrink are not cases (counted before Polish adds its own candidates).
  const uint64_t cases = static_cast<uint64_t>(outcome.cases_run) -
                         (outcome.found.has_value() ? outcome.found->candidates_tried : 0);
  result.runs += cases;
  result.discarded += static_cast<uint64_t>(outcome.discarded);
  if (!outcome.error.empty()) {
    ReportRapidCheckError(context, outcome);
    return std::nullopt;
  }
  const bool nondeterministic = watcher.nondeterministic();
  if (!outcome.found.has_value() || nondeterministic) return std::nullopt;
  FoundCase found = std::move(*outcome.found);
  const uint64_t seed = found.seed;
  const int size = found.size;
  if (!CheckDeterminism(context, FoundRerun(context, found), found.report,
                        Cat("a RapidCheck case of seed ", seed, ":", size))) {
    return std::nullopt;
  }
  Polish(context, outcome.shrink_budget_left, found);
  FoundFailure failure{.found = std::move(found)};
  failure.how_found = Cat("a RapidCheck case (LAPLACE_SEED=", seed, ":", size,
                          " reruns it before shrinking) after ", cases, " case(s), scheduled by ",
                          failure.found.strategy.ToString());
  return failure;
}

}  // namespace laplace::properties::internal
