// Small text helpers for error messages and reports about replay files.
//
// A replay file may hold anything (a damaged file, a fuzzer's bytes), and its
// strings end up in error messages and on terminals. These helpers make such
// text safe to print: control and non-ASCII bytes are escaped, and long values
// are cut short.
//
//   std::string shown = Quote(replay.test_name());  // "\"Bank.\\x01\"" style
#ifndef LAPLACE_REPLAYS_INTERNAL_TEXT_H_
#define LAPLACE_REPLAYS_INTERNAL_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace laplace::replays::internal {

// How many bytes of a value an error message shows before "...".
inline constexpr size_t kShownBytesMax = 80;

// `text` with every byte outside printable ASCII (and the backslash) written
// as \xHH, cut to `bytes_max` input bytes followed by "..." when longer.
std::string Escape(std::string_view text, size_t bytes_max = kShownBytesMax);

// Escape(text) in double quotes, for naming a value in a message.
std::string Quote(std::string_view text, size_t bytes_max = kShownBytesMax);

// `text` for a terminal: control bytes (below 0x20, and 0x7f) written as
// \xHH so that a hostile file cannot move the cursor or recolour the screen;
// UTF-8 is kept as is. No length limit.
std::string EscapeControl(std::string_view text);

// The name used for a file in messages: `file_name`, or "<replay>" when empty.
std::string ShownFileName(std::string_view file_name);

}  // namespace laplace::replays::internal

#endif  // LAPLACE_REPLAYS_INTERNAL_TEXT_H_
