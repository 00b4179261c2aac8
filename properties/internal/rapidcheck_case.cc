// The RapidCheck plumbing of a property: a case's argument origin as RapidCheck reproduce data,
// the shrink session's wall-time budget, running RapidCheck's check, and the parameter names
// that label a case's arguments. The test driver is in property.cc.
#include "properties/internal/rapidcheck_case.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "properties/property.h"
#include "rapidcheck.h"

namespace laplace::properties {
namespace internal {
namespace {

using WallClock = std::chrono::steady_clock;  // allowed: the shrink budget is wall time

}  // namespace

std::string EncodeArgsOrigin(const ArgsOrigin& origin) {
  rc::detail::Reproduce reproduce{origin.random, origin.size, origin.path};
  std::string bytes;
  rc::detail::serialize(reproduce, std::back_inserter(bytes));
  std::string encoded;
  absl::Base64Escape(bytes, &encoded);
  return encoded;
}

absl::StatusOr<ArgsOrigin> DecodeArgsOrigin(const std::string& encoded) {
  std::string bytes;
  if (!absl::Base64Unescape(encoded, &bytes)) {
    return absl::InvalidArgumentError("rapidcheck_reproduce is not base64");
  }
  rc::detail::Reproduce reproduce;
  try {
    auto end = rc::detail::deserialize(bytes.begin(), bytes.end(), reproduce);
    if (end != bytes.end()) {
      return absl::InvalidArgumentError("rapidcheck_reproduce has trailing bytes");
    }
  } catch (const std::exception& error) {
    return absl::InvalidArgumentError(std::string("rapidcheck_reproduce is damaged: ") +
                                      error.what());
  }
  return ArgsOrigin{reproduce.random, reproduce.size, reproduce.shrinkPath};
}

void ShrinkSession::StartShrinking() {
  deadline_ = WallClock::now() + budget_;  // allowed: the shrink budget is wall time
}

bool ShrinkSession::Exhausted() const {
  if (!deadline_.has_value()) return false;
  if (WallClock::now() < *deadline_) return false;  // allowed: the shrink budget
  exhausted_seen_ = true;
  return true;
}

std::chrono::milliseconds ShrinkSession::Remaining() const {
  if (!deadline_.has_value()) return budget_;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *deadline_ - WallClock::now());  // allowed: the shrink budget
  return std::max(left, std::chrono::milliseconds(0));
}

void RunRapidCheck(const rc::detail::Property& property, const RapidCheckSettings& settings,
                   RapidCheckOutcome& outcome) {
  rc::detail::TestMetadata metadata;
  metadata.id = settings.test_name;
  rc::detail::TestParams params;
  params.seed = settings.seed;
  params.maxSuccess = settings.cases;
  params.maxSize = settings.max_size;
  params.maxDiscardRatio = 10;
  rc::detail::TestResult result = rc::detail::checkProperty(property, metadata, params);
  if (result.template is<rc::detail::GaveUpResult>()) {
    outcome.error = "gave up: " + result.template get<rc::detail::GaveUpResult>().description;
  } else if (result.template is<rc::detail::Error>()) {
    outcome.error = result.template get<rc::detail::Error>().description;
  } else if (result.template is<rc::detail::FailureResult>() && !outcome.found.has_value()) {
    outcome.error = "failed outside any Laplace run: " +
                    result.template get<rc::detail::FailureResult>().description;
  }
}

}  // namespace internal

std::vector<std::string> SplitParameters(const std::string& parameters) {
  std::vector<std::string> out;
  std::string text = parameters;
  if (!text.empty() && text.front() == '(') text.erase(0, 1);
  if (!text.empty() && text.back() == ')') text.pop_back();
  int depth = 0;
  std::string current;
  auto flush = [&] {
    size_t first = current.find_first_not_of(" \t\n");
    size_t last = current.find_last_not_of(" \t\n");
    if (first != std::string::npos) out.push_back(current.substr(first, last - first + 1));
    current.clear();
  };
  for (char c : text) {
    if (c == '<' || c == '(' || c == '[' || c == '{') ++depth;
    if (c == '>' || c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      flush();
      continue;
    }
    current.push_back(c);
  }
  flush();
  return out;
}

}  // namespace laplace::properties
