#include "properties/runner.h"

#include <exception>
#include <memory>
#include <utility>

#include "loop/internal/check.h"
#include "loop/prng.h"
#include "properties/assertions.h"
#include "properties/watchdog.h"

namespace laplace::properties {

namespace {

// A prefix of a tape replayed leniently (values reduced modulo the bound
// asked), then a seeded Prng: TapeSpec::PrefixThenSeed.
class PrefixThenSeeded final : public ChoiceSource {
 public:
  PrefixThenSeeded(Tape prefix, uint64_t seed) : prefix_(std::move(prefix)), prng_(seed) {}

  uint64_t Choose(uint64_t bound, ChoiceKind kind) override {
    if (position_ < prefix_.size()) return Record(kind, bound, prefix_[position_++].value % bound);
    return Record(kind, bound, prng_.Below(bound));
  }

 private:
  Tape prefix_;
  size_t position_ = 0;
  Prng prng_;
};

std::unique_ptr<ChoiceSource> SourceFor(const TapeSpec& spec) {
  if (spec.from_bytes) return std::make_unique<ByteSource>(spec.bytes);
  if (spec.prefix_then_seed) {
    LAPLACE_CHECK(spec.seed.has_value()) << "PrefixThenSeed without a seed";
    return std::make_unique<PrefixThenSeeded>(spec.tape, *spec.seed);
  }
  if (spec.seed.has_value()) return std::make_unique<SeededSource>(*spec.seed);
  return std::make_unique<TapeSource>(spec.tape, spec.mode);
}

}  // namespace

RunReport RunOnce(const Body& body, const TapeSpec& spec, const RunOptions& options) {
  std::unique_ptr<ChoiceSource> source = SourceFor(spec);
  LoopOptions loop_options = options.loop;
  loop_options.source = source.get();
  loop_options.trace.keep_all = options.full_trace;
  loop_options.trace.tail_capacity = options.trace_tail;

  RunReport report;
  {
    Simulation sim(loop_options);
    if (options.record_steps) {
      sim.loop().AddStepHook([&report, &loop = sim.loop()] {
        report.step_digests.push_back(StepDigest{loop.steps(), loop.digest(), loop.tape_size()});
      });
    }
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
    Simulation::Final final =
        report.failure.has_value() && sim.final().has_value()
            ? *sim.final()
            : Simulation::Final{.digest = sim.loop().digest(),
                                .time = sim.loop().Now(),
                                .steps = sim.loop().steps(),
                                .events = sim.loop().trace().events(),
                                .event_count = sim.loop().trace().event_count()};
    report.digest = final.digest;
    report.end_time = final.time;
    report.steps = final.steps;
    report.event_count = final.event_count;
    report.fault_counts = sim.loop().fault_counts();
    for (const TraceEvent& event : final.events) {
      report.trace.push_back(sim.loop().FormatEvent(event));
      report.trace_steps.push_back(event.step);
    }
  }
  report.tape = source->tape();
  TrimTrailingZeros(report.tape);
  for (const Choice& choice : report.tape) {
    report.fault_choices += choice.kind == ChoiceKind::kFault && choice.value != 0;
  }
  report.divergence = source->divergence();
  return report;
}

}  // namespace laplace::properties
