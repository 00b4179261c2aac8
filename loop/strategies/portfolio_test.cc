// Proves the portfolio's documented mapping (seed s runs member s % size), that it names the
// member that ran, and that a failure it finds is found by the member its seed maps to.
#include "loop/strategies/portfolio.h"

#include <utility>

#include "gtest/gtest.h"
#include "loop/strategies/pct.h"
#include "loop/strategies/testing/programs.h"

namespace laplace::strategies {
namespace {

TEST(Portfolio, SeedSRunsMemberSModuloTheRotationAndSaysWhichRan) {
  Portfolio portfolio;
  ASSERT_EQ(portfolio.members().size(), 16u);
  const char* expected[] = {"random-walk", "surw", "pct", "surw", "random-walk", "surw",
                            "pct",         "surw", "random-walk", "surw", "pct", "surw",
                            "random-walk", "pos",  "pct",         "surw"};
  for (uint64_t seed = 0; seed < 32; ++seed) {
    testing::RunLostUpdate({.seed = seed, .strategy = &portfolio});
    EXPECT_EQ(portfolio.config().name, expected[seed % 16]) << "seed " << seed;
  }
  for (auto [seed, depth] : {std::pair{2, 2}, {6, 3}, {10, 2}, {14, 1}, {30, 1}}) {
    testing::RunLostUpdate({.seed = static_cast<uint64_t>(seed), .strategy = &portfolio});
    EXPECT_EQ(portfolio.config().Get("depth"), depth) << "seed " << seed;
  }
  EXPECT_EQ(Portfolio::DefaultRotation(),
            "random-walk, surw, pct:depth=2, surw, random-walk, surw, pct:depth=3, surw, "
            "random-walk, surw, pct:depth=2, surw, random-walk, pos, pct:depth=1, surw");
}

TEST(Portfolio, ASeedRunsAsItsMemberWould) {
  // A portfolio whose every member is PCT of depth 2 with a fixed k runs seed s exactly as
  // that PCT would.
  std::vector<std::unique_ptr<Strategy>> members;
  members.push_back(std::make_unique<Pct>(PctOptions{.depth = 2, .steps = 12}));
  Portfolio portfolio(std::move(members));
  Pct alone({.depth = 2, .steps = 12});
  for (uint64_t seed = 0; seed < 30; ++seed) {
    EXPECT_EQ(testing::RunDepthTwo({.seed = seed, .strategy = &portfolio}),
              testing::RunDepthTwo({.seed = seed, .strategy = &alone}));
  }
}

}  // namespace
}  // namespace laplace::strategies
