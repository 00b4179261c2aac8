// Swarm testing: drawing a run's fault settings from its seed.
//
// Testing every run with one fixed fault mix finds the bugs that mix finds;
// swarm testing (Groce et al., ISSTA 2012; TigerBeetle's VOPR does the same)
// draws the mix itself per run, so a sweep of seeds covers runs with only
// crashes, only loss, everything at once, and nothing at all. DrawSwarm
// picks each setting from a small menu with one choice per setting:
//
//   kFault  every fault rate (drop, duplicate, partition, crash, pause,
//           disk read error, torn write, corruption), clock skew bounds and
//           BUGGIFY's switch; value 0 = the fault is off;
//   kDelay  the latency spread (latency_max - latency_min); 0 = none.
//
// So a zero tape draws the gentlest world: no faults, no skew, no BUGGIFY,
// fixed latency (hence no reordering), and shrinking a failing run switches
// off the fault domains the failure does not need.
//
//   laplace::Loop loop({.seed = seed});
//   laplace::sim::SwarmDraw draw = laplace::sim::DrawSwarm(loop);
//   laplace::sim::World world(loop, draw.world);
//   loop.Spawn(laplace::sim::RunNemesis(world, draw.nemesis),
//              laplace::SpawnOptions{.label = "nemesis", .daemon = true});
#ifndef LAPLACE_SIM_SWARM_H_
#define LAPLACE_SIM_SWARM_H_

#include <string>

#include "loop/loop.h"
#include "sim/nemesis.h"
#include "sim/world.h"

namespace laplace::sim {

// Which fault domains a swarm run may switch on. A domain switched off here
// draws no choice and keeps the base options' settings.
struct SwarmOptions {
  bool message_loss = true;  // drop_ratio
  bool duplicates = true;    // duplicate_ratio
  bool reordering = true;    // latency spread
  bool partitions = true;    // nemesis partition_ratio
  bool crashes = true;       // nemesis crash_ratio
  bool pauses = true;        // nemesis pause_ratio
  bool disk_faults = true;   // read_error_ratio, torn_write_ratio
  bool disk_corruption = true;
  bool clock_skew = true;  // offset_max, drift_ppm_max
  bool buggify = true;     // BuggifyOptions::enabled
};

// One run's drawn settings.
struct SwarmDraw {
  WorldOptions world;
  NemesisOptions nemesis;

  // One line, e.g. "drop 1/20, duplicate 0, latency 1ms..11ms, ...".
  std::string Describe() const;
};

// Draws the settings (see above) over `base` and `base_nemesis`, and notes
// the draw in the trace. Call it before building the World, so the draw
// comes first on the tape.
SwarmDraw DrawSwarm(Loop& loop, const SwarmOptions& swarm = {}, const WorldOptions& base = {},
                    const NemesisOptions& base_nemesis = {});

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_SWARM_H_
