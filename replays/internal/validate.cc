#include "replays/internal/validate.h"

#include <algorithm>

#include "base/strings.h"
#include "replays/internal/text.h"

namespace laplace::replays::internal {
namespace {

using ::laplace::internal::Cat;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '/';
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsBase64Char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=' || c == '-' || c == '_';
}

// Strategy names are short words such as "random-walk" or "pct".
bool IsValidStrategyName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool word = IsNameChar(c) && c != '/';
    if (!word && c != '-' && c != '.') return false;
  }
  return true;
}

bool HasLineBreak(std::string_view text) {
  return text.find('\n') != std::string_view::npos || text.find('\r') != std::string_view::npos;
}

// "SCHEDULE 5/3" (the kind as the file spells it), or "kind 17 5/3".
std::string DescribeEntry(const TapeEntry& choice) {
  std::string kind = TapeEntryKind_IsValid(choice.kind())
                         ? TapeEntryKind_Name(choice.kind())
                         : Cat("kind ", static_cast<int>(choice.kind()));
  return Cat(kind, " ", choice.value(), "/", choice.bound());
}

// The problem with one tape entry, or "" when it is fine.
std::string TapeEntryProblem(const TapeEntry& choice) {
  if (choice.kind() == CHOICE_KIND_UNSPECIFIED) {
    return "kind is missing (write one of SCHEDULE, TIMER_TIE, FAULT, DELAY, DRAW)";
  }
  if (!TapeEntryKind_IsValid(choice.kind())) {
    return Cat("kind ", static_cast<int>(choice.kind()),
               " is unknown (known: SCHEDULE, TIMER_TIE, FAULT, DELAY, DRAW)");
  }
  if (choice.bound() < 2) {
    return Cat("bound ", choice.bound(), " is below 2 (a choice has at least 2 options)");
  }
  if (choice.value() >= choice.bound()) {
    return Cat("value ", choice.value(), " is not below its bound ", choice.bound());
  }
  return "";
}

void CheckTape(const Replay& replay, std::vector<std::string>& problems) {
  size_t bad = 0;
  for (int i = 0; i < replay.tape_size(); ++i) {
    std::string problem = TapeEntryProblem(replay.tape(i));
    if (problem.empty()) continue;
    ++bad;
    if (bad <= kTapeProblemsShownMax) {
      problems.push_back(
          Cat("tape entry #", i, " (", DescribeEntry(replay.tape(i)), "): ", problem));
    }
  }
  if (bad > kTapeProblemsShownMax) {
    problems.push_back(Cat("and ", bad - kTapeProblemsShownMax, " more bad tape entries"));
  }
}

void CheckNames(const Replay& replay, std::vector<std::string>& problems) {
  if (replay.test_name().empty()) {
    problems.push_back("test_name is missing (it names the GoogleTest property, \"Suite.Test\")");
  } else if (!IsValidTestName(replay.test_name())) {
    problems.push_back(Cat("test_name ", Quote(replay.test_name()),
                           " is not of the form \"Suite.Test\" (letters, digits, '_' and '/', "
                           "one '.')"));
  }
  if (!replay.bazel_target().empty() && !IsValidBazelTarget(replay.bazel_target())) {
    problems.push_back(Cat("bazel_target ", Quote(replay.bazel_target()),
                           " is not a Bazel label like \"//package:target\""));
  }
}

void CheckStrategy(const StrategyConfig& strategy, std::vector<std::string>& problems) {
  if (strategy.name().empty()) {
    problems.push_back("strategy.name is missing (e.g. \"random-walk\" or \"pct\")");
  } else if (!IsValidStrategyName(strategy.name())) {
    problems.push_back(Cat("strategy.name ", Quote(strategy.name()),
                           " is not a strategy name (letters, digits, '_', '-', '.')"));
  }
  for (int i = 0; i < strategy.parameters_size(); ++i) {
    const Parameter& parameter = strategy.parameters(i);
    if (!IsValidStrategyName(parameter.name())) {
      problems.push_back(Cat("strategy parameter #", i, " has a missing or malformed name ",
                             Quote(parameter.name())));
    } else if (i > 0 && strategy.parameters(i - 1).name() >= parameter.name()) {
      problems.push_back(Cat("strategy parameter ", Quote(parameter.name()),
                             " is out of order or repeated; parameters are sorted by name"));
    }
  }
}

void CheckLines(std::string_view field,
                const google::protobuf::RepeatedPtrField<std::string>& lines,
                std::vector<std::string>& problems) {
  for (int i = 0; i < lines.size(); ++i) {
    if (HasLineBreak(lines.Get(i))) {
      problems.push_back(Cat(field, " #", i, " contains a line break; write one entry per line"));
      return;
    }
  }
}

void CheckReport(const Replay& replay, std::vector<std::string>& problems) {
  for (char c : replay.arguments().rapidcheck_reproduce()) {
    if (!IsBase64Char(c)) {
      problems.push_back("arguments.rapidcheck_reproduce is not base64 text");
      break;
    }
  }
  CheckLines("arguments.rendering", replay.arguments().rendering(), problems);
  if (!Expectation_IsValid(replay.expect())) {
    problems.push_back(Cat("expect has unknown value ", static_cast<int>(replay.expect()),
                           " (known: EXPECT_PASS, EXPECT_FAILURE)"));
  }
  if (replay.expect() == EXPECT_FAILURE && replay.failure().signature().empty()) {
    problems.push_back("expect is EXPECT_FAILURE but failure.signature is missing");
  }
  if (replay.failure().virtual_time_ns() < 0) {
    problems.push_back(Cat("failure.virtual_time_ns is negative (",
                           replay.failure().virtual_time_ns(), "); virtual time starts at 0"));
  }
  if (replay.trace_digest().empty()) {
    problems.push_back(
        "trace_digest is missing (it is written after the tape, so the file may have been cut "
        "short)");
  } else if (replay.trace_digest().size() != 16 ||
             !std::all_of(replay.trace_digest().begin(), replay.trace_digest().end(), IsLowerHex)) {
    problems.push_back(
        Cat("trace_digest ", Quote(replay.trace_digest()), " is not 16 lowercase hex digits"));
  }
  CheckLines("trace_tail", replay.trace_tail(), problems);
  CheckLines("causal_chain", replay.causal_chain(), problems);
  // shrinking.shrunk_length may exceed original_length: a shrink lowers the
  // non-zero choices first, and fewer faults can mean more draws.
}

}  // namespace

std::string NewerFormatProblem(uint32_t version, uint32_t format_version_max) {
  return Cat("written by a newer Laplace (format ", version, ", this build reads up to ",
             format_version_max, "); update Laplace");
}

std::vector<std::string> FindProblems(const Replay& replay, uint32_t format_version_max) {
  std::vector<std::string> problems;
  if (replay.format_version() > format_version_max) {
    problems.push_back(NewerFormatProblem(replay.format_version(), format_version_max));
    return problems;
  }
  if (replay.format_version() == 0) {
    problems.push_back(
        Cat("format_version is missing (a replay file starts with \"format_version: ",
            format_version_max, "\")"));
  }
  if (replay.format_version() == 1) {
    problems.push_back(
        "format 1 was recorded before choices had streams, so its tape can no longer be matched "
        "to the program's draws; re-record it: delete the file and rerun the test (for a "
        "bug-zoo test, bazel test <target> --test_env=LAPLACE_RECORD=1)");
    return problems;
  }
  CheckNames(replay, problems);
  CheckStrategy(replay.strategy(), problems);
  CheckTape(replay, problems);
  CheckReport(replay, problems);
  return problems;
}

bool IsValidTestName(std::string_view name) {
  size_t dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return false;
  if (name.find('.', dot + 1) != std::string_view::npos) return false;
  for (char c : name) {
    if (c != '.' && !IsNameChar(c)) return false;
  }
  // A '/' only separates a parameterized test's parts; it never starts or ends one.
  std::string_view suite = name.substr(0, dot);
  std::string_view test = name.substr(dot + 1);
  for (std::string_view part : {suite, test}) {
    if (part.front() == '/' || part.back() == '/') return false;
    if (part.find("//") != std::string_view::npos) return false;
  }
  return true;
}

bool IsValidBazelTarget(std::string_view target) {
  if (target.substr(0, 2) != "//" && target.substr(0, 1) != "@") return false;
  for (char c : target) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return false;
  }
  return true;
}

}  // namespace laplace::replays::internal
