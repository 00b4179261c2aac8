// Proves FindWitness shrinks a rejected history to a 1-minimal failing sub-history, names the
// operation that cannot be placed after the longest linearizable prefix, and draws it as a
// timeline.
#include "properties/linearizability/witness.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history_file.h"
#include "properties/linearizability/models.h"

namespace laplace::linearizability {
namespace {

template <typename M>
Witness WitnessOf(std::string_view edn, const M& model) {
  absl::StatusOr<History> history = ParseHistory(edn);
  EXPECT_TRUE(history.ok()) << history.status();
  absl::StatusOr<std::vector<Operation>> ops = history->Operations();
  EXPECT_TRUE(ops.ok()) << ops.status();
  CheckResult result = Check(*ops, model);
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  return FindWitness(*ops, model, result);
}

// A register history with one stale read among unrelated traffic.
constexpr std::string_view kStaleRead = R"(
{:process 0, :type :invoke, :f :write, :value 1}
{:process 1, :type :invoke, :f :read, :value nil}
{:process 1, :type :ok, :f :read, :value nil}
{:process 0, :type :ok, :f :write, :value 1}
{:process 2, :type :invoke, :f :write, :value 2}
{:process 2, :type :info, :f :write, :value 2}
{:process 1, :type :invoke, :f :read, :value nil}
{:process 1, :type :ok, :f :read, :value 1}
{:process 0, :type :invoke, :f :write, :value 3}
{:process 0, :type :ok, :f :write, :value 3}
{:process 1, :type :invoke, :f :read, :value nil}
{:process 1, :type :ok, :f :read, :value 1}
{:process 3, :type :invoke, :f :read, :value nil}
{:process 3, :type :ok, :f :read, :value 3}
)";

TEST(FindWitness, ShrinksAStaleReadToTheTwoWritesAndTheRead) {
  Witness witness = WitnessOf(kStaleRead, RegisterModel{});
  EXPECT_TRUE(witness.minimal);
  ASSERT_EQ(witness.operations.size(), 3u);
  EXPECT_EQ(witness.operations[0].ToString(), "write 1");
  EXPECT_EQ(witness.operations[1].ToString(), "write 3");
  EXPECT_EQ(witness.operations[2].ToString(), "read -> 1");
  EXPECT_EQ(witness.operations[witness.unplaceable].ToString(), "read -> 1");
  EXPECT_EQ(witness.history_operations, 7u);
}

TEST(FindWitness, PrintsTheTimelineThePrefixAndTheOperationThatCannotBePlaced) {
  Witness witness = WitnessOf(kStaleRead, RegisterModel{});
  EXPECT_EQ(
      witness.ToString(),
      "3 of 7 operations are not linearizable:\n"
      "  process 0  [write 1] [write 3]\n"
      "  process 1                      [read -> 1 !]\n"
      "  process 0: write 1, line 2 .. line 5\n"
      "  process 0: write 3, line 10 .. line 11\n"
      "  process 1: read -> 1, line 12 .. line 13\n"
      "the longest linearizable prefix: nil -> write 1 (process 0) -> 1 -> write 3 (process 0) "
      "-> 3\n"
      "cannot be placed after it: read -> 1 (process 1, line 12 .. line 13)\n");
}

TEST(FindWitness, KeepsOnlyTheFailingKeyOfAKvHistory) {
  Witness witness = WitnessOf(R"(
{:process 0, :type :invoke, :f :put, :key "y", :value 7}
{:process 0, :type :ok, :f :put, :key "y", :value 7}
{:process 0, :type :invoke, :f :append, :key "x", :value 1}
{:process 1, :type :invoke, :f :append, :key "x", :value 2}
{:process 0, :type :ok, :f :append, :key "x", :value 1}
{:process 1, :type :ok, :f :append, :key "x", :value 2}
{:process 2, :type :invoke, :f :get, :key "x", :value nil}
{:process 2, :type :ok, :f :get, :key "x", :value [2 1]}
{:process 2, :type :invoke, :f :get, :key "x", :value nil}
{:process 2, :type :ok, :f :get, :key "x", :value [1 2]}
)",
                              KvModel{});
  EXPECT_TRUE(witness.partitioned);
  EXPECT_EQ(witness.partition, Value("x"));
  EXPECT_EQ(witness.part_operations, 4u);
  // Both appends and both gets: the gets disagree on the order of the appends,
  // whenever the appends took effect (so their completions are forgotten).
  ASSERT_EQ(witness.operations.size(), 4u);
  EXPECT_EQ(witness.forgotten, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(witness.operations[witness.unplaceable].ToString(), "get \"x\" -> [1 2]");
  EXPECT_NE(witness.ToString().find("(\"x\", one of the parts checked on its own, has 4)"),
            std::string::npos)
      << witness.ToString();
}

TEST(FindWitness, DropsInfoOperationsAndDrawsAnOpenOneToTheRightEdge) {
  // The info write cannot explain the second read (it was invoked after it).
  Witness witness = WitnessOf(R"(
{:process 0, :type :invoke, :f :write, :value 1}
{:process 0, :type :ok, :f :write, :value 1}
{:process 1, :type :invoke, :f :read, :value nil}
{:process 1, :type :ok, :f :read, :value 2}
{:process 2, :type :invoke, :f :write, :value 2}
{:process 2, :type :info, :f :write, :value 2}
)",
                              RegisterModel{});
  ASSERT_EQ(witness.operations.size(), 1u);
  EXPECT_EQ(witness.operations[0].ToString(), "read -> 2");

  Operation open{
      .id = 0, .process = 2, .f = "write", .input = 2, .outcome = Outcome::kInfo, .invoked = 0};
  Operation read{.id = 1,
                 .process = 1,
                 .f = "read",
                 .output = 2,
                 .outcome = Outcome::kOk,
                 .invoked = 1,
                 .completed = 2};
  EXPECT_EQ(FormatTimeline({open, read}, 1),
            "  process 1    [read -> 2 !]\n"
            "  process 2  [write 2 ?.....\n");
}

}  // namespace
}  // namespace laplace::linearizability
