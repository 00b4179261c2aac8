// The content checks behind laplace::replays::ValidateReplay().
//
// Kept apart from parsing so that the list of rules reads in one place. Each
// rule yields a phrase that says what is wrong with which field, in the
// words a reader of the file would use ("tape entry #3 (schedule 5/3): value
// 5 is not below its bound 3").
//
//   std::vector<std::string> problems = FindProblems(replay);
//   if (!problems.empty()) ... join them into one kInvalidArgument message ...
#ifndef LAPLACE_REPLAYS_INTERNAL_VALIDATE_H_
#define LAPLACE_REPLAYS_INTERNAL_VALIDATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "replays/replay.pb.h"

namespace laplace::replays::internal {

// How many bad tape entries are described one by one before the rest are
// only counted, so that a wholly damaged tape gives a readable message.
inline constexpr size_t kTapeProblemsShownMax = 5;

// Every problem with `replay`'s content, in field order; empty when valid.
// A format_version newer than `format_version_max` is reported alone, since
// the rest of such a file follows rules this build does not know.
std::vector<std::string> FindProblems(const Replay& replay, uint32_t format_version_max);

// "written by a newer Laplace (format N, this build reads up to M); update
// Laplace".
std::string NewerFormatProblem(uint32_t version, uint32_t format_version_max);

// True for a GoogleTest name "Suite.Test": exactly one '.', with two
// non-empty sides made of ASCII letters, digits, '_' and '/' (value- and
// type-parameterized tests have names like "Prefix/Suite.Test/0").
bool IsValidTestName(std::string_view name);

// True for a Bazel label such as "//examples:bank_test" or "@repo//pkg:t":
// starts with "//" or "@", and has no whitespace or control characters.
bool IsValidBazelTarget(std::string_view target);

}  // namespace laplace::replays::internal

#endif  // LAPLACE_REPLAYS_INTERNAL_VALIDATE_H_
