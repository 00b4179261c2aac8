#!/usr/bin/env bash
# Proves the settings policy of the Laplace test main: known flags and
# variables are accepted; a malformed or out-of-range value, an unknown or
# misspelled flag, or a shard index outside the shard count exits 2 before
# any test runs, naming what is wrong and what is accepted; --help lists the
# Laplace flags after GoogleTest's; --laplace_replay skips the other
# properties instead of failing them, and refuses a file whose test the
# binary does not have.
set -uo pipefail
binary="${TEST_SRCDIR}/${TEST_WORKSPACE}/properties/property_test"
fail() { echo "FAIL: $*"; exit 1; }
quick=(--gtest_filter='SplitParameters.*')

# refused WHAT EXPECTED_TEXT CMD...: exits 2, says EXPECTED_TEXT, runs nothing.
refused() {
  local what=$1 expected=$2
  shift 2
  local output status
  output=$("$@" 2>&1); status=$?
  [[ $status -eq 2 ]] || fail "$what exited $status, not 2: $output"
  grep -qF -- "$expected" <<<"$output" || fail "$what: no '$expected' in: $output"
  if grep -q "Running" <<<"$output"; then fail "$what ran tests before refusing: $output"; fi
}

"$binary" "${quick[@]}" --laplace_cases=1 >/dev/null 2>&1 || fail "--laplace_cases=1 was refused"
LAPLACE_SEED=16195778446538504823:9 "$binary" "${quick[@]}" >/dev/null 2>&1 \
  || fail "a seed of 10^19 or more was refused"

refused "an unknown flag" '--laplace_bogus=1: unknown flag' "$binary" --laplace_bogus=1
refused "a misspelled flag" 'did you mean --laplace_seed?' "$binary" --laplace-seed=3
refused "--laplace_seed without a value" 'needs a value' "$binary" --laplace_seed
refused "--laplace_trace=yes" 'expected 1 or 0' "$binary" --laplace_trace=yes
refused "LAPLACE_CASES=abc" 'LAPLACE_CASES="abc": expected a whole number from 1 to 10000000' \
  env LAPLACE_CASES=abc "$binary"
refused "LAPLACE_CASES=99999999999" 'LAPLACE_CASES="99999999999"' \
  env LAPLACE_CASES=99999999999 "$binary"
refused "LAPLACE_TRACE=maybe" 'LAPLACE_TRACE="maybe"' env LAPLACE_TRACE=maybe "$binary"
refused "LAPLACE_RECORD=2" 'LAPLACE_RECORD="2"' env LAPLACE_RECORD=2 "$binary"
refused "LAPLACE_WRITE_REPLAYS=abc" 'LAPLACE_WRITE_REPLAYS="abc"' \
  env LAPLACE_WRITE_REPLAYS=abc "$binary"
refused "LAPLACE_SHRINK_SECONDS=5x" 'expected a duration' env LAPLACE_SHRINK_SECONDS=5x "$binary"
refused "a shard index outside the shard count" 'TEST_SHARD_INDEX="3"' \
  env TEST_TOTAL_SHARDS=2 TEST_SHARD_INDEX=3 "$binary"
refused "a misspelled variable" 'did you mean LAPLACE_SEED?' env LAPLACE_SEDD=3 "$binary"
refused "a missing replay file" 'no such file' "$binary" --laplace_replay=/no/such/file.textpb

output=$("$binary" --help 2>&1); status=$?
[[ $status -eq 0 ]] || fail "--help exited $status"
gtest_line=$(grep -n -- "--gtest_filter" <<<"$output" | head -1 | cut -d: -f1)
laplace_line=$(grep -n -- "--laplace_seed=S" <<<"$output" | head -1 | cut -d: -f1)
[[ -n "$gtest_line" && -n "$laplace_line" && "$laplace_line" -gt "$gtest_line" ]] \
  || fail "--help does not list the Laplace flags after GoogleTest's: $output"
grep -q "LAPLACE_BASE_SEED" <<<"$output" || fail "--help does not name the variables"

# Record a known bug's file, then replay it with no --gtest_filter: the
# binary's other properties are skipped, not failed.
corpus="${TEST_TMPDIR}/corpus"
"$binary" --gtest_filter=Property.LostUpdatesAreFoundAsAKnownBug --laplace_record \
  --laplace_corpus_root="$corpus" >/dev/null 2>&1 || fail "recording the known bug failed"
file=$(find "$corpus" -name '*.textpb' | head -1)
[[ -n "$file" ]] || fail "no replay file was recorded"
output=$("$binary" --gtest_filter='Property.*' --laplace_replay="$file" 2>&1); status=$?
[[ $status -eq 0 ]] || fail "replaying one file failed the other tests: $output"
grep -q "SKIPPED.*Property.LockedIncrementsNeverLoseUpdates" <<<"$output" \
  || fail "the other property was not skipped: $output"
grep -q "reproduced assertion" <<<"$output" || fail "the file was not replayed: $output"

# A file whose test is not in the binary (a renamed property) is refused,
# not passed having replayed nothing.
renamed="${TEST_TMPDIR}/renamed.textpb"
sed 's/LostUpdatesAreFoundAsAKnownBug/NoLongerHere/' "$file" >"$renamed"
refused "a replay file of a test not in the binary" 'Property.NoLongerHere, which is not in this binary' \
  "$binary" --laplace_replay="$renamed"

echo "PASS"
