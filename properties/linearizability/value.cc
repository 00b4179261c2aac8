#include "properties/linearizability/value.h"

#include "base/check.h"

namespace laplace::linearizability {

Value Value::List(std::vector<Value> items) {
  Value value;
  value.data_ = std::move(items);
  return value;
}

int64_t Value::integer() const {
  LAPLACE_CHECK(is_integer()) << "the value " << ToString() << " is not an integer";
  return std::get<int64_t>(data_);
}

const std::string& Value::string() const {
  LAPLACE_CHECK(is_string()) << "the value " << ToString() << " is not a string";
  return std::get<std::string>(data_);
}

const std::vector<Value>& Value::list() const {
  LAPLACE_CHECK(is_list()) << "the value " << ToString() << " is not a list";
  return std::get<std::vector<Value>>(data_);
}

namespace {

void AppendQuoted(std::string& out, const std::string& text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          constexpr char kHex[] = "0123456789abcdef";
          out.append("\\u00");
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendValue(std::string& out, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNil:
      out.append("nil");
      return;
    case Value::Kind::kInteger:
      out.append(std::to_string(value.integer()));
      return;
    case Value::Kind::kString:
      AppendQuoted(out, value.string());
      return;
    case Value::Kind::kList:
      out.push_back('[');
      for (size_t i = 0; i < value.list().size(); ++i) {
        if (i > 0) out.push_back(' ');
        AppendValue(out, value.list()[i]);
      }
      out.push_back(']');
      return;
  }
}

}  // namespace

std::string Value::ToString() const {
  std::string out;
  AppendValue(out, *this);
  return out;
}

std::strong_ordering operator<=>(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return a.kind() <=> b.kind();
  switch (a.kind()) {
    case Value::Kind::kNil:
      return std::strong_ordering::equal;
    case Value::Kind::kInteger:
      return a.integer() <=> b.integer();
    case Value::Kind::kString:
      return a.string().compare(b.string()) <=> 0;
    case Value::Kind::kList: {
      const std::vector<Value>& x = a.list();
      const std::vector<Value>& y = b.list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        std::strong_ordering order = x[i] <=> y[i];
        if (order != std::strong_ordering::equal) return order;
      }
      return x.size() <=> y.size();
    }
  }
  return std::strong_ordering::equal;
}

std::string_view KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNil:
      return "nil";
    case Value::Kind::kInteger:
      return "integer";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kList:
      return "list";
  }
  return "?";
}

}  // namespace laplace::linearizability
