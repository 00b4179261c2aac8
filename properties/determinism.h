// Determinism checks: a case run again must make the same run, step for step.
//
// Everything Laplace does rests on one promise: a case's run depends on its
// seed (or tape) alone. A property that keeps state across runs (a static
// counter, a cache, a singleton), reads the wall clock, starts a thread or
// iterates an unordered container breaks it silently: its failures do not
// replay, shrinking chases ghosts, and a printed `--laplace_seed` passes.
// The pipeline therefore reruns cases (settings.h, DeterminismCheck: a
// share of the cases, the first one, and every found failure before it is
// shrunk) with their step digest sequence recorded (runner.h, StepDigest),
// and reports the first step where two runs differ, with both runs' events
// around it. This header holds the comparison; the pipeline decides when.
//
//   RunReport a = RunOnce(body, TapeSpec::Seed(7), {.record_steps = true});
//   RunReport b = RunOnce(body, TapeSpec::Seed(7), {.record_steps = true});
//   std::optional<std::string> difference =
//       DescribeDifference(RecordOfRun(a), "run 1", RecordOfRun(b), "run 2");
//   if (difference) std::cerr << *difference;  // "the runs differ first at step 14 ..."
#ifndef LAPLACE_PROPERTIES_DETERMINISM_H_
#define LAPLACE_PROPERTIES_DETERMINISM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "properties/runner.h"

namespace laplace::properties {

// A run as a determinism check compares it: plain data, so that a run made
// in another process (WriteRunRecord / ReadRunRecord) compares the same way.
struct RunRecord {
  uint64_t digest = 0;
  uint64_t steps = 0;
  std::string outcome;                   // "passed", "discarded", or the failure's signature
  std::vector<StepDigest> step_digests;  // empty when the run did not record them
  uint64_t first_event = 0;              // the index in the run's trace of events[0]
  std::vector<std::pair<uint64_t, std::string>> events;  // (step, readable line), in order
};

// What `report` holds of its run.
RunRecord RecordOfRun(const RunReport& report);

// Whether case `seed` is one of the `share_percent` percent that a
// determinism check samples: a pure function of the seed (0 never, 100
// always), so a rerun of a sweep checks the same seeds.
bool SampledForDeterminismCheck(uint64_t seed, int share_percent);

// The first difference between two runs of one case, or nullopt when they
// agree (same digest and outcome, and the same step digests where both
// have them). The text names the first step whose digest differs (or, when
// a run has no step digests, the first differing event among those both
// kept), then shows each run's events around it, the first differing event
// marked with '>'. `a_name`/`b_name` name the runs ("the sweep's run").
std::optional<std::string> DescribeDifference(const RunRecord& a, std::string_view a_name,
                                              const RunRecord& b, std::string_view b_name);

// One line: "failed invariant:x, digest 0x1f.., 120 steps".
std::string SummarizeRecord(const RunRecord& record);

// Writes `record` to `path` as text (replacing it), and reads it back.
// Reading a file that is not such a record is kInvalidArgument naming the
// file and the line.
absl::Status WriteRunRecord(const std::string& path, const RunRecord& record);
absl::StatusOr<RunRecord> ReadRunRecord(const std::string& path);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_DETERMINISM_H_
