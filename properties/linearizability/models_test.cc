// Proves the register and cas-register models' verdicts on small histories whose answers are
// known by hand: stale reads, fail operations that did not happen, info operations that must be
// placed late (or cannot be), and every model's unknown when the state budget runs out.
#include "properties/linearizability/models.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/history_file.h"
#include "properties/linearizability/internal/check_text.h"

namespace laplace::linearizability {
namespace {

using internal::CheckText;
using internal::kNo;
using internal::kYes;
using internal::VerdictOf;
// ---- register ----

TEST(RegisterModel, ASequentialWriteThenReadIsLinearizable) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 1})",
                      RegisterModel{}),
            kYes);
}

TEST(RegisterModel, AReadOfTheOldValueAfterAWriteCompletedIsAStaleRead) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value nil})",
                      RegisterModel{}),
            kNo);
}

TEST(RegisterModel, AReadConcurrentWithAWriteMaySeeEitherValue) {
  for (std::string_view seen : {"nil", "1"}) {
    std::string edn = std::string(R"(
      {:process 0, :type :invoke, :f :write, :value 1}
      {:process 1, :type :invoke, :f :read, :value nil}
      {:process 1, :type :ok, :f :read, :value )") +
                      std::string(seen) + R"(}
      {:process 0, :type :ok, :f :write, :value 1})";
    EXPECT_EQ(VerdictOf(edn, RegisterModel{}), kYes) << seen;
  }
}

TEST(RegisterModel, AReadOfAValueNobodyWroteIsNotLinearizable) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 2}
    {:process 0, :type :ok, :f :write, :value 1})",
                      RegisterModel{}),
            kNo);
}

TEST(RegisterModel, AnInfoWriteIsPlacedLateBetweenTwoLaterReads) {
  // The write timed out at once, but took effect after the first read.
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :info, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value nil}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 1})",
                      RegisterModel{}),
            kYes);
}

TEST(RegisterModel, AnInfoWriteCannotTakeEffectBeforeItWasInvoked) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 1}
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :info, :f :write, :value 1})",
                      RegisterModel{}),
            kNo);
}

TEST(RegisterModel, AnInfoWriteMayNeverHaveHappened) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :info, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value nil})",
                      RegisterModel{}),
            kYes);
}

TEST(RegisterModel, AnInvocationThatNeverCompletesCountsAsInfo) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 1})",
                      RegisterModel{}),
            kYes);
}

TEST(RegisterModel, AFailedWriteDidNotHappen) {
  constexpr std::string_view kFailedWrite = R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :fail, :f :write, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value )";
  EXPECT_EQ(VerdictOf(std::string(kFailedWrite) + "1}", RegisterModel{}), kNo);
  EXPECT_EQ(VerdictOf(std::string(kFailedWrite) + "nil}", RegisterModel{}), kYes);
}

TEST(RegisterModel, TheLinearizationPutsTheWritesInTheOrderTheReadsSaw) {
  CheckResult result = CheckText(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 1, :type :invoke, :f :write, :value 2}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 1, :type :ok, :f :write, :value 2}
    {:process 2, :type :invoke, :f :read, :value nil}
    {:process 2, :type :ok, :f :read, :value 1})",
                                 RegisterModel{});
  ASSERT_EQ(result.verdict, kYes);
  ASSERT_EQ(result.parts.size(), 1u);
  EXPECT_EQ(result.parts[0].linearization, (std::vector<size_t>{1, 0, 2}));
}

// ---- cas-register ----

TEST(CasRegisterModel, ACasFromTheCurrentValueSucceeds) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 0, :type :invoke, :f :cas, :value [1 2]}
    {:process 0, :type :ok, :f :cas, :value [1 2]}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value 2})",
                      CasRegisterModel{}),
            kYes);
}

TEST(CasRegisterModel, ACasFromAValueTheRegisterDidNotHoldCannotSucceed) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 0, :type :invoke, :f :cas, :value [2 3]}
    {:process 0, :type :ok, :f :cas, :value [2 3]})",
                      CasRegisterModel{}),
            kNo);
}

TEST(CasRegisterModel, TwoConcurrentCasFromTheSameValueCannotBothSucceed) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 0}
    {:process 0, :type :ok, :f :write, :value 0}
    {:process 1, :type :invoke, :f :cas, :value [0 1]}
    {:process 2, :type :invoke, :f :cas, :value [0 2]}
    {:process 1, :type :ok, :f :cas, :value [0 1]}
    {:process 2, :type :ok, :f :cas, :value [0 2]})",
                      CasRegisterModel{}),
            kNo);
}

TEST(CasRegisterModel, AnInfoCasIsPlacedLateBetweenTwoReads) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 1, :type :invoke, :f :cas, :value [1 2]}
    {:process 1, :type :info, :f :cas, :value [1 2]}
    {:process 2, :type :invoke, :f :read, :value nil}
    {:process 2, :type :ok, :f :read, :value 1}
    {:process 2, :type :invoke, :f :read, :value nil}
    {:process 2, :type :ok, :f :read, :value 2})",
                      CasRegisterModel{}),
            kYes);
}

TEST(CasRegisterModel, AFailedCasDidNotHappen) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :write, :value 1}
    {:process 0, :type :ok, :f :write, :value 1}
    {:process 1, :type :invoke, :f :cas, :value [1 2]}
    {:process 1, :type :fail, :f :cas, :value [1 2]}
    {:process 2, :type :invoke, :f :read, :value nil}
    {:process 2, :type :ok, :f :read, :value 2})",
                      CasRegisterModel{}),
            kNo);
}

TEST(CasRegisterModel, AnInfoCasThatCouldNeverSucceedIsLeftOut) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 1, :type :invoke, :f :cas, :value [5 6]}
    {:process 1, :type :info, :f :cas, :value [5 6]}
    {:process 2, :type :invoke, :f :read, :value nil}
    {:process 2, :type :ok, :f :read, :value nil})",
                      CasRegisterModel{}),
            kYes);
}

// ---- budgets ----

// `writers` concurrent state-changing operations `f` (of 1, 2, ...) and,
// while they run, an observation `observe` -> `impossible` that no order of
// them explains: proving that visits every subset of them.
std::string ConcurrentChangesAndAnImpossibleObservation(int writers, std::string_view f,
                                                        std::string_view observe,
                                                        std::string_view impossible,
                                                        std::string_view key = "") {
  std::string edn;
  auto event = [&](int process, std::string_view type, std::string_view function,
                   std::string_view value) {
    edn += "{:process " + std::to_string(process) + ", :type :" + std::string(type) +
           ", :f :" + std::string(function) + (key.empty() ? "" : ", :key " + std::string(key)) +
           ", :value " + std::string(value) + "}\n";
  };
  for (int p = 0; p < writers; ++p) event(p, "invoke", f, std::to_string(p + 1));
  event(writers, "invoke", observe, "nil");
  event(writers, "ok", observe, impossible);
  for (int p = 0; p < writers; ++p) event(p, "ok", f, std::to_string(p + 1));
  return edn;
}

template <typename M>
void ExpectUnknownUnderATinyBudget(const M& model, const std::string& edn) {
  CheckResult limited = CheckText(edn, model, {.states_max = 20});
  EXPECT_EQ(limited.verdict, Verdict::kUnknown) << edn;
  EXPECT_EQ(limited.reason, "the state budget ran out");
  EXPECT_EQ(CheckText(edn, model).verdict, kNo) << edn;
}

TEST(Check, AStateBudgetTooSmallForTheSearchAnswersUnknownForEveryModel) {
  ExpectUnknownUnderATinyBudget(
      RegisterModel{}, ConcurrentChangesAndAnImpossibleObservation(8, "write", "read", "99"));
  ExpectUnknownUnderATinyBudget(
      CasRegisterModel{}, ConcurrentChangesAndAnImpossibleObservation(8, "write", "read", "99"));
  ExpectUnknownUnderATinyBudget(
      KvModel{}, ConcurrentChangesAndAnImpossibleObservation(8, "put", "get", "99", "\"k\""));
  ExpectUnknownUnderATinyBudget(
      SetModel{}, ConcurrentChangesAndAnImpossibleObservation(8, "add", "read", "[99]"));
  ExpectUnknownUnderATinyBudget(
      QueueModel{}, ConcurrentChangesAndAnImpossibleObservation(8, "enqueue", "dequeue", "99"));
}

TEST(Check, AWallClockBudgetOfZeroAnswersUnknownOnALongSearch) {
  CheckResult result =
      CheckText(ConcurrentChangesAndAnImpossibleObservation(14, "write", "read", "99"),
                RegisterModel{}, {.wall_time_max = std::chrono::milliseconds(0)});
  EXPECT_EQ(result.verdict, Verdict::kUnknown);
  EXPECT_EQ(result.reason, "the time budget ran out");
}

}  // namespace
}  // namespace laplace::linearizability
