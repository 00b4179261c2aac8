#include "replays/internal/text.h"

namespace laplace::replays::internal {

std::string Escape(std::string_view text, size_t bytes_max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  size_t shown = text.size() < bytes_max ? text.size() : bytes_max;
  out.reserve(shown + 3);
  for (size_t i = 0; i < shown; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out.push_back(static_cast<char>(byte));
    } else {
      out.append("\\x");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  if (shown < text.size()) out.append("...");
  return out;
}

std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out.push_back(c);
    } else {
      out.append(Escape(std::string_view(&c, 1)));
    }
  }
  return out;
}

std::string Quote(std::string_view text, size_t bytes_max) {
  return "\"" + Escape(text, bytes_max) + "\"";
}

std::string ShownFileName(std::string_view file_name) {
  if (file_name.empty()) return "<replay>";
  return Escape(file_name, 4 * kShownBytesMax);
}

}  // namespace laplace::replays::internal
