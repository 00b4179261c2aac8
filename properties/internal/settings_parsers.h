// The value parsers of the settings module (settings.cc): each parses one
// flag's or variable's text and returns what is wrong with it ("" when it is
// fine), in words that say what is accepted. Private to properties/.
#ifndef LAPLACE_PROPERTIES_INTERNAL_SETTINGS_PARSERS_H_
#define LAPLACE_PROPERTIES_INTERNAL_SETTINGS_PARSERS_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "properties/settings.h"

namespace laplace::properties::internal {

// A whole number in [min, max], digits only ("-1", "+3", " 4", "1e3" are not).
std::string ParseNumber(const std::string& text, uint64_t min, uint64_t max, uint64_t& out);

// "1"/"true" or "0"/"false".
std::string ParseBool(const std::string& text, bool& out);

// A duration: "30" (seconds), "30s", "1500ms", "2m", "1h"; at most a year.
std::string ParseDuration(const std::string& text, std::chrono::milliseconds& out);

// "S" or "S:Z": a 64-bit seed and an optional generation size.
std::string ParseSeedChoice(const std::string& text, SeedChoice& out);

// "off", "N%" (0 to 100) or "all", optionally followed by ",fresh".
std::string ParseDeterminismCheck(const std::string& text, DeterminismCheck& out);

// "RUNS" or "RUNS:STEPS": how many randomized runs, and how many steps
// before the failure they randomize.
std::string ParseConfidence(const std::string& text, ConfidenceRequest& out);

}  // namespace laplace::properties::internal

#endif  // LAPLACE_PROPERTIES_INTERNAL_SETTINGS_PARSERS_H_
