// Running one case of a property: a body, a source of choices, a report.
//
// Every run the harness makes (a seed of a sweep, a shrink candidate, a
// replay) goes through RunOnce: it makes a Simulation whose Loop draws from
// the given seed or tape, calls the body, finishes the run, and reports the
// failure (if any), the choices made, the trace digest and the readable
// trace.
//
//   laplace::properties::Body body = [](laplace::properties::Simulation& sim) {
//     ... build the system on sim.loop(), add invariants, spawn tasks ...
//   };
//   RunReport report = RunOnce(body, TapeSpec::Seed(7), {});
//   if (report.failure) std::cout << report.failure->ToString();
#ifndef LAPLACE_PROPERTIES_RUNNER_H_
#define LAPLACE_PROPERTIES_RUNNER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "loop/choice.h"
#include "loop/loop.h"
#include "properties/failure.h"
#include "properties/simulation.h"
#include "replays/trace_export/recording.h"

namespace laplace::properties {

// A property's body: builds and checks one run on `sim`.
using Body = std::function<void(Simulation&)>;

// Where a run's choices come from.
struct TapeSpec {
  static TapeSpec Seed(uint64_t seed) { return TapeSpec{.seed = seed}; }
  static TapeSpec Replay(Tape tape, TapeSource::Mode mode) {
    return TapeSpec{.tape = std::move(tape), .mode = mode};
  }
  // A source the caller drives from run to run (the bounded search's); not owned, and it must
  // be fresh: the report's tape is everything it recorded.
  static TapeSpec Driven(ChoiceSource& source) { return TapeSpec{.source = &source}; }
  // `prefix` replayed leniently, then every later choice from Prng(seed):
  // the schedule up to a point, and a random one after it (confidence.h).
  static TapeSpec PrefixThenSeed(Tape prefix, uint64_t seed) {
    return TapeSpec{.seed = seed, .tape = std::move(prefix), .prefix_then_seed = true};
  }
  // A fuzzer's bytes (loop/choice.h, ByteSource). Not owned: they must
  // outlive the run.
  static TapeSpec Bytes(std::span<const uint8_t> bytes) {
    return TapeSpec{.bytes = bytes, .from_bytes = true};
  }

  std::optional<uint64_t> seed;  // a fresh seeded run, or
  Tape tape;                     // a recorded/edited tape, or
  TapeSource::Mode mode = TapeSource::Mode::kLenient;
  ChoiceSource* source = nullptr;  // a driven source
  bool prefix_then_seed = false;   // `tape` first, then `seed`
  std::span<const uint8_t> bytes;  // with from_bytes
  bool from_bytes = false;
};

// One point of a run's step digest sequence: the trace digest once `step`
// scheduling steps were taken, and the choices made by then, recorded after
// every step and every callback timer (Loop::AddStepHook). Two runs of one
// case must have equal sequences.
struct StepDigest {
  uint64_t step = 0;
  uint64_t digest = 0;
  uint64_t choices = 0;

  friend bool operator==(const StepDigest&, const StepDigest&) = default;
};

// Bounds on one run beyond its LoopOptions' budgets: a shrink candidate is
// given what the failing run needed, with a margin (see shrinker.h), so one
// that wanders off ends at once. Reaching one ends the run as a budget
// failure and sets RunReport::over_bound.
struct RunBound {
  uint64_t steps_max = static_cast<uint64_t>(-1);
  Duration time_max = Duration::max();
};

struct RunReport;

struct RunOptions {
  // Budgets and strategy for the Loop (its `source` and `trace` are set by
  // RunOnce).
  LoopOptions loop;
  // Tighter bounds for this run (the smaller of these and `loop`'s apply).
  RunBound bound;
  // Keep the whole trace rather than its tail.
  bool full_trace = false;
  // Also keep the whole trace as a recording for the trace exports
  // (RunReport::recording); implies full_trace.
  bool record_trace = false;
  // How many of the last events a report keeps when not `full_trace`.
  size_t trace_tail = 40;
  // Also fill RunReport::trace (the kept events as text) for a run that passes; a failing run
  // always has it. Formatting the lines is most of a small run's cost, so a search that only
  // looks for failures (bench:strategies, the bounded search, a sweep) turns it off.
  bool passing_trace = true;
  // Wall-clock time without a scheduling step after which the watchdog ends the process (0 =
  // none): a task that never suspends (watchdog.h). The whole run is covered, teardown too.
  std::chrono::seconds watchdog = std::chrono::seconds(120);
  // Printed by the watchdog: how to reproduce this run.
  std::string reproduce_hint;
  // Called by the watchdog (on its thread, this one frozen) with the run as it stood at the
  // stuck step (a `hang:watchdog` failure, its tape so far); returns lines to print, e.g. where
  // its replay file went. Unset: the watchdog only prints.
  std::function<std::string(const RunReport&)> on_hang;
  // Record the step digest sequence (determinism checks, determinism.h):
  // one digest and one push per step, so only runs that are checked pay.
  bool record_steps = false;
};

inline constexpr size_t kTrailingZerosKept = 64;

struct RunReport {
  std::optional<Failure> failure;
  Tape tape;  // every choice made, trailing zeros trimmed
  // The first choices trimmed off `tape` (all zero, at most
  // kTrailingZerosKept): where the shrinker's move pass may put a value, such
  // as a preemption moved to a later point where the pick is free.
  Tape trailing_zeros;
  // How each stream on `tape` is written (StreamText), for replay files.
  StreamNames stream_names;
  uint64_t digest = 0;
  Time end_time;
  uint64_t steps = 0;
  // The strategy that scheduled the run and its parameters (loop.strategy().config()); a
  // replay's is the random walk's, whatever was asked, since its tape holds every pick.
  StrategyConfig strategy;
  // Callback timers run (with `steps`, what a run's budget counts).
  uint64_t callbacks = 0;
  // Scheduling picks that preempted a task that could have gone on.
  uint64_t preemptions = 0;
  // The run was ended by RunOptions::bound, not by its own budgets.
  bool over_bound = false;
  std::vector<std::string> trace;        // readable lines, oldest first
  std::vector<uint64_t> trace_steps;     // the step of each line of `trace`
  uint64_t event_count = 0;              // events in the whole run (trace keeps the last ones)
  std::vector<StepDigest> step_digests;  // with RunOptions::record_steps, else empty
  // Injected faults that fired, by kind (Loop::CountFault), and how many
  // kFault choices on the tape came out non-zero (counted sites or not).
  absl::btree_map<std::string, uint64_t, std::less<>> fault_counts;
  uint64_t fault_choices = 0;
  // With RunOptions::record_trace: every event, its words and the run's
  // names, for replays/trace_export (title and source are the caller's).
  std::shared_ptr<const replays::trace_export::TraceRecording> recording;
  std::optional<Divergence> divergence;
  // The same first divergence with when, where and in which task the program made that choice
  // (Loop::divergence_point); set whenever `divergence` is, for a run the body started.
  std::optional<DivergencePoint> divergence_point;
  // The body rejected this case (RC_PRE): neither a pass nor a failure.
  bool discarded = false;
  std::string discard_site;  // the RC_PRE that rejected it ("file:line"), if known

  bool failed() const { return failure.has_value(); }
};

RunReport RunOnce(const Body& body, const TapeSpec& spec, const RunOptions& options);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_RUNNER_H_
