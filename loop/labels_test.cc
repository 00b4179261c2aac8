// Proves a long run holds labels only for what is alive or still in the kept trace: an ended
// task's or object's label is readable while the trace's tail may show it, then forgotten, and
// kept for good when the trace keeps every event.
#include <string>

#include "gtest/gtest.h"
#include "loop/event.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace {
namespace {

Task<> Finish() { co_return; }

Task<> WaitOn(Event& event) { co_await event.Wait(); }

// Runs `count` unlabelled tasks to their end, each adding a few events to the trace.
void RunUnlabelled(Loop& loop, int count) {
  for (int i = 0; i < count; ++i) {
    loop.Spawn(Finish());
    ASSERT_TRUE(loop.Run().ok());
  }
}

TEST(Labels, AnEndedTasksLabelLastsWhileTheTraceTailMayShowIt) {
  Loop loop({.seed = 1, .trace = {.tail_capacity = 8}});
  TaskHandle<void> task = loop.Spawn(Finish(), "short-lived");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.label(task.id()), "short-lived");  // its finish is in the tail
  RunUnlabelled(loop, 10);                          // pushes its events out of the tail
  // Labels are forgotten when another one ends (no work per event): this one's end does it.
  TaskHandle<void> next = loop.Spawn(Finish(), "next");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.label(task.id()), "");
  EXPECT_EQ(loop.label(next.id()), "next");
  EXPECT_EQ(loop.task_labels().size(), 1u);
}

TEST(Labels, ALiveTasksLabelIsKeptHoweverLongTheRun) {
  Loop loop({.seed = 1, .trace = {.tail_capacity = 8}});
  Event never(loop, "never");
  TaskHandle<void> waiter =
      loop.Spawn(WaitOn(never), SpawnOptions{.label = "waiter", .daemon = true});
  RunUnlabelled(loop, 10);
  EXPECT_EQ(loop.label(waiter.id()), "waiter");
  EXPECT_EQ(loop.task_labels().size(), 1u);
}

TEST(Labels, ManyEndedTasksHoldNoMoreLabelsThanTheTailCanShow) {
  Loop loop({.seed = 1, .trace = {.tail_capacity = 16}});
  for (int i = 0; i < 1000; ++i) {
    loop.Spawn(Finish(), "worker/" + std::to_string(i));
    ASSERT_TRUE(loop.Run().ok());
  }
  EXPECT_LE(loop.task_labels().size(), 16u);
}

TEST(Labels, KeepingEveryEventKeepsEveryLabel) {
  Loop loop({.seed = 1, .trace = {.keep_all = true}});
  TaskHandle<void> task = loop.Spawn(Finish(), "short-lived");
  ASSERT_TRUE(loop.Run().ok());
  RunUnlabelled(loop, 100);
  EXPECT_EQ(loop.label(task.id()), "short-lived");
}

TEST(Labels, AnEndedObjectsLabelStillNamesItInTheKeptTrace) {
  Loop loop({.seed = 1, .trace = {.tail_capacity = 64}});
  {
    Event done(loop, "done");
    loop.Spawn(WaitOn(done), "waiter");
    loop.CallLater(std::chrono::milliseconds(1), [&done] { done.Set(); });
    ASSERT_TRUE(loop.Run().ok());
  }  // the event is gone, and its label with it once out of the tail
  const std::string trace = loop.FormatTrace(loop.trace().events());
  EXPECT_NE(trace.find("'done'"), std::string::npos) << trace;
}

}  // namespace
}  // namespace laplace
