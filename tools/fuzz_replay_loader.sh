#!/usr/bin/env bash
# Fuzzes the replay loader (replays/replay_file_fuzzer.cc) with libFuzzer and
# AddressSanitizer: the Bazel target //replays:replay_file_fuzzer, built with
# --config=fuzz from the same targets as the library (so it cannot stop
# linking when a source file is added).
#
#   tools/fuzz_replay_loader.sh          # 30 seconds
#   tools/fuzz_replay_loader.sh 600      # ten minutes
#
# The seed corpus is replays/testdata/ (valid and damaged files); it is only
# read. New inputs and any crash reproducer go to a fresh work directory,
# printed at the end. On a crash the script exits non-zero; rerun the
# reproducer with `bazel run --config=fuzz //replays:replay_file_fuzzer -- <work>/crash-...`.
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
mkdir -p "$work/corpus"
cd "$root"
bazel build --config=fuzz //replays:replay_file_fuzzer
fuzzer="$root/bazel-bin/replays/replay_file_fuzzer"

echo "fuzzing for ${seconds}s; seed corpus $root/replays/testdata"
status=0
(cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$fuzzer" \
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
