#include "replays/internal/describe.h"

#include <vector>

#include "base/strings.h"
#include "loop/choice.h"
#include "loop/time.h"
#include "replays/internal/text.h"
#include "replays/replay_file.h"
#include "replays/trace_export/text.h"

namespace laplace::replays::internal {
namespace {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

constexpr size_t kLabelWidth = 17;  // "  trace digest: " and a space

// Appends "  <label>" padded to the value column, then `lines` one per line,
// the later ones indented to the same column.
void Section(std::string& out, std::string_view label, const std::vector<std::string>& lines) {
  std::string head = Cat("  ", label, ":");
  head.resize(std::max(head.size() + 1, kLabelWidth), ' ');
  out.append(head);
  if (lines.empty()) out.append("(none)\n");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out.append(std::string(head.size(), ' '));
    Append(out, EscapeControl(lines[i]), "\n");
  }
}

void Section(std::string& out, std::string_view label, std::string line) {
  Section(out, label, std::vector<std::string>{std::move(line)});
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (true) {
    size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) return lines;
    text.remove_prefix(end + 1);
  }
}

std::string DescribeExpectation(Expectation expect) {
  switch (expect) {
    case EXPECT_FAILURE:
      return "failure: the replay must reproduce this failure (a known bug)";
    case EXPECT_PASS:
      return "pass: the property must hold on this case (a fixed bug)";
    default:
      return "pass (unspecified, treated as pass)";
  }
}

std::string DescribeStrategy(const StrategyConfig& strategy) {
  std::string out = strategy.name();
  for (int i = 0; i < strategy.parameters_size(); ++i) {
    Append(out, i == 0 ? " (" : ", ", strategy.parameters(i).name(), "=",
           strategy.parameters(i).value());
  }
  if (strategy.parameters_size() > 0) out.append(")");
  return out;
}

// The failure of a rebuilt file is the old one when the rebuild passed (an EXPECT_PASS file:
// the bug it guards against, which the rebuilt run no longer hits), the rebuilt run's own when
// it failed (an EXPECT_FAILURE file: the same signature). Says which, so that a file that passes
// does not read as one that fails.
std::vector<std::string> RebuiltFailureNote(const Replay& replay) {
  const std::string from = EscapeControl(replay.rebuilt().from_digest());
  if (replay.expect() == EXPECT_FAILURE) {
    return {Cat("(the rebuilt run's failure, with the signature it had before the rebuild of ",
                from, ", as the file expects)")};
  }
  return {
      Cat("recorded failure (before the rebuild of ", from, "; replay to see what it does today):"),
      "the rebuilt file passed on the code it was rebuilt for; this is the bug it guards "
      "against"};
}

void DescribeFailure(std::string& out, const Replay& replay) {
  const FailureRecord& failure = replay.failure();
  std::string head = failure.signature().empty() ? "(no signature recorded)" : failure.signature();
  if (!failure.kind().empty()) Append(head, " (", failure.kind(), ")");
  if (!replay.has_rebuilt()) {
    Section(out, "failure", head);
  } else {
    std::vector<std::string> lines = RebuiltFailureNote(replay);
    lines.insert(replay.expect() == EXPECT_FAILURE ? lines.begin() : lines.begin() + 1, head);
    Section(out, "failure", lines);
  }
  if (!failure.message().empty()) Section(out, "  message", SplitLines(failure.message()));
  Section(out, "  at",
          Cat(FormatTime(Time(Duration(failure.virtual_time_ns()))), ", step ", failure.step()));
  Section(out, "  preemptions", Cat(failure.preemptions()));
}

std::string DescribeShrinking(const Shrinking& shrinking) {
  if (shrinking.original_length() == 0 && shrinking.candidates_tried() == 0) {
    return "not shrunk";
  }
  std::string out =
      Cat("tape ", shrinking.original_length(), " -> ", shrinking.shrunk_length(), " entries, ",
          shrinking.original_nonzero() + shrinking.shrunk_nonzero() > 0
              ? Cat(shrinking.original_nonzero(), " -> ", shrinking.shrunk_nonzero(), " non-zero, ")
              : std::string(),
          shrinking.candidates_tried(), " candidates tried, ",
          shrinking.budget_exhausted() ? "stopped by its time budget" : "reached a fixpoint");
  if (shrinking.candidates_tried() == 0) return out;
  Append(out, "; candidates: ", shrinking.candidates_same_failure(), " same failure (",
         shrinking.same_failure_ms(), " ms), ", shrinking.candidates_passed(), " passed (",
         shrinking.passed_ms(), " ms), ", shrinking.candidates_other_failure(), " other failure (",
         shrinking.other_failure_ms(), " ms), ", shrinking.candidates_over_bound(),
         " over their bound (", shrinking.over_bound_ms(), " ms)");
  for (int i = 0; i < shrinking.progress_size(); ++i) {
    Append(out, i == 0 ? "; progress: " : ", ", shrinking.progress(i).pass(), " ",
           shrinking.progress(i).accepted());
  }
  return out;
}

std::vector<std::string> DescribeTape(const Replay& replay) {
  laplace::Tape tape = TapeFromReplay(replay);
  std::vector<std::string> lines;
  size_t non_zero = 0;
  for (size_t i = 0; i < tape.size(); ++i) {
    if (tape[i].value == 0) continue;
    ++non_zero;
    if (non_zero > kTapeEntriesShownMax) continue;
    std::string line = Cat("#", i, " ", FormatChoice(tape[i]));
    const std::string& stream = replay.tape(static_cast<int>(i)).stream();
    if (!stream.empty()) Append(line, " on ", EscapeControl(stream));
    lines.push_back(std::move(line));
  }
  if (non_zero > kTapeEntriesShownMax) {
    lines.push_back(Cat("... and ", non_zero - kTapeEntriesShownMax, " more non-zero entries"));
  }
  lines.insert(lines.begin(), Cat(tape.size(), tape.size() == 1 ? " entry, " : " entries, ",
                                  non_zero, " non-zero", non_zero > 0 ? ":" : ""));
  return lines;
}

std::string DescribeEnvironment(const Environment& environment) {
  std::vector<std::string> parts;
  if (!environment.compiler().empty()) parts.push_back(environment.compiler());
  if (!environment.build_mode().empty()) parts.push_back(environment.build_mode());
  if (!environment.laplace_version().empty()) {
    parts.push_back(Cat("laplace ", environment.laplace_version()));
  }
  if (parts.empty()) return "(not recorded)";
  std::string out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) Append(out, ", ", parts[i]);
  return out;
}

}  // namespace

std::string DescribeReplay(const Replay& replay, std::string_view file_name) {
  std::string out = Cat(EscapeControl(file_name), "\n");
  if (replay.causal_chain_size() > 0) {
    Append(out, "  ",
           trace_export::ChainHeading(replay.causal_chain_size(), replay.causal_ancestors()), "\n");
    for (const std::string& line : replay.causal_chain()) {
      Append(out, "    ", EscapeControl(line), "\n");
    }
  }
  std::string test = replay.test_name();
  if (!replay.bazel_target().empty()) Append(test, " (", replay.bazel_target(), ")");
  Section(out, "test", test);
  Section(out, "expect", DescribeExpectation(replay.expect()));
  Section(out, "strategy", DescribeStrategy(replay.strategy()));
  Section(out, "seed", Cat(replay.seed()));
  std::vector<std::string> arguments(replay.arguments().rendering().begin(),
                                     replay.arguments().rendering().end());
  Section(out, "arguments", arguments);
  DescribeFailure(out, replay);
  Section(out, "shrinking", DescribeShrinking(replay.shrinking()));
  if (replay.has_rebuilt()) {
    Section(out, "rebuilt",
            Cat("from ", EscapeControl(replay.rebuilt().from_digest()),
                ".textpb, which diverged on the new code at ",
                EscapeControl(replay.rebuilt().divergence())));
  }
  Section(out, "tape", DescribeTape(replay));
  Section(out, "trace digest", replay.trace_digest());
  std::vector<std::string> tail(replay.trace_tail().begin(), replay.trace_tail().end());
  Section(out, "trace tail", tail);
  Section(out, "environment", DescribeEnvironment(replay.environment()));
  return out;
}

}  // namespace laplace::replays::internal
