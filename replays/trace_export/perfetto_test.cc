// Proves the Perfetto export names a process per node and a thread per task, slices steps, marks
// faults and draws flows.
#include "replays/trace_export/perfetto.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/trace_export/testing/sample.h"

namespace laplace::replays::trace_export {
namespace {

using ::testing::HasSubstr;

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(PerfettoJson, IsOneTraceEventObjectWithTheRunsNamesAndFailure) {
  const std::string json = PerfettoJson(testing::SampleRecording());
  EXPECT_EQ(
      json.rfind("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"test\":\"Sample.LostPing\"", 0), 0u);
  EXPECT_THAT(json, HasSubstr("\"failure\":\"lost ping: the server crashed before it arrived\""));
  EXPECT_THAT(json, HasSubstr(",\"traceEvents\":[\n"));
  EXPECT_EQ(json.substr(json.size() - 4), "\n]}\n");
  EXPECT_EQ(json, PerfettoJson(testing::SampleRecording()));  // deterministic
}

TEST(PerfettoJson, NamesAProcessPerNodeAndAThreadPerTaskAndNodeLane) {
  const std::string json = PerfettoJson(testing::SampleRecording());
  EXPECT_EQ(Count(json, "\"name\":\"process_name\""), 3u);  // world, server, client
  EXPECT_THAT(json, HasSubstr("{\"ph\":\"M\",\"pid\":2,\"tid\":2,\"name\":\"process_name\","
                              "\"args\":{\"name\":\"server\"}}"));
  EXPECT_THAT(json, HasSubstr("{\"ph\":\"M\",\"pid\":2,\"tid\":3,\"name\":\"thread_name\",\"args\":"
                              "{\"name\":\"server/main\"}}"));
  EXPECT_THAT(json, HasSubstr("\"name\":\"thread_name\",\"args\":{\"name\":\"server (node)\"}"));
  EXPECT_EQ(Count(json, "\"name\":\"thread_name\""), 5u);
}

TEST(PerfettoJson, SlicesEveryStepWithItsEventsAndMarksTheFailingOne) {
  const std::string json = PerfettoJson(testing::SampleRecording());
  // client/main's third step: resumed at 1ms, sent, waited.
  EXPECT_THAT(json,
              HasSubstr("\"name\":\"client/main resumed after sleep\",\"ts\":1000.575,\"dur\":"));
  EXPECT_THAT(json, HasSubstr("\"events\":[\"#7 t=1ms client/main resumed after sleep\","
                              "\"#8 t=1ms client/main: message #1 sent\","
                              "\"#9 t=1ms client/main waits on queue get 'client inbox'\"]"));
  EXPECT_EQ(Count(json, "\"cat\":\"step,failing\""), 1u);
  EXPECT_THAT(json, HasSubstr("\"virtual time\":\"t=3.5ms\""));
}

TEST(PerfettoJson, MarksFaultsAsInstantsACrashOverItsProcessAndTheFailureOverAll) {
  const std::string json = PerfettoJson(testing::SampleRecording());
  EXPECT_THAT(json, HasSubstr("{\"ph\":\"i\",\"pid\":2,\"tid\":2,\"cat\":\"fault\",\"s\":\"p\","
                              "\"name\":\"server crashed\""));
  EXPECT_THAT(
      json,
      HasSubstr("\"cat\":\"fault\",\"s\":\"t\",\"name\":\"message #3 dropped (server is down)\""));
  EXPECT_THAT(json, HasSubstr("\"cat\":\"failure\",\"s\":\"g\",\"name\":\"FAILURE: lost ping"));
}

TEST(PerfettoJson, DrawsAFlowPerArrowFromTheCauseToTheEffect) {
  const std::string json = PerfettoJson(testing::SampleRecording());
  EXPECT_EQ(Count(json, "{\"ph\":\"s\","), 7u);
  EXPECT_EQ(Count(json, "{\"ph\":\"f\","), 7u);
  EXPECT_EQ(Count(json, "\"bp\":\"e\""), 7u);
  // The first: message #1 from client/main (pid 3, tid 5) to the server's node lane (pid 2, tid 2).
  EXPECT_THAT(json, HasSubstr("{\"ph\":\"s\",\"pid\":3,\"tid\":5,\"cat\":\"message\",\"name\":"
                              "\"message\",\"id\":1,\"ts\":1000.700}"));
  EXPECT_THAT(json, HasSubstr("{\"ph\":\"f\",\"pid\":2,\"tid\":2,\"cat\":\"message\",\"name\":"
                              "\"message\",\"id\":1,\"bp\":\"e\",\"ts\":"));
}

}  // namespace
}  // namespace laplace::replays::trace_export
