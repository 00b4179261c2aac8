// Proves the kv, set and queue models' verdicts on small histories whose answers are known by
// hand: per-key checking, appends, reads of a set in any order, FIFO order, and info operations
// placed late.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/history_file.h"
#include "properties/linearizability/internal/check_text.h"
#include "properties/linearizability/models.h"

namespace laplace::linearizability {
namespace {

using internal::CheckText;
using internal::kNo;
using internal::kYes;
using internal::VerdictOf;

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

}  // namespace
}  // namespace laplace::linearizability
