// The vault (rare_bug.h) as a LAPLACE_PROPERTY for the fuzzer (//tests:rare_bug_fuzz) and for
// replaying what the fuzzer finds (//tests:rare_bug_replay). A bug-zoo property: the vault does
// open, and a found failure is kept as an EXPECT_FAILURE replay file. It is not in any
// `bazel test //...` binary: a random walk would need about a million runs to find it.
#include "properties/property.h"
#include "tests/rare_bug.h"

namespace laplace::tests {
namespace {

LAPLACE_PROPERTY_WITH_OPTIONS(RareBug, TheVaultStaysLocked,
                              (properties::PropertyOptions{.sweep_seeds = 1000,
                                                           .expect_failure = true}),
                              ()) {
  TypeAtTheVault(sim);
}

}  // namespace
}  // namespace laplace::tests
