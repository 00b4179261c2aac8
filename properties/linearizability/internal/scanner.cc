#include "properties/linearizability/internal/scanner.h"

#include <cerrno>
#include <cstdlib>

#include "base/strings.h"

namespace laplace::linearizability::internal {
namespace {

void AppendUtf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// The character an escape stands for, or 0 for one that is not simple.
char SimpleEscape(char escaped) {
  switch (escaped) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case '"':
    case '\\':
    case '/':
      return escaped;
    default:
      return 0;
  }
}

}  // namespace

absl::Status Scanner::Error(std::string_view what) const {
  return absl::InvalidArgumentError(::laplace::internal::Cat("column ", pos_ + 1, ": ", what));
}

absl::Status Scanner::ReadQuoted(std::string& out) {
  ++pos_;
  while (pos_ < text_.size() && text_[pos_] != '"') {
    char c = text_[pos_++];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos_ >= text_.size()) break;
    char escaped = text_[pos_++];
    if (char simple = SimpleEscape(escaped); simple != 0) {
      out.push_back(simple);
    } else if (escaped == 'u') {
      std::string hex(text_.substr(pos_, 4));
      char* end = nullptr;
      unsigned long code = hex.size() == 4 ? std::strtoul(hex.c_str(), &end, 16) : 0;
      if (hex.size() != 4 || end != hex.c_str() + 4) return Error("\\u needs four hex digits");
      pos_ += 4;
      AppendUtf8(out, static_cast<uint32_t>(code));
    } else {
      --pos_;
      return Error(::laplace::internal::Cat("unknown escape '\\", escaped, "' in a string"));
    }
  }
  if (pos_ >= text_.size()) return Error("a string is not closed (a '\"' is missing)");
  ++pos_;
  return absl::OkStatus();
}

absl::Status Scanner::ReadInteger(const std::string& digits, size_t start, int64_t& out) {
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(digits.c_str(), &end, 10);
  if (digits.empty() || end != digits.c_str() + digits.size() || digits == "-" || digits == "+") {
    pos_ = start;
    return Error(::laplace::internal::Cat("'", digits, "' is not a number"));
  }
  if (errno == ERANGE) {
    pos_ = start;
    return Error(::laplace::internal::Cat("the integer ", digits, " does not fit in 64 bits"));
  }
  out = value;
  return absl::OkStatus();
}

}  // namespace laplace::linearizability::internal
