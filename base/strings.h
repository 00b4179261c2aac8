// Cat() and Append(): string building that accepts std::string_view.
//
// Debian 12 builds Abseil with its own absl::string_view (not an alias of
// std::string_view), so absl::StrCat rejects the std::string_view that
// Laplace's API uses. These two small helpers take strings, string views,
// characters and integers.
//
//   std::string s = laplace::internal::Cat("task #", 3, " '", label, "'");
#ifndef LAPLACE_BASE_STRINGS_H_
#define LAPLACE_BASE_STRINGS_H_

#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace laplace::internal {

inline void AppendOne(std::string& out, std::string_view text) { out.append(text); }
inline void AppendOne(std::string& out, const std::string& text) { out.append(text); }
#if !defined(ABSL_USES_STD_STRING_VIEW)
// Abseil's own string_view (Debian's build): status messages are this type.
inline void AppendOne(std::string& out, absl::string_view text) {
  out.append(text.data(), text.size());
}
#endif
inline void AppendOne(std::string& out, const char* text) { out.append(text); }
inline void AppendOne(std::string& out, char c) { out.push_back(c); }
template <std::integral Integer>
requires(!std::same_as<Integer, char> &&
         !std::same_as<Integer, bool>) void AppendOne(std::string& out, Integer value) {
  out.append(std::to_string(value));
}

// Appends every argument to `out`.
template <typename... Parts>
void Append(std::string& out, const Parts&... parts) {
  (AppendOne(out, parts), ...);
}

// Concatenates every argument.
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  Append(out, parts...);
  return out;
}

}  // namespace laplace::internal

#endif  // LAPLACE_BASE_STRINGS_H_
