// Proves each built-in model's checker verdicts on small histories whose answers are known by
// hand: stale reads, lost and reordered effects, fail operations that did not happen, info
// operations that must be placed late (or cannot be), per-key checking, and the budget's unknown.
#include "properties/linearizability/models.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/history_file.h"

namespace laplace::linearizability {
namespace {

template <typename M>
CheckResult CheckText(std::string_view edn, const M& model, const CheckOptions& options = {}) {
  absl::StatusOr<History> history = ParseHistory(edn);
  EXPECT_TRUE(history.ok()) << history.status();
  absl::StatusOr<CheckResult> result = Check(*history, model, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : CheckResult{};
}

template <typename M>
Verdict VerdictOf(std::string_view edn, const M& model) {
  return CheckText(edn, model).verdict;
}

constexpr Verdict kYes = Verdict::kLinearizable;
constexpr Verdict kNo = Verdict::kNotLinearizable;

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

// ---- kv ----

TEST(KvModel, KeysAreIndependent) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :put, :key "x", :value 1}
    {:process 1, :type :invoke, :f :put, :key "y", :value 2}
    {:process 0, :type :ok, :f :put, :key "x", :value 1}
    {:process 1, :type :ok, :f :put, :key "y", :value 2}
    {:process 0, :type :invoke, :f :get, :key "y", :value nil}
    {:process 1, :type :invoke, :f :get, :key "x", :value nil}
    {:process 0, :type :ok, :f :get, :key "y", :value 2}
    {:process 1, :type :ok, :f :get, :key "x", :value 1})",
                      KvModel{}),
            kYes);
}

TEST(KvModel, AStaleGetOnOneKeyIsReportedForThatKey) {
  CheckResult result = CheckText(R"(
    {:process 0, :type :invoke, :f :put, :key "y", :value 7}
    {:process 0, :type :ok, :f :put, :key "y", :value 7}
    {:process 0, :type :invoke, :f :put, :key "x", :value 1}
    {:process 0, :type :ok, :f :put, :key "x", :value 1}
    {:process 1, :type :invoke, :f :get, :key "x", :value nil}
    {:process 1, :type :ok, :f :get, :key "x", :value nil}
    {:process 1, :type :invoke, :f :get, :key "y", :value nil}
    {:process 1, :type :ok, :f :get, :key "y", :value 7})",
                                 KvModel{});
  EXPECT_EQ(result.verdict, kNo);
  ASSERT_TRUE(result.deciding_part.has_value());
  EXPECT_EQ(result.parts[*result.deciding_part].partition, Value("x"));
}

TEST(KvModel, AppendsBuildAListInTheirOrder) {
  constexpr std::string_view kAppends = R"(
    {:process 0, :type :invoke, :f :append, :key 1, :value 1}
    {:process 0, :type :ok, :f :append, :key 1, :value 1}
    {:process 0, :type :invoke, :f :append, :key 1, :value 2}
    {:process 0, :type :ok, :f :append, :key 1, :value 2}
    {:process 1, :type :invoke, :f :get, :key 1, :value nil}
    {:process 1, :type :ok, :f :get, :key 1, :value )";
  EXPECT_EQ(VerdictOf(std::string(kAppends) + "[1 2]}", KvModel{}), kYes);
  EXPECT_EQ(VerdictOf(std::string(kAppends) + "[2 1]}", KvModel{}), kNo);
}

TEST(KvModel, AppendingStringsConcatenatesThem) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :put, :key "k", :value "ab"}
    {:process 0, :type :ok, :f :put, :key "k", :value "ab"}
    {:process 0, :type :invoke, :f :append, :key "k", :value "c"}
    {:process 0, :type :ok, :f :append, :key "k", :value "c"}
    {:process 1, :type :invoke, :f :get, :key "k", :value nil}
    {:process 1, :type :ok, :f :get, :key "k", :value "abc"})",
                      KvModel{}),
            kYes);
}

TEST(KvModel, AnInfoPutIsPlacedLateOnItsKey) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :put, :key "x", :value 1}
    {:process 0, :type :info, :f :put, :key "x", :value 1}
    {:process 1, :type :invoke, :f :get, :key "x", :value nil}
    {:process 1, :type :ok, :f :get, :key "x", :value nil}
    {:process 1, :type :invoke, :f :get, :key "x", :value nil}
    {:process 1, :type :ok, :f :get, :key "x", :value 1})",
                      KvModel{}),
            kYes);
}

TEST(KvModel, AnOperationWithoutAKeyIsRejectedWithItsLine) {
  absl::StatusOr<History> history = ParseHistory(
      "{:process 0, :type :invoke, :f :get}\n{:process 0, :type :ok, :f :get, :value 1}\n");
  ASSERT_TRUE(history.ok());
  absl::StatusOr<CheckResult> result = Check(*history, KvModel{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "line 1: kv's get needs a key (:key in EDN, \"key\" in JSON)");
}

// ---- set ----

TEST(SetModel, AReadListsTheElementsInAnyOrder) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :add, :value 1}
    {:process 0, :type :ok, :f :add, :value 1}
    {:process 0, :type :invoke, :f :add, :value 2}
    {:process 0, :type :ok, :f :add, :value 2}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value #{2 1}})",
                      SetModel{}),
            kYes);
}

TEST(SetModel, AReadThatMissesACompletedAddIsNotLinearizable) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :add, :value 1}
    {:process 0, :type :ok, :f :add, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value []})",
                      SetModel{}),
            kNo);
}

TEST(SetModel, ARemoveTakesTheElementOut) {
  constexpr std::string_view kAddRemove = R"(
    {:process 0, :type :invoke, :f :add, :value 1}
    {:process 0, :type :ok, :f :add, :value 1}
    {:process 0, :type :invoke, :f :remove, :value 1}
    {:process 0, :type :ok, :f :remove, :value 1}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value )";
  EXPECT_EQ(VerdictOf(std::string(kAddRemove) + "[]}", SetModel{}), kYes);
  EXPECT_EQ(VerdictOf(std::string(kAddRemove) + "[1]}", SetModel{}), kNo);
}

TEST(SetModel, AnInfoAddIsPlacedLate) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :add, :value 3}
    {:process 0, :type :info, :f :add, :value 3}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value []}
    {:process 1, :type :invoke, :f :read, :value nil}
    {:process 1, :type :ok, :f :read, :value [3]})",
                      SetModel{}),
            kYes);
}

// ---- queue ----

TEST(QueueModel, DequeuesComeOutInEnqueueOrder) {
  constexpr std::string_view kTwoEnqueues = R"(
    {:process 0, :type :invoke, :f :enqueue, :value 1}
    {:process 0, :type :ok, :f :enqueue, :value 1}
    {:process 0, :type :invoke, :f :enqueue, :value 2}
    {:process 0, :type :ok, :f :enqueue, :value 2}
    {:process 1, :type :invoke, :f :dequeue, :value nil}
    {:process 1, :type :ok, :f :dequeue, :value )";
  EXPECT_EQ(VerdictOf(std::string(kTwoEnqueues) + "1}", QueueModel{}), kYes);
  EXPECT_EQ(VerdictOf(std::string(kTwoEnqueues) + "2}", QueueModel{}), kNo);
}

TEST(QueueModel, ConcurrentEnqueuesMayComeOutInEitherOrder) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :enqueue, :value 1}
    {:process 1, :type :invoke, :f :enqueue, :value 2}
    {:process 0, :type :ok, :f :enqueue, :value 1}
    {:process 1, :type :ok, :f :enqueue, :value 2}
    {:process 2, :type :invoke, :f :dequeue, :value nil}
    {:process 2, :type :ok, :f :dequeue, :value 2}
    {:process 2, :type :invoke, :f :dequeue, :value nil}
    {:process 2, :type :ok, :f :dequeue, :value 1})",
                      QueueModel{}),
            kYes);
}

TEST(QueueModel, ADequeueFromAQueueThatHoldsAnElementCannotComeBackEmpty) {
  EXPECT_EQ(VerdictOf(R"(
    {:process 0, :type :invoke, :f :enqueue, :value 1}
    {:process 0, :type :ok, :f :enqueue, :value 1}
    {:process 1, :type :invoke, :f :dequeue, :value nil}
    {:process 1, :type :ok, :f :dequeue, :value nil})",
                      QueueModel{}),
            kNo);
}

TEST(QueueModel, AnInfoDequeueIsPlacedLateAndTakesTheFront) {
  constexpr std::string_view kEnqueues = R"(
    {:process 0, :type :invoke, :f :enqueue, :value 1}
    {:process 0, :type :ok, :f :enqueue, :value 1}
    {:process 0, :type :invoke, :f :enqueue, :value 2}
    {:process 0, :type :ok, :f :enqueue, :value 2}
  )";
  constexpr std::string_view kInfoDequeue = R"(
    {:process 1, :type :invoke, :f :dequeue, :value nil}
    {:process 1, :type :info, :f :dequeue, :value nil}
  )";
  constexpr std::string_view kDequeueTwo = R"(
    {:process 2, :type :invoke, :f :dequeue, :value nil}
    {:process 2, :type :ok, :f :dequeue, :value 2}
  )";
  // Without the info dequeue, 2 cannot come out first; with it, it took 1.
  EXPECT_EQ(VerdictOf(std::string(kEnqueues) + std::string(kDequeueTwo), QueueModel{}), kNo);
  EXPECT_EQ(VerdictOf(std::string(kEnqueues) + std::string(kInfoDequeue) + std::string(kDequeueTwo),
                      QueueModel{}),
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
