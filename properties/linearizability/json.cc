#include "properties/linearizability/json.h"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>

#include "loop/internal/strings.h"

namespace laplace::linearizability {
namespace {

using ::laplace::internal::Cat;
using internal::Datum;

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

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  absl::StatusOr<Datum> ReadTop() {
    absl::StatusOr<Datum> value = Read(0);
    if (!value.ok()) return value;
    SkipSpace();
    if (pos_ < text_.size()) return Error("more after the value; one value per line");
    return value;
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(Cat("column ", pos_ + 1, ": ", what));
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' || text_[pos_] == '\n')) {
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  absl::StatusOr<Datum> Read(int depth) {
    if (depth >= internal::kDatumDepthMax) return Error("values nest too deeply");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("a value was expected, the line ended");
    Datum datum;
    datum.column = static_cast<int>(pos_) + 1;
    char c = text_[pos_];
    if (c == '{') return ReadObject(std::move(datum), depth);
    if (c == '[') return ReadArray(std::move(datum), depth);
    if (c == '"') return ReadString(std::move(datum));
    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber(std::move(datum));
    if (Literal("null")) return datum;
    for (bool truth : {true, false}) {
      if (Literal(truth ? "true" : "false")) {
        datum.kind = Datum::Kind::kBoolean;
        datum.boolean = truth;
        return datum;
      }
    }
    return Error(Cat("a value was expected, not '", c, "'"));
  }

  absl::StatusOr<Datum> ReadObject(Datum datum, int depth) {
    datum.kind = Datum::Kind::kMap;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return datum;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("a \"key\" was expected");
      absl::StatusOr<Datum> key = ReadString(Datum{.column = static_cast<int>(pos_) + 1});
      if (!key.ok()) return key;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("':' was expected after a key");
      ++pos_;
      absl::StatusOr<Datum> value = Read(depth + 1);
      if (!value.ok()) return value;
      datum.items.push_back(*std::move(key));
      datum.items.push_back(*std::move(value));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return datum;
      }
      return Error("',' or '}' was expected");
    }
  }

  absl::StatusOr<Datum> ReadArray(Datum datum, int depth) {
    datum.kind = Datum::Kind::kVector;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return datum;
    }
    while (true) {
      absl::StatusOr<Datum> item = Read(depth + 1);
      if (!item.ok()) return item;
      datum.items.push_back(*std::move(item));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return datum;
      }
      return Error("',' or ']' was expected");
    }
  }

  absl::StatusOr<Datum> ReadString(Datum datum) {
    datum.kind = Datum::Kind::kString;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c != '\\') {
        datum.text.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) break;
      char escaped = text_[pos_++];
      switch (escaped) {
        case 'n':
          datum.text.push_back('\n');
          break;
        case 't':
          datum.text.push_back('\t');
          break;
        case 'r':
          datum.text.push_back('\r');
          break;
        case 'b':
          datum.text.push_back('\b');
          break;
        case 'f':
          datum.text.push_back('\f');
          break;
        case '"':
        case '\\':
        case '/':
          datum.text.push_back(escaped);
          break;
        case 'u': {
          std::string hex(text_.substr(pos_, 4));
          char* end = nullptr;
          unsigned long code = hex.size() == 4 ? std::strtoul(hex.c_str(), &end, 16) : 0;
          if (hex.size() != 4 || end != hex.c_str() + 4) return Error("\\u needs four hex digits");
          pos_ += 4;
          AppendUtf8(datum.text, static_cast<uint32_t>(code));
          break;
        }
        default:
          --pos_;
          return Error(Cat("unknown escape '\\", escaped, "' in a string"));
      }
    }
    if (pos_ >= text_.size()) return Error("a string is not closed (a '\"' is missing)");
    ++pos_;
    return datum;
  }

  absl::StatusOr<Datum> ReadNumber(Datum datum) {
    size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    bool fraction = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '.' || c == 'e' || c == 'E' || c == '+' || (c == '-' && pos_ > start)) {
        fraction = true;
      } else if (!(c >= '0' && c <= '9')) {
        break;
      }
      ++pos_;
    }
    std::string number(text_.substr(start, pos_ - start));
    if (fraction) {
      datum.kind = Datum::Kind::kFloat;
      datum.text = number;
      return datum;
    }
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(number.c_str(), &end, 10);
    if (end != number.c_str() + number.size() || number == "-") {
      pos_ = start;
      return Error(Cat("'", number, "' is not a number"));
    }
    if (errno == ERANGE) {
      pos_ = start;
      return Error(Cat("the integer ", number, " does not fit in 64 bits"));
    }
    datum.kind = Datum::Kind::kInteger;
    datum.integer = value;
    return datum;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<internal::Datum> ParseJson(std::string_view text) { return Reader(text).ReadTop(); }

}  // namespace laplace::linearizability
