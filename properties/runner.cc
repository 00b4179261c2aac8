#include "properties/runner.h"

#include <algorithm>
#include <cstddef>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "base/check.h"
#include "base/strings.h"
#include "loop/prng.h"
#include "properties/assertions.h"
#include "properties/watchdog.h"

namespace laplace::properties {

namespace {

// A prefix of a tape replayed in order (values reduced modulo the bound
// asked; the same code asks the same streams in the same order), then a
// seeded Prng: TapeSpec::PrefixThenSeed.
class PrefixThenSeeded final : public ChoiceSource {
 public:
  PrefixThenSeeded(Tape prefix, uint64_t seed) : prefix_(std::move(prefix)), prng_(seed) {}

  using ChoiceSource::Choose;
  uint64_t Choose(uint64_t bound, ChoiceKind kind, StreamId stream) override {
    if (position_ < prefix_.size()) {
      return Record(kind, bound, prefix_[position_++].value % bound, stream);
    }
    return Record(kind, bound, prng_.Below(bound), stream);
  }
  // The prefix holds the recorded run's picks (a strategy's included), so
  // the Loop schedules as the random walk does, as it does for any replay.
  bool replays() const override { return true; }

 private:
  Tape prefix_;
  size_t position_ = 0;
  Prng prng_;
};

// The Loop RunOnce runs on, kept between runs on this thread.
thread_local std::unique_ptr<Loop> spare_loop;

std::unique_ptr<ChoiceSource> SourceFor(const TapeSpec& spec) {
  if (spec.from_bytes) return std::make_unique<ByteSource>(spec.bytes);
  if (spec.prefix_then_seed) {
    LAPLACE_CHECK(spec.seed.has_value()) << "PrefixThenSeed without a seed";
    return std::make_unique<PrefixThenSeeded>(spec.tape, *spec.seed);
  }
  if (spec.seed.has_value()) return std::make_unique<SeededSource>(*spec.seed);
  return std::make_unique<TapeSource>(spec.tape, spec.mode);
}

// The tape as the run left it, with its streams' names, and (with `trace`) the kept trace as text.
void FillTapeAndTrace(const Loop& loop, const ChoiceSource& source,
                      const std::vector<TraceEvent>& events, RunReport& report, bool trace = true) {
  const Tape& made = source.tape();
  report.tape = made;
  TrimTrailingZeros(report.tape);
  const size_t trailing_end = std::min(made.size(), report.tape.size() + kTrailingZerosKept);
  report.trailing_zeros.assign(made.begin() + static_cast<std::ptrdiff_t>(report.tape.size()),
                               made.begin() + static_cast<std::ptrdiff_t>(trailing_end));
  for (const Choice& choice : report.tape) {
    if (!report.stream_names.contains(choice.stream)) {
      report.stream_names.emplace(choice.stream, loop.StreamName(choice.stream));
    }
    report.fault_choices += choice.kind == ChoiceKind::kFault && choice.value != 0;
  }
  if (!trace) return;
  for (const TraceEvent& event : events) {
    report.trace.push_back(loop.FormatEvent(event));
    report.trace_steps.push_back(event.step);
  }
}

// The run as it stood when the watchdog froze it: a hang at the current step.
RunReport HangReport(const Loop& loop, const ChoiceSource& source, std::chrono::seconds timeout) {
  RunReport report;
  std::string_view label = loop.label(loop.current_task());
  report.failure =
      Failure{.kind = kHang,
              .site = "watchdog",
              .message = ::laplace::internal::Cat(
                  "no scheduling step for ", timeout.count(), "s of wall time: task #",
                  loop.current_task(), label.empty() ? "" : " '", label, label.empty() ? "" : "'",
                  " never suspended after step ", loop.steps()),
              .time = loop.Now(),
              .step = loop.steps()};
  report.digest = loop.digest();
  report.end_time = loop.Now();
  report.steps = loop.steps();
  report.preemptions = loop.preemptions();
  report.callbacks = loop.callbacks_fired();
  report.event_count = loop.trace().event_count();
  report.fault_counts = loop.fault_counts();
  FillTapeAndTrace(loop, source, loop.trace().events(), report);
  return report;
}

}  // namespace

RunReport RunOnce(const Body& body, const TapeSpec& spec, const RunOptions& options) {
  std::unique_ptr<ChoiceSource> owned = spec.source != nullptr ? nullptr : SourceFor(spec);
  ChoiceSource* source = spec.source != nullptr ? spec.source : owned.get();
  LoopOptions loop_options = options.loop;
  loop_options.source = source;
  const bool bounds_steps = options.bound.steps_max < loop_options.steps_max;
  const bool bounds_time = options.bound.time_max < loop_options.time_max;
  if (bounds_steps) loop_options.steps_max = options.bound.steps_max;
  if (bounds_time) loop_options.time_max = options.bound.time_max;
  loop_options.trace.keep_all = options.full_trace || options.record_trace;
  loop_options.trace.tail_capacity = options.trace_tail;

  // One Loop per thread, Reset between runs (Loop::Reset keeps its memory; what a reset Loop
  // does equals what a new one would). A nested RunOnce finds none spare and makes its own.
  std::unique_ptr<Loop> loop = std::move(spare_loop);
  if (loop == nullptr) loop = std::make_unique<Loop>();
  struct GiveBack {
    std::unique_ptr<Loop>& loop;
    ~GiveBack() { spare_loop = std::move(loop); }
  } give_back{loop};

  RunReport report;
  // Armed before the Simulation is made and disarmed after it is destroyed: the whole case.
  Watchdog watchdog(options.watchdog, options.reproduce_hint);
  {
    Simulation sim(*loop, loop_options);
    Watchdog::HangHandler on_hang;
    if (options.on_hang) {
      on_hang = [&] { return options.on_hang(HangReport(sim.loop(), *source, options.watchdog)); };
    }
    watchdog.Watch(&sim.loop(), std::move(on_hang));
    if (options.record_steps) {
      sim.loop().AddStepHook([&report, &loop = sim.loop()] {
        report.step_digests.push_back(StepDigest{loop.steps(), loop.digest(), loop.tape_size()});
      });
    }
    ::laplace::internal::ScopedCheckContext context(&options.reproduce_hint);
    try {
      body(sim);
      sim.Finish();
    } catch (const AssertionFailed&) {
      // Already recorded by the assertion.
    } catch (...) {
      ExceptionFailure thrown = ClassifyException(std::current_exception());
      if (thrown.discard) {
        sim.Discard(thrown.site);
      } else {
        sim.Fail(thrown.kind, thrown.site, "the property body threw: " + thrown.message);
      }
    }
    report.discarded = sim.discarded();
    report.discard_site = sim.discard_site();
    report.failure = report.discarded ? std::nullopt : sim.failure();
    const bool text_trace =
        options.passing_trace || report.failure.has_value() || options.record_trace;
    // A failed run is reported as it stood when it failed (Simulation::final).
    Simulation::Final final =
        report.failure.has_value() && sim.final().has_value()
            ? *sim.final()
            : Simulation::Final{.digest = sim.loop().digest(),
                                .time = sim.loop().Now(),
                                .steps = sim.loop().steps(),
                                .preemptions = sim.loop().preemptions(),
                                .callbacks = sim.loop().callbacks_fired(),
                                .events = text_trace ? sim.loop().trace().events()
                                                     : std::vector<TraceEvent>{},
                                .event_count = sim.loop().trace().event_count()};
    report.digest = final.digest;
    report.end_time = final.time;
    report.steps = final.steps;
    report.preemptions = final.preemptions;
    report.strategy = sim.loop().source().replays() ? StrategyConfig{"random-walk", {}}
                                                    : sim.loop().strategy().config();
    report.callbacks = final.callbacks;
    report.event_count = final.event_count;
    report.fault_counts = sim.loop().fault_counts();
    report.divergence_point = sim.loop().divergence_point();
    report.over_bound = report.failure.has_value() && report.failure->kind == kBudget &&
                        ((bounds_steps && sim.loop().steps() + sim.loop().callbacks_fired() >=
                                              options.bound.steps_max) ||
                         (bounds_time && report.end_time >= Time() + options.bound.time_max));
    // What the body's locals draw as they are destroyed afterwards is no part of the tape.
    FillTapeAndTrace(sim.loop(), *source, final.events, report, text_trace);
    if (options.record_trace) {
      auto recording = std::make_shared<replays::trace_export::TraceRecording>(
          replays::trace_export::RecordingOf(sim.loop(), final.events));
      recording->digest = final.digest;
      if (report.failure.has_value()) {
        recording->failure = report.failure->ToString();
        recording->signature = report.failure->signature();
      }
      report.recording = std::move(recording);
    }
    watchdog.Watch(nullptr, {});  // the teardown is timed too, with no Loop to read
  }
  report.divergence = source->divergence();
  return report;
}

}  // namespace laplace::properties
