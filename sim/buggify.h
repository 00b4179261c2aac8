// BUGGIFY: fault points a user puts in their own code.
//
// FoundationDB's idea: code under test marks places where an unusual but
// legal thing could happen (a slow path, an early timeout, a tiny buffer),
// and the simulation makes it happen now and then:
//
//   if (LAPLACE_BUGGIFY(node)) co_await node.loop().Sleep(std::chrono::seconds(1));
//   size_t batch = LAPLACE_BUGGIFY(node) ? 1 : 64;
//
// Each site, keyed by its file and line, is switched on or off once per run,
// the first time it is reached (with site_on_ratio); a site that is on then
// fires with fire_ratio each time it is reached. Both decisions are kFault
// choices whose value 0 means "off" / "does not fire", so a zero tape never
// fires any site and shrinking switches off the sites a failure does not
// need. Sites live in a map ordered by (file, line), never by address or
// hash. The switch `enabled` (and World::Quiesce) turns every site off: a
// disabled Buggify draws no choices at all.
//
// LAPLACE_BUGGIFY(x) takes a Buggify, a Node (node.h) or a World (world.h).
#ifndef LAPLACE_SIM_BUGGIFY_H_
#define LAPLACE_SIM_BUGGIFY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "loop/loop.h"
#include "loop/ratio.h"
#include "loop/source_location.h"
#include "sim/draw.h"

namespace laplace::sim {

// BUGGIFY settings. The defaults are FoundationDB's: a site is on in a
// quarter of runs and then fires a quarter of the times it is reached.
struct BuggifyOptions {
  // The world-wide switch: false means no site ever fires (no choices drawn).
  bool enabled = true;
  // The chance that a site is switched on for this run.
  Ratio site_on_ratio = {1, 4};
  // The chance that a switched-on site fires each time it is reached.
  Ratio fire_ratio = {1, 4};
};

// What a run decided about one site.
struct BuggifySite {
  std::string file;
  uint32_t line = 0;
  bool on = false;
  uint64_t reached = 0;  // times reached while enabled
  uint64_t fired = 0;
};

// One run's BUGGIFY sites and their decisions; a World owns one.
class Buggify {
 public:
  // Draws nothing until a site is reached.
  explicit Buggify(Loop& loop, BuggifyOptions options = {});
  Buggify(const Buggify&) = delete;
  Buggify& operator=(const Buggify&) = delete;

  // Whether the site at `where` fires now; see above. Notes the site's
  // on/off decision the first time and every firing.
  bool Fire(SourceLocation where = SourceLocation::current());

  // The world-wide switch (see BuggifyOptions::enabled).
  bool enabled() const { return options_.enabled; }
  // The world-wide switch. Turning it back on keeps earlier site decisions.
  void set_enabled(bool enabled);
  // Ratios set here apply to sites reached from now on; decided sites keep
  // their on/off decision.
  const BuggifyOptions& options() const { return options_; }
  void set_options(const BuggifyOptions& options) { options_ = options; }

  // Every site reached so far, ordered by (file, line).
  std::vector<BuggifySite> sites() const;

 private:
  struct Site {
    std::string stream;  // "buggify <file>:<line>": the site's own stream
    StreamId stream_id = kUnnamedStream;
    bool on = false;
    uint64_t reached = 0;
    uint64_t fired = 0;
  };

  Loop* loop_;
  BuggifyOptions options_;
  // __builtin_FILE() strings are literals with static storage, so a view of
  // one is valid for the whole program; ordered by content, then line.
  absl::btree_map<std::pair<std::string_view, uint32_t>, Site> sites_;
};

// LAPLACE_BUGGIFY's overload for a Buggify itself.
inline bool BuggifyFire(Buggify& buggify, SourceLocation where) { return buggify.Fire(where); }

}  // namespace laplace::sim

// True when the BUGGIFY site at this line fires; see above. `x` is a Buggify,
// a Node or a World.
#define LAPLACE_BUGGIFY(x) (::laplace::sim::BuggifyFire((x), ::laplace::SourceLocation::current()))

#endif  // LAPLACE_SIM_BUGGIFY_H_
