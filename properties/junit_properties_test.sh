#!/usr/bin/env bash
# Proves what a failing Laplace test leaves for CI: the JUnit XML of
# --gtest_output names the failure's seed, signature, strategy and replay
# file (RecordProperty), and TEST_UNDECLARED_OUTPUTS_DIR holds its replay,
# text trace, HTML page and Perfetto JSON; --laplace_artifacts=0 leaves none.
set -uo pipefail
binary="${TEST_SRCDIR}/${TEST_WORKSPACE}/properties/failing_property"
fail() { echo "FAIL: $*"; exit 1; }
work="${TEST_TMPDIR}/junit"
rm -rf "$work"
mkdir -p "$work/outputs" "$work/corpus"

TEST_UNDECLARED_OUTPUTS_DIR="$work/outputs" LAPLACE_CORPUS_ROOT="$work/corpus" LAPLACE_BASE_SEED=0 \
  "$binary" --gtest_output="xml:$work/report.xml" >"$work/log" 2>&1
status=$?
[[ $status -eq 1 ]] || { cat "$work/log"; fail "the failing property exited $status, not 1"; }
xml=$(cat "$work/report.xml")
for name in laplace_seed laplace_base_seed laplace_signature laplace_strategy laplace_replay \
            laplace_artifacts; do
  grep -q "<property name=\"$name\" value=\"[^\"]" <<<"$xml" || fail "no $name property in: $xml"
done
grep -q '<property name="laplace_signature" value="assertion:properties/testing/failing_property.cc:' \
  <<<"$xml" || fail "the signature is not the assertion's: $xml"
grep -q '<property name="laplace_strategy" value="random-walk"' <<<"$xml" || fail "no strategy: $xml"
grep -q "<property name=\"laplace_replay\" value=\"$work/corpus/" <<<"$xml" \
  || fail "the replay is not in the corpus root: $xml"
for file in Harness.ALostUpdateFails.replay.textpb Harness.ALostUpdateFails.trace.txt \
            Harness.ALostUpdateFails.trace.html Harness.ALostUpdateFails.perfetto.json; do
  [[ -s "$work/outputs/$file" ]] || fail "no $file in the outputs folder: $(ls "$work/outputs")"
done
grep -q '^# failure: assertion' "$work/outputs/Harness.ALostUpdateFails.trace.txt" \
  || fail "the text trace has no failure line"

rm -rf "$work/outputs"/*
TEST_UNDECLARED_OUTPUTS_DIR="$work/outputs" LAPLACE_CORPUS_ROOT="$work/corpus" LAPLACE_BASE_SEED=0 \
  "$binary" --laplace_artifacts=0 --gtest_output="xml:$work/off.xml" >/dev/null 2>&1
[[ -z "$(ls -A "$work/outputs")" ]] || fail "--laplace_artifacts=0 left: $(ls "$work/outputs")"
if grep -q 'laplace_seed' "$work/off.xml"; then fail "--laplace_artifacts=0 still recorded properties"; fi
echo "PASS"
