// Comparing two runs of one case (determinism.h): the first differing step, the events around
// it, and the text form a fresh process hands its run back in.
#include "properties/determinism.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "base/strings.h"

namespace laplace::properties {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

// Events shown on each side of the first differing one.
constexpr uint64_t kEventsBefore = 4;
constexpr uint64_t kEventsAfter = 5;

std::string Hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%016" PRIx64, value);
  return text;
}

uint64_t EventEnd(const RunRecord& record) { return record.first_event + record.events.size(); }

const std::pair<uint64_t, std::string>& EventAt(const RunRecord& record, uint64_t index) {
  return record.events[index - record.first_event];
}

// The index of the first event that differs among those both runs kept (or
// where one run's events end and the other's go on), if any.
std::optional<uint64_t> FirstDifferentEvent(const RunRecord& a, const RunRecord& b) {
  const uint64_t low = std::max(a.first_event, b.first_event);
  const uint64_t high = std::min(EventEnd(a), EventEnd(b));
  for (uint64_t i = low; i < high; ++i) {
    if (EventAt(a, i) != EventAt(b, i)) return i;
  }
  if (EventEnd(a) != EventEnd(b) && high >= low) return high;
  return std::nullopt;
}

// The step of event `index` in whichever runs have it (the earlier one).
uint64_t StepOfEvent(const RunRecord& a, const RunRecord& b, uint64_t index) {
  uint64_t step = UINT64_MAX;
  for (const RunRecord* record : {&a, &b}) {
    if (index >= record->first_event && index < EventEnd(*record)) {
      step = std::min(step, EventAt(*record, index).first);
    }
  }
  return step == UINT64_MAX ? 0 : step;
}

// The first point of the step digest sequences where they differ.
std::optional<size_t> FirstDifferentStep(const RunRecord& a, const RunRecord& b) {
  const size_t common = std::min(a.step_digests.size(), b.step_digests.size());
  for (size_t i = 0; i < common; ++i) {
    if (a.step_digests[i] != b.step_digests[i]) return i;
  }
  if (a.step_digests.size() != b.step_digests.size()) return common;
  return std::nullopt;
}

// Where the runs part: one sentence, and the step to show events around.
struct Parting {
  std::string sentence;
  uint64_t step = 0;
};

Parting PartingByStep(const RunRecord& a, std::string_view a_name, const RunRecord& b,
                      std::string_view b_name, size_t point) {
  const uint64_t agreed = point == 0 ? 0 : a.step_digests[point - 1].step;
  const bool a_has = point < a.step_digests.size();
  const bool b_has = point < b.step_digests.size();
  if (a_has && b_has) {
    const uint64_t step = std::min(a.step_digests[point].step, b.step_digests[point].step);
    if (point == 0) return {Cat("the runs differ first at step ", step), step};
    return {Cat("the runs differ first at step ", step, " (their trace digests agree through step ",
                agreed, ")"),
            step};
  }
  std::string_view ended = a_has ? b_name : a_name;
  std::string_view went_on = a_has ? a_name : b_name;
  const uint64_t next = a_has ? a.step_digests[point].step : b.step_digests[point].step;
  return {Cat("the runs agree through step ", agreed, ", then ", ended, " ended and ", went_on,
              " went on to step ", next),
          next};
}

std::string EventLine(const RunRecord& record, uint64_t index, bool marked) {
  const auto& [step, text] = EventAt(record, index);
  return Cat(marked ? "    > #" : "      #", index, " step ", step, "  ", text, "\n");
}

// `record`'s events around `center` (an event index), or around `step` when
// no event differs.
std::string EventsAround(const RunRecord& record, std::string_view name,
                         std::optional<uint64_t> center, uint64_t step) {
  uint64_t from = record.first_event;
  uint64_t to = EventEnd(record);
  if (center.has_value()) {
    from = std::max(from, *center > kEventsBefore ? *center - kEventsBefore : 0);
    to = std::min(to, *center + kEventsAfter);
  } else {
    while (from < to && EventAt(record, from).first + 1 < step) ++from;
    to = std::min(to, from + kEventsBefore + kEventsAfter);
  }
  if (from >= to) return Cat("  ", name, ": no events kept there\n");
  std::string text = Cat("  ", name, ", events #", from, " to #", to - 1, ":\n");
  for (uint64_t i = from; i < to; ++i) Append(text, EventLine(record, i, center == i));
  if (center.has_value() && *center >= EventEnd(record)) {
    Append(text, "    > #", *center, " none: this run has no more events\n");
  }
  return text;
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out.push_back(text[++i] == 'n' ? '\n' : text[i]);
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// "A B": two numbers.
bool ParsePair(const std::string& text, uint64_t& a, uint64_t& b) {
  size_t space = text.find(' ');
  return space != std::string::npos && absl::SimpleAtoi(text.substr(0, space), &a) &&
         absl::SimpleAtoi(text.substr(space + 1), &b);
}

}  // namespace

RunRecord RecordOfRun(const RunReport& report) {
  RunRecord record;
  record.digest = report.digest;
  record.steps = report.steps;
  record.outcome = report.discarded  ? "discarded"
                   : report.failed() ? report.failure->signature()
                                     : "passed";
  record.step_digests = report.step_digests;
  record.first_event =
      report.event_count - std::min<uint64_t>(report.event_count, report.trace.size());
  for (size_t i = 0; i < report.trace.size(); ++i) {
    record.events.emplace_back(i < report.trace_steps.size() ? report.trace_steps[i] : 0,
                               report.trace[i]);
  }
  return record;
}

bool SampledForDeterminismCheck(uint64_t seed, int share_percent) {
  if (share_percent <= 0) return false;
  if (share_percent >= 100) return true;
  // SplitMix64: neighbouring seeds land far apart.
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) % 100 < static_cast<uint64_t>(share_percent);
}

std::optional<std::string> DescribeDifference(const RunRecord& a, std::string_view a_name,
                                              const RunRecord& b, std::string_view b_name) {
  const bool by_steps = !a.step_digests.empty() && !b.step_digests.empty();
  std::optional<size_t> point = by_steps ? FirstDifferentStep(a, b) : std::nullopt;
  const bool same_end = a.digest == b.digest && a.outcome == b.outcome;
  if (same_end && !point.has_value()) return std::nullopt;
  std::optional<uint64_t> event = FirstDifferentEvent(a, b);
  Parting parting;
  if (point.has_value()) {
    parting = PartingByStep(a, a_name, b, b_name, *point);
    // Events before the first step (spawns in the body) show only in the
    // first step's digest: the event says where they really part.
    if (event.has_value()) {
      const uint64_t step = StepOfEvent(a, b, *event);
      if (step < parting.step) {
        parting = {step == 0 ? std::string("the runs differ first at step 0, before the first "
                                           "scheduling step")
                             : Cat("the runs differ first at step ", step),
                   step};
      }
    }
  } else if (by_steps) {
    parting = {Cat("the step digests agree over all ", a.steps,
                   " steps, and the runs differ after the last one (in the end-of-run checks)"),
               a.steps};
  } else if (event.has_value()) {
    const uint64_t step = StepOfEvent(a, b, *event);
    const bool earliest_kept = *event == std::max(a.first_event, b.first_event) && *event > 0;
    parting = {Cat("the runs differ first ", earliest_kept ? "at or before" : "at", " step ", step,
                   " (event #", *event, earliest_kept ? ", the earliest event both kept)" : ")"),
               step};
  } else {
    parting = {
        "no event that both runs kept differs: they differ in a choice's value or in "
        "events before those kept",
        a.steps};
  }
  std::string text = Cat(parting.sentence, ".\n");
  Append(text, "  ", a_name, ": ", SummarizeRecord(a), "\n  ", b_name, ": ", SummarizeRecord(b),
         "\n");
  if (event.has_value()) Append(text, "  first differing event: #", *event, "\n");
  Append(text, EventsAround(a, a_name, event, parting.step),
         EventsAround(b, b_name, event, parting.step));
  return text;
}

std::string SummarizeRecord(const RunRecord& record) {
  std::string outcome = record.outcome == "passed" || record.outcome == "discarded"
                            ? record.outcome
                            : "failed " + record.outcome;
  return Cat(outcome, ", digest ", Hex(record.digest), ", ", record.steps, " steps");
}

absl::Status WriteRunRecord(const std::string& path, const RunRecord& record) {
  std::ofstream out(path, std::ios::trunc);
  out << "laplace-run-record 1\n"
      << "digest " << record.digest << "\nsteps " << record.steps << "\noutcome "
      << Escape(record.outcome) << "\nfirst_event " << record.first_event << "\n";
  for (const StepDigest& point : record.step_digests) {
    out << "step " << point.step << " " << point.digest << " " << point.choices << "\n";
  }
  for (const auto& [step, text] : record.events)
    out << "event " << step << " " << Escape(text) << "\n";
  out.flush();
  if (!out) return absl::UnavailableError(Cat(path, ": cannot write the run record"));
  return absl::OkStatus();
}

absl::StatusOr<RunRecord> ReadRunRecord(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(Cat(path, ": no run record there"));
  RunRecord record;
  std::string line;
  int number = 0;
  auto bad = [&](std::string_view what) {
    return absl::InvalidArgumentError(Cat(path, ":", number, ": ", what, " in a run record"));
  };
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line != "laplace-run-record 1") return bad("not a run record (bad first line)");
      continue;
    }
    size_t space = line.find(' ');
    std::string key = line.substr(0, space);
    std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    size_t second = rest.find(' ');
    std::string first_word = rest.substr(0, second);
    std::string tail = second == std::string::npos ? "" : rest.substr(second + 1);
    uint64_t x = 0, y = 0, z = 0;
    if (key == "digest" && absl::SimpleAtoi(rest, &x)) {
      record.digest = x;
    } else if (key == "steps" && absl::SimpleAtoi(rest, &x)) {
      record.steps = x;
    } else if (key == "outcome") {
      record.outcome = Unescape(rest);
    } else if (key == "first_event" && absl::SimpleAtoi(rest, &x)) {
      record.first_event = x;
    } else if (key == "step" && absl::SimpleAtoi(first_word, &x) && ParsePair(tail, y, z)) {
      record.step_digests.push_back(StepDigest{x, y, z});
    } else if (key == "event" && absl::SimpleAtoi(first_word, &x)) {
      record.events.emplace_back(x, Unescape(tail));
    } else {
      return bad(Cat("unreadable line '", line.substr(0, 80), "'"));
    }
  }
  if (number == 0) return bad("an empty file");
  return record;
}

}  // namespace laplace::properties
