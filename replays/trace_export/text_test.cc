// Proves the text export lists every event with its causes, filters by node and task, and ends with
// the chain.
#include "replays/trace_export/text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/trace_export/testing/sample.h"

namespace laplace::replays::trace_export {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(TextTrace, ListsEveryEventWithItsIndexAndItsCausesAfterTheHeader) {
  const std::string text = TextTrace(testing::SampleRecording());
  EXPECT_EQ(text.rfind("# Laplace trace of Sample.LostPing\n", 0), 0u);
  EXPECT_THAT(text, HasSubstr("# failure: lost ping: the server crashed before it arrived\n"));
  EXPECT_THAT(text, HasSubstr("# 26 events\n"));
  EXPECT_THAT(text, HasSubstr("#2 t=0 client/main started  <- #1 spawn\n"));
  EXPECT_THAT(text, HasSubstr("#11 t=2ms message #1 delivered  <- #8 message\n"));
  EXPECT_THAT(
      text,
      HasSubstr("#12 t=2ms server/main resumed after queue get 'server inbox'  <- #11 wake\n"));
  EXPECT_THAT(text, HasSubstr("#22 t=3.5ms server/main cancelled  <- #21 cancel\n"));
  EXPECT_THAT(
      text,
      HasSubstr("#24 t=4ms message #3 dropped (server is down)  <- #19 message, #21 fault\n"));
}

TEST(TextTrace, EndsWithTheFailuresCausalChainIncludingTheCrashAndTheDrop) {
  const std::string text = TextTrace(testing::SampleRecording());
  const size_t chain = text.find("# causal chain of #25 (13 of the 24 events it depends on):\n");
  ASSERT_NE(chain, std::string::npos);
  const std::string story = text.substr(chain);
  EXPECT_THAT(story, HasSubstr("#19 t=3ms client/main: message #3 sent\n"));
  EXPECT_THAT(story, HasSubstr("#21 t=3.5ms server crashed\n"));
  EXPECT_THAT(story, HasSubstr("#24 t=4ms message #3 dropped (server is down)\n"));
  EXPECT_THAT(story, Not(HasSubstr("sleeps until")));  // suspensions are not a story
}

TEST(FailureChain, IsTheChainWithEachEventsCausesEndingAtTheFailure) {
  const ChainStory story = FailureChain(testing::SampleRecording());
  EXPECT_EQ(story.ancestors, 24u);
  ASSERT_EQ(story.lines.size(), 14u);
  EXPECT_EQ(story.lines.back().rfind("#25 ", 0), 0u);
  EXPECT_THAT(story.lines, Contains("#21 t=3.5ms server crashed"));
  EXPECT_THAT(story.lines,
              Contains("#24 t=4ms message #3 dropped (server is down)  <- #19 message, #21 fault"));
}

TEST(FailureChain, CutShortKeepsTheFailureTheCrashAndWhatItDroppedFirst) {
  const ChainStory story = FailureChain(testing::SampleRecording(), 4);
  ASSERT_EQ(story.lines.size(), 4u);
  EXPECT_EQ(story.lines[0], "#21 t=3.5ms server crashed");
  EXPECT_EQ(story.lines[1].rfind("#22 t=3.5ms server/main cancelled", 0), 0u);
  EXPECT_EQ(story.lines[2].rfind("#24 t=4ms message #3 dropped", 0), 0u);
  EXPECT_EQ(story.lines[3].rfind("#25 ", 0), 0u);
  EXPECT_TRUE(FailureChain(TraceRecording{}).lines.empty());
}

TEST(FailureChain, ItsHeadingSaysWhenTheChainWasCut) {
  EXPECT_EQ(ChainHeading(14, 13), "causal chain of the failure (14 events):");
  EXPECT_EQ(ChainHeading(25, 611),
            "causal chain of the failure (25 events, the most telling of the 611 it depends on):");
}

TEST(TextTrace, AFilterKeepsTheNamedNodesOrTasksAndSaysWhatItShows) {
  const TraceRecording recording = testing::SampleRecording();
  const std::string server = TextTrace(recording, {.nodes = {"server"}});
  EXPECT_THAT(server, HasSubstr("# 26 events, 11 shown (node server)\n"));
  EXPECT_THAT(server, HasSubstr("server/main resumed"));
  EXPECT_THAT(server, HasSubstr("message #1 delivered"));  // delivered to the server
  EXPECT_THAT(server, Not(HasSubstr("got pong")));
  const std::string client = TextTrace(recording, {.tasks = {"client/main"}});
  EXPECT_THAT(client, HasSubstr("got pong 1"));
  EXPECT_THAT(client, Not(HasSubstr("server/main resumed")));
  const std::string by_id = TextTrace(recording, {.tasks = {"#2"}});
  EXPECT_THAT(by_id, HasSubstr("got pong 1"));
  const std::string by_number = TextTrace(recording, {.nodes = {"2"}});
  EXPECT_THAT(by_number, HasSubstr("got pong 1"));
  const std::string nothing = TextTrace(recording, {.nodes = {"nobody"}});
  EXPECT_THAT(nothing, HasSubstr("# 26 events, 0 shown (node nobody)\n"));
}

// `--node=nosuch` used to print "0 shown" and nothing else.
TEST(TextTrace, AFilterNameThatMatchesNothingListsTheNamesThatAppear) {
  const TraceRecording recording = testing::SampleRecording();
  const std::string nothing = TextTrace(recording, {.nodes = {"nobody"}, .tasks = {"nosuch"}});
  EXPECT_THAT(nothing, HasSubstr("# 26 events, 0 shown (node nobody, task nosuch)\n"
                                 "# no event is of node 'nobody'; the nodes of this run: "));
  EXPECT_THAT(nothing, HasSubstr("# no event is of task 'nosuch'; the tasks of this run: "));
  EXPECT_THAT(nothing, HasSubstr("server"));
  EXPECT_THAT(nothing, HasSubstr("client/main"));
  // A name that matches is not noted, even beside one that does not.
  const std::string some = TextTrace(recording, {.nodes = {"server", "nobody"}});
  EXPECT_THAT(some, HasSubstr("# no event is of node 'nobody'"));
  EXPECT_THAT(some, Not(HasSubstr("of node 'server'")));
  EXPECT_THAT(TextTrace(recording, {.nodes = {"server"}}), Not(HasSubstr("# no event is of")));
}

TEST(TextTrace, APassingRunHasNoChain) {
  TraceRecording recording = testing::SampleRecording();
  recording.events.pop_back();  // the failure
  recording.lines.pop_back();
  recording.failure.clear();
  const std::string text = TextTrace(recording);
  EXPECT_THAT(text, Not(HasSubstr("causal chain")));
  EXPECT_THAT(text, Not(HasSubstr("# failure:")));
}

}  // namespace
}  // namespace laplace::replays::trace_export
