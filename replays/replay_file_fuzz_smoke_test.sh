#!/usr/bin/env bash
# Fuzzes the replay loader for a few seconds (libFuzzer + ASan, --config=fuzz)
# from replays/testdata/: the fuzzer must build, load every seed file, run
# thousands of mutations and find no crash, leak or timeout.
set -uo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
work="${TEST_TMPDIR}/fuzz"
mkdir -p "$work/corpus"
seconds="${LAPLACE_FUZZ_SMOKE_SECONDS:-5}"
(cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$root/replays/replay_file_fuzzer" \
  -seed=1 -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
  -dict="$root/replays/replay_file_fuzzer.dict" -artifact_prefix="$work/" \
  "$work/corpus" "$root/replays/testdata" >"$work/fuzz.log" 2>&1)
status=$?
if ((status != 0)); then
  echo "FAIL: the replay loader's fuzzer stopped with status $status"
  tail -n 60 "$work/fuzz.log"
  ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
  exit 1
fi
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/fuzz.log" | grep -oE '[0-9]+$')
if [[ -z "$runs" || "$runs" -lt 100 ]]; then
  echo "FAIL: the fuzzer ran only '${runs:-no}' inputs in ${seconds}s"
  tail -n 30 "$work/fuzz.log"
  exit 1
fi
echo "PASS: $runs inputs in ${seconds}s, no crash"
