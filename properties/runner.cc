#include "properties/runner.h"

#include <exception>
#include <memory>
#include <utility>

#include "base/check.h"
#include "properties/assertions.h"
#include "properties/watchdog.h"

namespace laplace::properties {

RunReport RunOnce(const Body& body, const TapeSpec& spec, const RunOptions& options) {
  std::unique_ptr<ChoiceSource> owned;
  if (spec.source == nullptr && spec.seed.has_value()) {
    owned = std::make_unique<SeededSource>(*spec.seed);
  } else if (spec.source == nullptr) {
    owned = std::make_unique<TapeSource>(spec.tape, spec.mode);
  }
  ChoiceSource* source = spec.source != nullptr ? spec.source : owned.get();
  LoopOptions loop_options = options.loop;
  loop_options.source = source;
  const bool bounds_steps = options.bound.steps_max < loop_options.steps_max;
  const bool bounds_time = options.bound.time_max < loop_options.time_max;
  if (bounds_steps) loop_options.steps_max = options.bound.steps_max;
  if (bounds_time) loop_options.time_max = options.bound.time_max;
  loop_options.trace.keep_all = options.full_trace;
  loop_options.trace.tail_capacity = options.trace_tail;

  RunReport report;
  {
    Simulation sim(loop_options);
    Watchdog watchdog(options.watchdog, options.reproduce_hint, &sim.loop());
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
    // A failed run is reported as it stood when it failed (Simulation::final).
    Simulation::Final final = report.failure.has_value() && sim.final().has_value()
                                  ? *sim.final()
                                  : Simulation::Final{.digest = sim.loop().digest(),
                                                      .time = sim.loop().Now(),
                                                      .steps = sim.loop().steps(),
                                                      .preemptions = sim.loop().preemptions(),
                                                      .callbacks = sim.loop().callbacks_fired(),
                                                      .events = sim.loop().trace().events()};
    report.digest = final.digest;
    report.end_time = final.time;
    report.steps = final.steps;
    report.preemptions = final.preemptions;
    report.strategy = sim.loop().source().replays() ? StrategyConfig{"random-walk", {}}
                                                     : sim.loop().strategy().config();
    report.callbacks = final.callbacks;
    report.over_bound = report.failure.has_value() && report.failure->kind == kBudget &&
                        ((bounds_steps && sim.loop().steps() + sim.loop().callbacks_fired() >=
                                              options.bound.steps_max) ||
                         (bounds_time && report.end_time >= Time() + options.bound.time_max));
    // The tape as the run left it (what the body's locals draw as they are
    // destroyed afterwards is no part of it), with its streams' names.
    report.tape = source->tape();
    TrimTrailingZeros(report.tape);
    for (const Choice& choice : report.tape) {
      if (!report.stream_names.contains(choice.stream)) {
        report.stream_names.emplace(choice.stream, sim.loop().StreamName(choice.stream));
      }
    }
    for (const TraceEvent& event : final.events) {
      report.trace.push_back(sim.loop().FormatEvent(event));
    }
  }
  report.divergence = source->divergence();
  return report;
}

}  // namespace laplace::properties
