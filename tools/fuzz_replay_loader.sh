#!/usr/bin/env bash
# Fuzzes the replay loader (replays/replay_file_fuzzer.cc) with libFuzzer and
# AddressSanitizer, built directly with clang++ outside Bazel against the
# system Abseil and Protobuf.
#
#   tools/fuzz_replay_loader.sh          # 30 seconds
#   tools/fuzz_replay_loader.sh 600      # ten minutes
#
# The seed corpus is replays/testdata/ (valid and damaged files); it is only
# read. New inputs, the build and any crash reproducer go to a fresh work
# directory, printed at the end. On a crash the script exits non-zero; rerun
# the reproducer with `<work>/replay_file_fuzzer <work>/crash-...`.
set -euo pipefail

seconds="${1:-30}"
case "$seconds" in
  '' | *[!0-9]*)
    echo "usage: $0 [SECONDS]   (default 30)" >&2
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/laplace-fuzz-replay.XXXXXX")"
mkdir -p "$work/gen" "$work/corpus"

# The same protoc as the Bazel build (replays/BUILD.bazel's genrule).
/usr/bin/protoc --proto_path="$root" --cpp_out="$work/gen" "$root/replays/replay.proto"

sources=(
  "$root/replays/replay_file_fuzzer.cc"
  "$root/replays/replay_file.cc"
  "$root/replays/internal/describe.cc"
  "$root/replays/internal/file_io.cc"
  "$root/replays/internal/text.cc"
  "$root/replays/internal/validate.cc"
  "$root/loop/choice.cc"
  "$root/loop/time.cc"
  "$root/base/check.cc"
  "$work/gen/replays/replay.pb.cc"
)

echo "building $work/replay_file_fuzzer ..."
# shellcheck disable=SC2046  # pkg-config prints several words on purpose
clang++ -std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address \
  -Wall -Wextra -Werror -Wno-missing-field-initializers \
  -I"$root" -I"$work/gen" \
  "${sources[@]}" \
  $(pkg-config --libs absl_status absl_statusor protobuf) -pthread \
  -o "$work/replay_file_fuzzer"

echo "fuzzing for ${seconds}s; seed corpus $root/replays/testdata"
status=0
(cd "$work" && ASAN_OPTIONS=detect_leaks=1 ./replay_file_fuzzer \
  -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
  -dict="$root/replays/replay_file_fuzzer.dict" -artifact_prefix="$work/" \
  "$work/corpus" "$root/replays/testdata") || status=$?

echo
if [ "$status" -eq 0 ]; then
  echo "no crash in ${seconds}s; work directory (new inputs): $work"
else
  echo "the fuzzer stopped with status $status; reproducer and log in $work" >&2
  ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
fi
exit "$status"
