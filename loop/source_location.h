// SourceLocation: where in the user's code something happened.
//
// std::source_location needs a compiler builtin that clang 14 lacks, and
// Laplace builds with both g++ 12 and clang 14, so this is a minimal
// stand-in on the __builtin_FILE/__builtin_LINE builtins both compilers have.
// Used for "promise set twice: first at a.cc:10" and for BUGGIFY sites.
//
//   void Log(laplace::SourceLocation where = laplace::SourceLocation::current()) {
//     std::cout << where.file_name() << ":" << where.line();
//   }
#ifndef LAPLACE_LOOP_SOURCE_LOCATION_H_
#define LAPLACE_LOOP_SOURCE_LOCATION_H_

#include <cstdint>

namespace laplace {

class SourceLocation {
 public:
  // As a default argument, captures the caller's location.
  static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                          uint32_t line = __builtin_LINE()) {
    return SourceLocation(file, line);
  }
  constexpr SourceLocation() = default;

  constexpr const char* file_name() const { return file_; }
  constexpr uint32_t line() const { return line_; }

 private:
  constexpr SourceLocation(const char* file, uint32_t line) : file_(file), line_(line) {}

  const char* file_ = "(unknown)";
  uint32_t line_ = 0;
};

}  // namespace laplace

#endif  // LAPLACE_LOOP_SOURCE_LOCATION_H_
