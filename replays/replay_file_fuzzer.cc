// The libFuzzer target of the replay loader: ParseReplay() must never crash, abort or leak on
// any bytes, every rejection must be kDataLoss or kInvalidArgument naming the file, and every
// accepted replay must survive formatting, reparsing, tape conversion and `laplace show`.
//
// Built two ways: by tools/fuzz_replay_loader.sh with clang++ -fsanitize=fuzzer,address (a real
// fuzzing run), and by //replays:replay_file_fuzzer_regression_test with a plain main() that
// feeds it replays/testdata/ and fixed mutations of it.
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loop/choice.h"
#include "replays/internal/describe.h"
#include "replays/replay_file.h"

namespace {

constexpr char kFileName[] = "fuzz-input.textpb";

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "replay_file_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}

bool Equal(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

void CheckRejection(const absl::Status& status) {
  std::string message(status.message());
  if (status.code() != absl::StatusCode::kDataLoss &&
      status.code() != absl::StatusCode::kInvalidArgument) {
    Fail("a rejection has a code other than kDataLoss or kInvalidArgument", status.ToString());
  }
  if (message.rfind(kFileName, 0) != 0) Fail("a rejection does not name the file", message);
}

namespace replays = ::laplace::replays;

void CheckAccepted(const replays::Replay& replay) {
  using replays::FormatReplay;
  using replays::ParseReplay;
  using replays::Replay;
  std::string formatted = FormatReplay(replay);
  absl::StatusOr<Replay> again = ParseReplay(formatted, "formatted.textpb");
  if (!again.ok()) Fail("FormatReplay wrote a file ParseReplay rejects", again.status().ToString());
  if (!Equal(*again, replay)) Fail("a replay changed through FormatReplay", formatted);
  if (FormatReplay(*again) != formatted) Fail("FormatReplay is not deterministic", formatted);
  Replay copy = replay;
  replays::SetReplayTape(replays::TapeFromReplay(replay), copy);
  if (!Equal(copy, replay)) Fail("a tape changed through laplace::Tape", formatted);
  std::string shown = replays::internal::DescribeReplay(replay, kFileName);
  if (shown.empty()) Fail("DescribeReplay printed nothing", formatted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<laplace::replays::Replay> replay = laplace::replays::ParseReplay(text, kFileName);
  if (replay.ok()) {
    CheckAccepted(*replay);
  } else {
    CheckRejection(replay.status());
  }
  return 0;
}
