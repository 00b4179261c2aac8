// Proves the trace keeps a tail or everything, and that its digest covers
// every field that matters and nothing that does not.
#include "loop/trace.h"

#include "gtest/gtest.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;

void RecordN(Trace& trace, int count) {
  for (int i = 0; i < count; ++i) {
    trace.Record(i, Time(Duration(i)), EventKind::kResume, 1, i, 0);
  }
}

TEST(Trace, KeepsOnlyTheTailByDefaultOldestFirst) {
  Trace trace({.tail_capacity = 4});
  RecordN(trace, 10);
  std::vector<TraceEvent> events = trace.events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events.front().a, 6u);
  EXPECT_EQ(events.back().a, 9u);
  EXPECT_EQ(trace.event_count(), 10u);
}

TEST(Trace, KeepsEverythingWhenAsked) {
  Trace trace({.tail_capacity = 4, .keep_all = true});
  RecordN(trace, 10);
  EXPECT_EQ(trace.events().size(), 10u);
}

TEST(Trace, DigestDependsOnEveryField) {
  auto digest_of = [](Time time, EventKind kind, TaskId task, uint64_t a, uint64_t b,
                      std::string_view text) {
    Trace trace;
    trace.Record(0, time, kind, task, a, b, text);
    return trace.digest();
  };
  uint64_t base = digest_of(Time(1ms), EventKind::kNote, 1, 2, 3, "x");
  EXPECT_EQ(base, digest_of(Time(1ms), EventKind::kNote, 1, 2, 3, "x"));
  EXPECT_NE(base, digest_of(Time(2ms), EventKind::kNote, 1, 2, 3, "x"));
  EXPECT_NE(base, digest_of(Time(1ms), EventKind::kFailure, 1, 2, 3, "x"));
  EXPECT_NE(base, digest_of(Time(1ms), EventKind::kNote, 9, 2, 3, "x"));
  EXPECT_NE(base, digest_of(Time(1ms), EventKind::kNote, 1, 9, 3, "x"));
  EXPECT_NE(base, digest_of(Time(1ms), EventKind::kNote, 1, 2, 9, "x"));
  EXPECT_NE(base, digest_of(Time(1ms), EventKind::kNote, 1, 2, 3, "y"));
}

TEST(Trace, DigestIgnoresTheStepNumberAndTheKeepingPolicy) {
  Trace a({.tail_capacity = 1}), b({.keep_all = true});
  a.Record(5, Time(1ms), EventKind::kSpawn, 1, 0, 0);
  b.Record(7, Time(1ms), EventKind::kSpawn, 1, 0, 0);
  EXPECT_EQ(a.digest(), b.digest());
}

TEST(Trace, LinksAreKeptWithTheirEventsButNotFoldedIntoTheDigest) {
  Trace plain({.keep_all = true}), linked({.tail_capacity = 2});
  plain.Record(0, Time(1ms), EventKind::kNote, 1, 0, 0, "sent");
  plain.Record(0, Time(2ms), EventKind::kNote, 2, 0, 0, "delivered");
  plain.Record(0, Time(3ms), EventKind::kResume, 2, 0, 0);
  const EventLinks links{.cause = 1,
                         .flow = 42,
                         .group = 3,
                         .note = NoteKind::kMessageDelivered,
                         .context = EventContext::kCallback};
  linked.Record(0, Time(1ms), EventKind::kNote, 1, 0, 0, "sent", {.note = NoteKind::kMessageSent});
  linked.Record(0, Time(2ms), EventKind::kNote, 2, 0, 0, "delivered", links);
  linked.Record(0, Time(3ms), EventKind::kResume, 2, 0, 0, {}, {.cause = 2, .group = 3});
  EXPECT_EQ(plain.digest(), linked.digest());
  EXPECT_EQ(linked.last_event(), 3u);
  std::vector<TraceEvent> tail = linked.events();
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].index, 1u);  // the tail's events keep their place in the run
  EXPECT_EQ(tail[0].links.cause, 1u);
  EXPECT_EQ(tail[0].links.flow, 42u);
  EXPECT_EQ(tail[0].links.group, 3u);
  EXPECT_EQ(tail[0].links.note, NoteKind::kMessageDelivered);
  EXPECT_EQ(tail[0].links.context, EventContext::kCallback);
  EXPECT_EQ(tail[1].index, 2u);
  EXPECT_EQ(tail[1].links.cause, 2u);
}

TEST(Trace, ZeroCapacityKeepsNothingButStillDigests) {
  Trace trace({.tail_capacity = 0});
  RecordN(trace, 3);
  EXPECT_TRUE(trace.events().empty());
  EXPECT_EQ(trace.event_count(), 3u);
}

}  // namespace
}  // namespace laplace
