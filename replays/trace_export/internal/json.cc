#include "replays/trace_export/internal/json.h"

#include <cstdio>

namespace laplace::replays::trace_export::internal {
namespace {

void AppendEscape(std::string& out, unsigned code) {
  char buffer[8];
  std::snprintf(buffer, sizeof(buffer), "\\u%04x", code);
  out += buffer;
}

// The length of the valid UTF-8 sequence at text[i], or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned lead = byte(i);
  size_t length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (lead >= 0xf5 || length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  // Overlong three- and four-byte forms, surrogates, and code points past U+10FFFF.
  if (length == 3 && lead == 0xe0 && byte(i + 1) < 0xa0) return 0;
  if (length == 3 && lead == 0xed && byte(i + 1) >= 0xa0) return 0;
  if (length == 4 && lead == 0xf0 && byte(i + 1) < 0x90) return 0;
  if (length == 4 && lead == 0xf4 && byte(i + 1) >= 0x90) return 0;
  return length;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8Length(text, i);
      if (length == 0) {
        AppendEscape(out, c);  // not UTF-8: the byte as a Latin-1 character
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
      AppendEscape(out, c);
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  out.push_back('"');
}

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string FixedMicros(int64_t nanoseconds) {
  const bool negative = nanoseconds < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(nanoseconds) : static_cast<uint64_t>(nanoseconds);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%s%llu.%03llu", negative ? "-" : "",
                static_cast<unsigned long long>(magnitude / 1000),
                static_cast<unsigned long long>(magnitude % 1000));
  return buffer;
}

std::string Hex16(uint64_t value) {
  char buffer[20];
  std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

}  // namespace laplace::replays::trace_export::internal
