// Proves JSON strings are escaped to valid UTF-8 that cannot end a script element, and times print
// exactly.
#include "replays/trace_export/internal/json.h"

#include "gtest/gtest.h"

namespace laplace::replays::trace_export::internal {
namespace {

TEST(Json, EscapesQuotesBackslashesControlsAndWhatCouldCloseAScriptElement) {
  EXPECT_EQ(JsonString("plain text"), "\"plain text\"");
  EXPECT_EQ(JsonString("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
  EXPECT_EQ(JsonString("a\nb\tc\x01"), "\"a\\u000ab\\u0009c\\u0001\"");
  EXPECT_EQ(JsonString("</script>&"), "\"\\u003c/script\\u003e\\u0026\"");
}

TEST(Json, KeepsValidUtf8AndReadsOtherBytesAsLatin1) {
  EXPECT_EQ(JsonString("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x9b"),
            "\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x9b\"");
  EXPECT_EQ(JsonString("\xff\xc3"), "\"\\u00ff\\u00c3\"");  // a stray byte, a cut sequence
  EXPECT_EQ(JsonString("\xc0\xaf"), "\"\\u00c0\\u00af\"");  // an overlong '/'
  EXPECT_EQ(JsonString("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");  // a surrogate
}

TEST(Json, WritesMicrosecondsWithThreeDecimalsFromNanoseconds) {
  EXPECT_EQ(FixedMicros(0), "0.000");
  EXPECT_EQ(FixedMicros(1'234'567), "1234.567");
  EXPECT_EQ(FixedMicros(50), "0.050");
  EXPECT_EQ(FixedMicros(-1'500), "-1.500");
  EXPECT_EQ(Hex16(0x9551d401edb11345), "9551d401edb11345");
  EXPECT_EQ(Hex16(42), "000000000000002a");
}

}  // namespace
}  // namespace laplace::replays::trace_export::internal
