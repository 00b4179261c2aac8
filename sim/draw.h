// Drawing fault decisions, delays and skews from a Loop's choice source.
//
// Every random decision the simulated world makes goes through these helpers,
// so each one is a choice on the tape whose value 0 is the least surprising
// outcome: Roll() is false, DrawDuration() gives the minimum and DrawSigned()
// gives 0. Fault rates are exact Ratios (loop/ratio.h: integer numerator and
// denominator), never doubles, so a run is the same on every machine.
//
//   laplace::Ratio drop_ratio{1, 100};  // one message in a hundred
//   if (laplace::sim::Roll(loop, drop_ratio)) { /* drop it */ }
//   laplace::Duration latency =
//       laplace::sim::DrawDuration(loop, std::chrono::milliseconds(1),
//                                  std::chrono::milliseconds(5));  // 0 = 1ms
//   int64_t drift_ppm = laplace::sim::DrawSigned(loop, 100);   // in [-100, 100]
//   bool lost = laplace::sim::Roll(loop, drop_ratio, laplace::ChoiceKind::kFault,
//                                  laplace::Stream::Named("net n1->n2 put", 3));
#ifndef LAPLACE_SIM_DRAW_H_
#define LAPLACE_SIM_DRAW_H_

#include <cstdint>
#include <string>
#include <utility>

#include "loop/choice.h"
#include "loop/loop.h"
#include "loop/ratio.h"
#include "loop/time.h"

namespace laplace::sim {

// True with probability `ratio`: one Loop::Chance of `kind` (false for the
// choice value 0). Never and always draw no choice.
bool Roll(Loop& loop, Ratio ratio, ChoiceKind kind = ChoiceKind::kFault);

// A duration in [min, max] (both ends included, nanosecond grain): one choice
// of `kind` in [0, max - min + 1), value 0 giving `min`. Equal bounds draw no
// choice. Requires Duration(0) <= min <= max.
Duration DrawDuration(Loop& loop, Duration min, Duration max, ChoiceKind kind = ChoiceKind::kDelay);

// A value in [-magnitude_max, +magnitude_max] from one choice of `kind`,
// mapped zigzag (0 -> 0, 1 -> +1, 2 -> -1, 3 -> +2, ...) so that value 0 is
// no skew and small values are small skews. Requires 0 <= magnitude_max < 2^62.
int64_t DrawSigned(Loop& loop, int64_t magnitude_max, ChoiceKind kind = ChoiceKind::kFault);

// A stream that owns its name, for a site that builds the name per
// operation ("disk n1 write wal", the n-th such write): pass view().
struct OwnedStream {
  std::string name;
  uint64_t key = 0;
  StreamId id = kUnnamedStream;

  static OwnedStream Named(std::string name, uint64_t key) {
    const StreamId id = MakeStreamId({}, name, key);
    return OwnedStream{std::move(name), key, id};
  }
  Stream view() const { return Stream{id, name, key}; }
};

// The same draws on a named stream (loop/choice.h): for sites whose draws
// come and go with the world's state (a message, a nemesis decision, a
// disk operation), so that switching one off moves no other site's values.
bool Roll(Loop& loop, Ratio ratio, ChoiceKind kind, const Stream& stream);
Duration DrawDuration(Loop& loop, Duration min, Duration max, ChoiceKind kind,
                      const Stream& stream);
int64_t DrawSigned(Loop& loop, int64_t magnitude_max, ChoiceKind kind, const Stream& stream);

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_DRAW_H_
