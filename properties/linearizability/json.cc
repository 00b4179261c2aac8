#include "properties/linearizability/json.h"

#include <string>
#include <utility>

#include "base/strings.h"
#include "properties/linearizability/internal/datum.h"
#include "properties/linearizability/internal/scanner.h"

namespace laplace::linearizability {
namespace {

using internal::Datum;
using ::laplace::internal::Cat;

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
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\n')) {
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
    datum.items.reserve(12);  // an event's object has 4-6 pairs
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
    absl::Status read = ReadQuoted(datum.text);
    if (!read.ok()) return read;
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
    absl::Status read = ReadInteger(number, start, datum.integer);
    if (!read.ok()) return read;
    datum.kind = Datum::Kind::kInteger;
    return datum;
  }
};

}  // namespace

absl::StatusOr<internal::Datum> ParseJson(std::string_view text) { return Reader(text).ReadTop(); }

}  // namespace laplace::linearizability
