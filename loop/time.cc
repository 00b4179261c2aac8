#include "loop/time.h"

#include <cstdio>

namespace laplace {

std::string FormatDuration(Duration duration) {
  int64_t ns = duration.count();
  std::string sign;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  uint64_t magnitude = static_cast<uint64_t>(ns);
  if (ns < 0) {
    sign = "-";
    magnitude = ~magnitude + 1;
  }
  struct Unit {
    uint64_t ns;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}};
  for (const Unit& unit : kUnits) {
    if (magnitude < unit.ns) continue;
    uint64_t whole = magnitude / unit.ns;
    // Three decimals, truncated; trailing zeros are dropped.
    uint64_t thousandths = (magnitude % unit.ns) / (unit.ns / 1000);
    char buffer[48];
    if (thousandths == 0) {
      std::snprintf(buffer, sizeof buffer, "%llu%s", static_cast<unsigned long long>(whole),
                    unit.name);
    } else {
      char fraction[24];
      std::snprintf(fraction, sizeof fraction, "%03llu",
                    static_cast<unsigned long long>(thousandths));
      int length = 3;
      while (length > 0 && fraction[length - 1] == '0') --length;
      fraction[length] = '\0';
      std::snprintf(buffer, sizeof buffer, "%llu.%s%s", static_cast<unsigned long long>(whole),
                    fraction, unit.name);
    }
    return sign + buffer;
  }
  if (magnitude == 0) return "0";
  return sign + std::to_string(magnitude) + "ns";
}

std::string FormatTime(Time time) { return "t=" + FormatDuration(time.time_since_epoch()); }

}  // namespace laplace
