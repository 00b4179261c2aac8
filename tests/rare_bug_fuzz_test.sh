#!/usr/bin/env bash
# Proves coverage-guided schedule fuzzing finds a bug the random walk misses
# (//tests:rare_bug_test: not in 20,000 seeds): the vault's fuzzer, with a fixed
# seed and a budget of inputs, opens it, writes an ordinary replay file into the
# corpus, and that file checks and replays (the same failure and trace digest)
# with the property's ordinary test binary. Run with --config=fuzz.
set -uo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
work="${TEST_TMPDIR}/fuzz"
mkdir -p "$work/inputs"
budget=300000  # inputs; the vault usually opens within a few tens of thousands
fail() {
  echo "FAIL: $1"
  tail -n 60 "$work/fuzz.log"
  exit 1
}
(cd "$work" && LAPLACE_CORPUS_ROOT="$work/corpus" "$root/tests/rare_bug_fuzz" \
  -seed=1 -runs="$budget" -artifact_prefix="$work/" "$work/inputs" >"$work/fuzz.log" 2>&1)
status=$?
((status != 0)) || fail "the fuzzer did not open the vault in $budget inputs"
grep -q "the fuzzer found a failure; stopping" "$work/fuzz.log" ||
  fail "the fuzzer stopped (status $status) without a Laplace failure"
execs=$(grep -oE '^#[0-9]+' "$work/fuzz.log" | tail -n 1)
file=$(ls "$work"/corpus/tests/replays/RareBug.TheVaultStaysLocked/*.textpb 2>/dev/null | head -n 1)
[[ -n "$file" ]] || fail "no replay file in $work/corpus/tests/replays/RareBug.TheVaultStaysLocked"
"$root/replays/laplace" check "$file" >"$work/check.log" 2>&1 || fail "laplace check: $(cat "$work/check.log")"
grep -q 'bazel_target: "//tests:rare_bug_replay"' "$file" || fail "the file does not name the test that replays it"
LAPLACE_REPLAY="$file" "$root/tests/rare_bug_replay" >"$work/replay.log" 2>&1 ||
  { cat "$work/replay.log"; fail "the replay file does not replay"; }
grep -q "reproduced invariant:vault-stays-locked with the same trace" "$work/replay.log" ||
  { cat "$work/replay.log"; fail "the replay did not reproduce the failure"; }
echo "PASS: the fuzzer opened the vault (libFuzzer's last count: $execs) and $file replays"
