// The pipeline's fuzzing phase (pipeline_context.h, ExploreBytes): one libFuzzer input is one
// case, its bytes the tape.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "base/strings.h"
#include "properties/internal/pipeline_context.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Cat;

// Bytes that seed a property's generated arguments.
constexpr size_t kArgumentSeedBytes = 8;

}  // namespace

std::optional<FoundFailure> ExploreBytes(const PipelineContext& context,
                                         std::span<const uint8_t> bytes) {
  const PropertyOptions& options = context.options;
  PropertyCases& cases = *context.property.cases;
  uint64_t seed = 0;
  CaseArgs args;
  Body body = cases.ForSeed(seed, 0, args);
  int size = 0;
  if (!args.reproduce.empty()) {  // the property takes arguments: seed them from the input
    const size_t used = std::min(bytes.size(), kArgumentSeedBytes);
    std::memcpy(&seed, bytes.data(), used);
    bytes = bytes.subspan(used);
    size = static_cast<int>(seed % (options.max_size + 1));
    args = CaseArgs{};
    body = cases.ForSeed(seed, size, args);
  }
  const std::vector<uint8_t> tape_bytes(bytes.begin(), bytes.end());
  auto run = [body, tape_bytes](const RunOptions& run_options) {
    return RunOnce(body, TapeSpec::Bytes(tape_bytes), run_options);
  };
  RunReport report = run(context.Run("a fuzz input (rerun: its replay file, once written)"));
  ++context.result.runs;
  Tally(context, report);
  if (!report.failed()) return std::nullopt;
  const std::string how_found = Cat("a fuzz input of ", tape_bytes.size(), " tape byte(s)");
  if (!CheckDeterminism(context, CaseRerun{.what = how_found, .run = run}, report, how_found)) {
    return std::nullopt;
  }
  return ShrinkFound(context, body, report, {seed, size, std::move(args)}, how_found);
}

}  // namespace laplace::properties::internal
