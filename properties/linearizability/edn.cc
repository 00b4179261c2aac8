#include "properties/linearizability/edn.h"

#include <string>
#include <utility>

#include "base/strings.h"
#include "properties/linearizability/internal/datum.h"
#include "properties/linearizability/internal/scanner.h"

namespace laplace::linearizability {
namespace {

using internal::Datum;
using ::laplace::internal::Cat;

bool IsDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '(' || c == ')' ||
         c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == ';';
}

class Reader : public internal::Scanner {
 public:
  explicit Reader(std::string_view text) : Scanner(text) {}

  absl::StatusOr<Datum> ReadTop() {
    absl::StatusOr<Datum> value = Read(0);
    if (!value.ok()) return value;
    SkipSpace();
    if (pos_ < text_.size()) return Error("more after the value; one value per line");
    return value;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ';') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
        ++pos_;
      } else {
        return;
      }
    }
  }

  absl::StatusOr<Datum> Read(int depth) {
    if (depth >= internal::kDatumDepthMax) return Error("values nest too deeply");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("a value was expected, the line ended");
    Datum datum;
    datum.column = static_cast<int>(pos_) + 1;
    char c = text_[pos_];
    switch (c) {
      case '(':
        return ReadItems(std::move(datum), Datum::Kind::kList, ')', depth);
      case '[':
        return ReadItems(std::move(datum), Datum::Kind::kVector, ']', depth);
      case '{':
        return ReadItems(std::move(datum), Datum::Kind::kMap, '}', depth);
      case ')':
      case ']':
      case '}':
        return Error(Cat("unexpected '", c, "'"));
      case '"':
        return ReadString(std::move(datum));
      case '\\':
        return ReadCharacter(std::move(datum));
      case '#':
        return ReadDispatch(std::move(datum), depth);
      default:
        return ReadAtom(std::move(datum));
    }
  }

  absl::StatusOr<Datum> ReadItems(Datum datum, Datum::Kind kind, char close, int depth) {
    datum.kind = kind;
    datum.items.reserve(kind == Datum::Kind::kMap ? 12 : 4);  // an event's map has 4-6 pairs
    ++pos_;  // the opening bracket
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) return Error(Cat("'", close, "' was expected, the line ended"));
      if (text_[pos_] == close) {
        ++pos_;
        break;
      }
      absl::StatusOr<Datum> item = Read(depth + 1);
      if (!item.ok()) return item;
      datum.items.push_back(*std::move(item));
    }
    if (kind == Datum::Kind::kMap && datum.items.size() % 2 != 0) {
      pos_ = static_cast<size_t>(datum.column - 1);
      return Error("a map needs a value for every key");
    }
    return datum;
  }

  absl::StatusOr<Datum> ReadString(Datum datum) {
    datum.kind = Datum::Kind::kString;
    absl::Status read = ReadQuoted(datum.text);
    if (!read.ok()) return read;
    return datum;
  }

  absl::StatusOr<Datum> ReadCharacter(Datum datum) {
    datum.kind = Datum::Kind::kString;
    ++pos_;
    size_t start = pos_;
    while (pos_ < text_.size() && (pos_ == start || !IsDelimiter(text_[pos_]))) ++pos_;
    std::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) return Error("a character was expected after '\\'");
    if (name == "newline") {
      datum.text = "\n";
    } else if (name == "space") {
      datum.text = " ";
    } else if (name == "tab") {
      datum.text = "\t";
    } else {
      datum.text = std::string(name);
    }
    return datum;
  }

  absl::StatusOr<Datum> ReadDispatch(Datum datum, int depth) {
    ++pos_;
    if (pos_ >= text_.size()) return Error("something was expected after '#'");
    if (text_[pos_] == '{') {
      absl::StatusOr<Datum> set = ReadItems(std::move(datum), Datum::Kind::kSet, '}', depth);
      return set;
    }
    if (text_[pos_] == '_') {  // discard the next value
      ++pos_;
      absl::StatusOr<Datum> discarded = Read(depth + 1);
      if (!discarded.ok()) return discarded;
      return Read(depth);
    }
    // A tagged value: #tag value. The tag says how to read the value; we keep it as written.
    size_t start = pos_;
    while (pos_ < text_.size() && !IsDelimiter(text_[pos_])) ++pos_;
    if (pos_ == start) return Error("a tag was expected after '#'");
    return Read(depth + 1);
  }

  absl::StatusOr<Datum> ReadAtom(Datum datum) {
    size_t start = pos_;
    while (pos_ < text_.size() && !IsDelimiter(text_[pos_])) ++pos_;
    std::string_view atom = text_.substr(start, pos_ - start);
    if (atom[0] == ':') {
      if (atom.size() == 1) return Error("a keyword needs a name after ':'");
      datum.kind = Datum::Kind::kKeyword;
      datum.text = std::string(atom.substr(1));
      return datum;
    }
    bool sign = atom[0] == '+' || atom[0] == '-';
    if ((atom[0] >= '0' && atom[0] <= '9') ||
        (sign && atom.size() > 1 && atom[1] >= '0' && atom[1] <= '9')) {
      return ReadNumber(std::move(datum), atom, start);
    }
    if (atom == "nil") {
      datum.kind = Datum::Kind::kNil;
    } else if (atom == "true" || atom == "false") {
      datum.kind = Datum::Kind::kBoolean;
      datum.boolean = atom == "true";
    } else {
      datum.kind = Datum::Kind::kSymbol;
      datum.text = std::string(atom);
    }
    return datum;
  }

  absl::StatusOr<Datum> ReadNumber(Datum datum, std::string_view atom, size_t start) {
    std::string digits(atom);
    if (digits.back() == 'N') digits.pop_back();
    if (digits.find_first_of(".eE/M") != std::string::npos) {
      datum.kind = Datum::Kind::kFloat;
      datum.text = std::string(atom);
      return datum;
    }
    absl::Status read = ReadInteger(digits, start, datum.integer);
    if (!read.ok()) return read;
    datum.kind = Datum::Kind::kInteger;
    return datum;
  }
};

}  // namespace

absl::StatusOr<internal::Datum> ParseEdn(std::string_view text) { return Reader(text).ReadTop(); }

}  // namespace laplace::linearizability
