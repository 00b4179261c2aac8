// Proves the HTML page is self-contained, shows the failure at the top and embeds what the viewer
// draws.
#include "replays/trace_export/html.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/trace_export/testing/sample.h"

namespace laplace::replays::trace_export {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HtmlPage, IsOneSelfContainedDocumentWithNoNetworkOrExternalScript) {
  const std::string page = HtmlPage(testing::SampleRecording());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_THAT(page, HasSubstr("</html>\n"));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
  EXPECT_THAT(page, Not(HasSubstr("href=")));
  EXPECT_THAT(page, Not(HasSubstr("https://")));
  EXPECT_THAT(page, Not(HasSubstr("@import")));
  EXPECT_THAT(page, HasSubstr("<style>"));
  EXPECT_THAT(page, HasSubstr("'use strict';"));  // the viewer, inline
  EXPECT_EQ(page, HtmlPage(testing::SampleRecording()));
}

TEST(HtmlPage, ShowsTheTestAndItsFailureTextAtTheTopEscaped) {
  TraceRecording recording = testing::SampleRecording();
  recording.failure = "expected <a> & \"b\"";
  const std::string page = HtmlPage(recording);
  EXPECT_THAT(page, HasSubstr("<h1>Sample.LostPing</h1>"));
  EXPECT_THAT(page, HasSubstr("<pre id=\"failure\">expected &lt;a&gt; &amp; &quot;b&quot;</pre>"));
  EXPECT_LT(page.find("id=\"failure\""), page.find("id=\"chart\""));
}

TEST(HtmlPage, EmbedsLanesEventsStepsArrowsTheChainAndTheFailingStep) {
  const std::string page = HtmlPage(testing::SampleRecording(), {.nodes = {"server"}});
  EXPECT_THAT(page, HasSubstr("\"lanes\":[[\"world\",0,0],[\"server\",1,0],[\"server/main\",1,1],"
                              "[\"client\",2,0],[\"client/main\",2,2]]"));
  EXPECT_THAT(
      page, HasSubstr("[21,1,3501700,\"t=3.5ms\",\"server crashed\",11]"));  // fault, crash, chain
  EXPECT_THAT(page,
              HasSubstr("[24,1,4001900,\"t=4ms\",\"message #3 dropped (server is down)\",25]"));
  EXPECT_THAT(page, HasSubstr("\"arrows\":[[8,11,\"message\"],[11,12,\"wake\"],"));
  EXPECT_THAT(page, HasSubstr("[21,24,\"fault\"]]"));
  EXPECT_THAT(page, HasSubstr("\"failing\":{\"event\":25,\"step\":"));
  EXPECT_THAT(page, HasSubstr("\"filter\":{\"nodes\":[\"server\"],\"tasks\":[]}"));
  EXPECT_THAT(page,
              HasSubstr("<b>The failure's causal chain</b>: 13 of the 24 events it depends on"));
}

TEST(HtmlPage, APassingRunSaysSo) {
  TraceRecording recording = testing::SampleRecording();
  recording.events.pop_back();
  recording.lines.pop_back();
  recording.failure.clear();
  const std::string page = HtmlPage(recording);
  EXPECT_THAT(page, HasSubstr("<pre id=\"failure\" class=\"passed\">the run passed</pre>"));
  EXPECT_THAT(page, HasSubstr("\"failing\":{\"event\":null,\"step\":null}"));
  EXPECT_THAT(page, HasSubstr("No failure, so no causal chain."));
}

}  // namespace
}  // namespace laplace::replays::trace_export
