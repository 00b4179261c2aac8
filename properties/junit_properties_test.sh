#!/usr/bin/env bash
# Proves what a failing Laplace test leaves for CI, end to end through a real
# test binary: the JUnit XML of --gtest_output names the failure's seed,
# signature, strategy, replay file and artifacts (RecordProperty), and
# TEST_UNDECLARED_OUTPUTS_DIR/laplace/<test>/ holds its replay, text trace,
# HTML page and Perfetto JSON.
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
for name in laplace_seed laplace_signature laplace_strategy laplace_replay laplace_artifacts; do
  grep -q "<property name=\"$name\" value=\"[^\"]" <<<"$xml" || fail "no $name property in: $xml"
done
grep -q '<property name="laplace_signature" value="assertion:properties/testing/failing_property.cc:' \
  <<<"$xml" || fail "the signature is not the assertion's: $xml"
grep -q '<property name="laplace_strategy" value="random-walk"' <<<"$xml" || fail "no strategy: $xml"
grep -q "<property name=\"laplace_replay\" value=\"$work/corpus/" <<<"$xml" \
  || fail "the replay is not in the corpus root: $xml"
folder="$work/outputs/laplace/Harness.ALostUpdateFails"
for ending in .textpb .trace.txt .trace.html .perfetto.json; do
  found=$(ls "$folder"/*"$ending" 2>/dev/null | head -n 1)
  [[ -s "$found" ]] || fail "no *$ending in $folder: $(ls -R "$work/outputs")"
done
grep -q '^Laplace found a failure in Harness.ALostUpdateFails' "$folder"/*.trace.txt \
  || fail "the text trace does not open with the report"
grep -q '<!DOCTYPE html>' "$folder"/*.trace.html || fail "the HTML page is not a page"
grep -q '"traceEvents"' "$folder"/*.perfetto.json || fail "the Perfetto file has no traceEvents"
echo "PASS"
