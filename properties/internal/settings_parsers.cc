// The settings' value parsers (see settings_parsers.h).
#include "properties/internal/settings_parsers.h"

#include "absl/strings/numbers.h"
#include "base/strings.h"

namespace laplace::properties::internal {

using laplace::internal::Cat;

std::string ParseNumber(const std::string& text, uint64_t min, uint64_t max, uint64_t& out) {
  std::string accepted = Cat("expected a whole number from ", min, " to ", max);
  if (text.empty() || text.size() > 20 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return accepted;
  }
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) return accepted;
  out = value;
  return "";
}

std::string ParseBool(const std::string& text, bool& out) {
  if (text == "1" || text == "true") {
    out = true;
  } else if (text == "0" || text == "false") {
    out = false;
  } else {
    return "expected 1 or 0 (or true or false)";
  }
  return "";
}

std::string ParseDuration(const std::string& text, std::chrono::milliseconds& out) {
  const std::string accepted =
      "expected a duration such as 30 (seconds), 30s, 1500ms, 2m or 1h, at most a year";
  size_t digits = text.find_first_not_of("0123456789");
  std::string number = text.substr(0, digits);
  std::string unit = digits == std::string::npos ? "s" : text.substr(digits);
  uint64_t value = 0;
  if (!ParseNumber(number, 0, 366ull * 24 * 3600 * 1000, value).empty()) return accepted;
  uint64_t scale = 0;
  if (unit == "ms") scale = 1;
  if (unit == "s") scale = 1000;
  if (unit == "m") scale = 60 * 1000;
  if (unit == "h") scale = 3600 * 1000;
  if (scale == 0 || value > 366ull * 24 * 3600 * 1000 / scale) return accepted;
  out = std::chrono::milliseconds(value * scale);
  return "";
}

std::string ParseSeedChoice(const std::string& text, SeedChoice& out) {
  const std::string accepted = Cat("expected SEED or SEED:SIZE, SEED a whole number from 0 to ",
                                   UINT64_MAX, " and SIZE from 0 to 1000000");
  size_t colon = text.find(':');
  SeedChoice choice;
  if (!ParseNumber(text.substr(0, colon), 0, UINT64_MAX, choice.seed).empty()) return accepted;
  if (colon != std::string::npos) {
    uint64_t size = 0;
    if (!ParseNumber(text.substr(colon + 1), 0, 1'000'000, size).empty()) return accepted;
    choice.size = static_cast<int>(size);
  }
  out = choice;
  return "";
}

std::string ParseDeterminismCheck(const std::string& text, DeterminismCheck& out) {
  const std::string accepted =
      "expected off, a share of cases from 0% to 100%, or all, optionally followed by ,fresh "
      "(e.g. 5%, 25%,fresh, all,fresh)";
  DeterminismCheck check;
  std::string share = text;
  size_t comma = text.find(',');
  if (comma != std::string::npos) {
    if (text.substr(comma + 1) != "fresh") return accepted;
    check.fresh_process = true;
    share = text.substr(0, comma);
  }
  if (share == "off") {
    if (check.fresh_process) return accepted;
    check.enabled = false;
    check.share_percent = 0;
  } else if (share == "all") {
    check.share_percent = 100;
  } else {
    uint64_t percent = 0;
    if (share.size() < 2 || share.back() != '%' ||
        !ParseNumber(share.substr(0, share.size() - 1), 0, 100, percent).empty()) {
      return accepted;
    }
    check.share_percent = static_cast<int>(percent);
  }
  out = check;
  return "";
}

std::string ParseConfidence(const std::string& text, ConfidenceRequest& out) {
  const std::string accepted =
      "expected RUNS or RUNS:STEPS, RUNS a whole number from 1 to 1000000 and STEPS (the "
      "scheduling steps before the failure that are randomized) from 1 to 1000000";
  size_t colon = text.find(':');
  uint64_t runs = 0;
  if (!ParseNumber(text.substr(0, colon), 1, 1'000'000, runs).empty()) return accepted;
  ConfidenceRequest request;
  request.runs = runs;
  if (colon != std::string::npos) {
    uint64_t steps = 0;
    if (!ParseNumber(text.substr(colon + 1), 1, 1'000'000, steps).empty()) return accepted;
    request.window_steps = steps;
  }
  out = request;
  return "";
}

}  // namespace laplace::properties::internal
