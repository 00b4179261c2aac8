#include "sim/swarm.h"

#include <array>
#include <iterator>

#include "base/strings.h"
#include "loop/ratio.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;

// Each menu starts with "off", so choice 0 is the gentlest setting.
constexpr std::array<Ratio, 4> kMessageRatios = {Ratio{0, 1}, Ratio{1, 100}, Ratio{1, 20},
                                                 Ratio{1, 5}};
constexpr std::array<Ratio, 4> kNemesisRatios = {Ratio{0, 1}, Ratio{1, 20}, Ratio{1, 5},
                                                 Ratio{1, 2}};
constexpr std::array<Ratio, 3> kReadErrorRatios = {Ratio{0, 1}, Ratio{1, 100}, Ratio{1, 10}};
constexpr std::array<Ratio, 3> kTornRatios = {Ratio{0, 1}, Ratio{1, 2}, Ratio{1, 1}};
constexpr std::array<Ratio, 3> kCorruptionRatios = {Ratio{0, 1}, Ratio{1, 10}, Ratio{1, 2}};
constexpr std::array<Duration, 4> kLatencySpreads = {Duration(0), milliseconds(2), milliseconds(10),
                                                     milliseconds(50)};
constexpr std::array<Duration, 4> kClockOffsets = {Duration(0), milliseconds(1), milliseconds(100),
                                                   milliseconds(2000)};
constexpr std::array<int64_t, 3> kClockDrifts = {0, 100, 10'000};

// Draws an entry of `menu` if `allowed`, else keeps `base`.
template <typename T, size_t N>
T Pick(Loop& loop, bool allowed, const std::array<T, N>& menu, T base,
       ChoiceKind kind = ChoiceKind::kFault) {
  if (!allowed) return base;
  return menu[loop.Choose(N, kind)];
}

}  // namespace

SwarmDraw DrawSwarm(Loop& loop, const SwarmOptions& swarm, const WorldOptions& base,
                    const NemesisOptions& base_nemesis) {
  SwarmDraw draw{.world = base, .nemesis = base_nemesis};
  NetworkOptions& network = draw.world.network;
  network.drop_ratio = Pick(loop, swarm.message_loss, kMessageRatios, network.drop_ratio);
  network.duplicate_ratio = Pick(loop, swarm.duplicates, kMessageRatios, network.duplicate_ratio);
  network.latency_max =
      network.latency_min + Pick(loop, swarm.reordering, kLatencySpreads,
                                 network.latency_max - network.latency_min, ChoiceKind::kDelay);
  NemesisOptions& nemesis = draw.nemesis;
  nemesis.partition_ratio = Pick(loop, swarm.partitions, kNemesisRatios, nemesis.partition_ratio);
  nemesis.crash_ratio = Pick(loop, swarm.crashes, kNemesisRatios, nemesis.crash_ratio);
  nemesis.pause_ratio = Pick(loop, swarm.pauses, kNemesisRatios, nemesis.pause_ratio);
  DiskOptions& disk = draw.world.disk;
  disk.read_error_ratio = Pick(loop, swarm.disk_faults, kReadErrorRatios, disk.read_error_ratio);
  disk.torn_write_ratio = Pick(loop, swarm.disk_faults, kTornRatios, disk.torn_write_ratio);
  disk.corruption_ratio =
      Pick(loop, swarm.disk_corruption, kCorruptionRatios, disk.corruption_ratio);
  ClockOptions& clock = draw.world.clock;
  clock.offset_max = Pick(loop, swarm.clock_skew, kClockOffsets, clock.offset_max);
  clock.drift_ppm_max = Pick(loop, swarm.clock_skew, kClockDrifts, clock.drift_ppm_max);
  if (swarm.buggify) {
    draw.world.buggify.enabled = loop.Choose(2, ChoiceKind::kFault) == 1;
  }
  loop.Note("swarm: " + draw.Describe());
  return draw;
}

std::string SwarmDraw::Describe() const {
  const NetworkOptions& network = world.network;
  const DiskOptions& disk = world.disk;
  return ::laplace::internal::Cat(
      "drop ", FormatRatio(network.drop_ratio), ", duplicate ",
      FormatRatio(network.duplicate_ratio), ", latency ", FormatDuration(network.latency_min), "..",
      FormatDuration(network.latency_max), ", partition ", FormatRatio(nemesis.partition_ratio),
      ", crash ", FormatRatio(nemesis.crash_ratio), ", pause ", FormatRatio(nemesis.pause_ratio),
      ", read error ", FormatRatio(disk.read_error_ratio), ", torn write ",
      FormatRatio(disk.torn_write_ratio), ", corruption ", FormatRatio(disk.corruption_ratio),
      ", clock offset <= ", FormatDuration(world.clock.offset_max),
      ", drift <= ", world.clock.drift_ppm_max, "ppm, buggify ",
      world.buggify.enabled ? "on" : "off");
}

}  // namespace laplace::sim
