// Writing JSON text by hand: strings escaped so that the result is valid
// UTF-8 JSON and safe inside an HTML <script> element. Private to
// trace_export.
//
//   std::string out = "{\"name\":";
//   AppendJsonString(out, "backup/main");
//   out += ",\"ts\":" + FixedMicros(1'234'500) + "}";  // {"name":"backup/main","ts":1234.500}
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_INTERNAL_JSON_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_INTERNAL_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace laplace::replays::trace_export::internal {

// Appends `text` as a JSON string literal. Quotes, backslashes, control
// characters and '<', '>', '&' are \u-escaped (so "</script>" cannot end a
// script element); bytes that are not valid UTF-8 are read as Latin-1.
void AppendJsonString(std::string& out, std::string_view text);

// `text` as a JSON string literal.
std::string JsonString(std::string_view text);

// Nanoseconds as microseconds with exactly three decimals ("1234.500"), the
// unit of Chrome's trace-event "ts"; no floating point, so output is the
// same on every machine.
std::string FixedMicros(int64_t nanoseconds);

// A digest as 16 lowercase hex digits, as replay files write it.
std::string Hex16(uint64_t value);

}  // namespace laplace::replays::trace_export::internal

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_INTERNAL_JSON_H_
