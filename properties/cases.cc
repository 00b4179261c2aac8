#include "properties/cases.h"

#include <string>
#include <tuple>
#include <vector>

namespace laplace::properties {

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

Body BodyCases::ForSeed(uint64_t, int, CaseArgs& args) {
  args = CaseArgs{};
  return body_;
}

absl::StatusOr<Body> BodyCases::ForReproduce(const std::string& reproduce, CaseArgs& args) {
  args = CaseArgs{};
  if (!reproduce.empty()) {
    return absl::InvalidArgumentError(
        "the replay has argument data, but the property takes no arguments");
  }
  return body_;
}

RapidCheckOutcome BodyCases::Check(const RapidCheckSettings& settings) {
  return CheckCases<std::tuple<>>(
      settings, [this](const std::tuple<>&, const internal::ArgsOrigin&, CaseArgs& args) {
        args = CaseArgs{};
        return body_;
      });
}

}  // namespace laplace::properties
