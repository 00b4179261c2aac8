// Replay files of property runs: what goes into one, and the verdict when
// one is replayed.
//
// The file format and its I/O live in replays/ (replay_file.h), and so does
// where files are written (corpus.h); this is the glue between a property's
// runs (RunReport, FoundCase) and those files.
//
//   replays::Replay file = MakeReplay(found, replays::EXPECT_PASS);
//   RunReport rerun = RunOnce(body, TapeSpec::Replay(replays::TapeFromReplay(file),
//                                                    TapeSource::Mode::kStrict), {});
//   ReplayVerdict verdict = CheckRerun(file, rerun);  // ok, or why not and what to do
#ifndef LAPLACE_PROPERTIES_REPLAY_RECORD_H_
#define LAPLACE_PROPERTIES_REPLAY_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "properties/found_case.h"
#include "properties/runner.h"
#include "replays/replay.pb.h"

namespace laplace::properties {

// The replay file for `found`, expecting `expect` when replayed.
replays::Replay MakeReplay(const FoundCase& found, replays::Expectation expect);

struct ReplayVerdict {
  bool ok = false;
  std::string message;  // what happened, and for a failed verdict what to do
  // The rerun no longer fits the file (a divergence), so it proves nothing either way; the
  // caller applies PropertyOptions::on_divergence (and may rebuild the file).
  bool diverged = false;
  // The rerun ended without a failure, whatever the file expected: a file that passes on today's
  // code no longer holds its failure, so a new failure with its signature replaces it.
  bool passed = false;
};

// Compares a strict rerun of `file` with what the file expects:
// EXPECT_FAILURE needs the same failure signature and trace digest;
// EXPECT_PASS (and unspecified) needs no failure. A divergence (the program
// no longer asks the choices the tape recorded) gives a verdict that is not ok and `diverged`,
// saying where (choice, virtual time, task, step) and what to do; an EXPECT_PASS rerun that
// fails after diverging is reported as the failure it is.
ReplayVerdict CheckRerun(const replays::Replay& file, const RunReport& rerun);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_REPLAY_RECORD_H_
