#include "loop/strategies/registry.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "base/strings.h"
#include "loop/strategies/pct.h"
#include "loop/strategies/portfolio.h"
#include "loop/strategies/pos.h"
#include "loop/strategies/surw.h"

namespace laplace::strategies {
namespace {

using laplace::internal::Cat;

struct ParameterSpec {
  const char* name;
  int64_t min;
  int64_t max;
};

struct StrategySpec {
  const char* name;
  std::vector<ParameterSpec> parameters;
};

const std::vector<StrategySpec>& Specs() {
  static const std::vector<StrategySpec> specs = {
      {"random-walk", {}}, {"pct", {{"depth", 1, 10}, {"steps", 0, 1'000'000'000}}},
      {"pos", {}},         {"surw", {}},
      {"portfolio", {}},   {"bounded", {{"preemptions", 0, 10}, {"schedules", 1, 1'000'000'000}}},
  };
  return specs;
}

const StrategySpec* FindSpec(std::string_view name) {
  for (const StrategySpec& spec : Specs()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

absl::Status Invalid(std::string_view text, std::string_view problem) {
  return absl::InvalidArgumentError(
      Cat("strategy \"", text, "\": ", problem, "; expected ", StrategySyntax()));
}

}  // namespace

std::string StrategySyntax() {
  return "random-walk, pct[:depth=D][,steps=K], pos, surw, portfolio, or "
         "bounded[:preemptions=B][,schedules=N]";
}

namespace {

// What is wrong with `config`, or "".
std::string ProblemOf(const StrategyConfig& config) {
  const StrategySpec* spec = FindSpec(config.name);
  if (spec == nullptr) return Cat("no strategy is called '", config.name, "'");
  for (const StrategyParameter& parameter : config.parameters) {
    const ParameterSpec* known = nullptr;
    for (const ParameterSpec& p : spec->parameters) {
      if (parameter.name == p.name) known = &p;
    }
    if (known == nullptr) return Cat(config.name, " has no parameter '", parameter.name, "'");
    if (parameter.value < known->min || parameter.value > known->max) {
      return Cat(parameter.name, " must be from ", known->min, " to ", known->max, ", not ",
                 parameter.value);
    }
  }
  return "";
}

}  // namespace

absl::Status ValidateStrategy(const StrategyConfig& config) {
  std::string problem = ProblemOf(config);
  return problem.empty() ? absl::OkStatus() : Invalid(config.ToString(), problem);
}

absl::StatusOr<StrategyConfig> ParseStrategy(std::string_view text) {
  StrategyConfig config;
  const size_t colon = text.find(':');
  config.name = std::string(text.substr(0, colon));
  std::string_view rest = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (colon != std::string_view::npos && rest.empty()) return Invalid(text, "nothing after ':'");
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const size_t equals = item.find('=');
    int64_t value = 0;
    if (equals == std::string_view::npos || equals == 0 ||
        !absl::SimpleAtoi(std::string(item.substr(equals + 1)), &value)) {
      return Invalid(text, Cat("'", item, "' is not parameter=whole number"));
    }
    std::string_view name = item.substr(0, equals);
    if (config.Get(name).has_value()) return Invalid(text, Cat(name, " is given twice"));
    config.Set(name, value);
  }
  std::string problem = ProblemOf(config);
  if (!problem.empty()) return Invalid(text, problem);
  return config;
}

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const StrategyConfig& config) {
  absl::Status valid = ValidateStrategy(config);
  if (!valid.ok()) return valid;
  if (config.name == "random-walk") return std::make_unique<RandomWalk>();
  if (config.name == "pct") {
    PctOptions options;
    options.depth = static_cast<int>(config.Get("depth").value_or(options.depth));
    options.steps = static_cast<uint64_t>(config.Get("steps").value_or(0));
    return std::make_unique<Pct>(options);
  }
  if (config.name == "pos") return std::make_unique<Pos>();
  if (config.name == "surw") return std::make_unique<Surw>();
  if (config.name == "portfolio") return std::make_unique<Portfolio>();
  return absl::InvalidArgumentError(
      Cat("strategy \"", config.ToString(),
          "\" is the bounded search, which runs schedules of its own rather than steering one "
          "Loop; use BoundedSearch (or the property pipeline, which does)"));
}

bool IsBoundedSearch(const StrategyConfig& config) { return config.name == "bounded"; }

BoundedSearchOptions BoundedSearchOptionsOf(const StrategyConfig& config) {
  BoundedSearchOptions options;
  options.preemptions_max =
      static_cast<int>(config.Get("preemptions").value_or(options.preemptions_max));
  options.schedules_max =
      static_cast<uint64_t>(config.Get("schedules").value_or(options.schedules_max));
  return options;
}

}  // namespace laplace::strategies
