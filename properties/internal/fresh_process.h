// The fresh-process half of a determinism check: the running test binary
// started again on one case, handing back its run (determinism.h's
// RunRecord) through a file. Private to properties/.
#ifndef LAPLACE_PROPERTIES_INTERNAL_FRESH_PROCESS_H_
#define LAPLACE_PROPERTIES_INTERNAL_FRESH_PROCESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "properties/determinism.h"
#include "properties/settings.h"

namespace laplace::properties::internal {

// Runs case `seed` of the property `test_name` in a new process: this
// binary (/proc/self/exe) with --gtest_filter=<test_name>
// --laplace_seed=S:Z --laplace_determinism_dump=<temporary file>, in this
// process's environment less the variables that would make it do something
// else (a replay, a seed, a JUnit file, a shard status), and reads the
// record it writes. kUnavailable, with the end of its output, when it
// writes none (a binary whose main is not the Laplace test main, a crash).
absl::StatusOr<RunRecord> RunCaseInFreshProcess(const std::string& test_name,
                                                const SeedChoice& seed);

}  // namespace laplace::properties::internal

#endif  // LAPLACE_PROPERTIES_INTERNAL_FRESH_PROCESS_H_
