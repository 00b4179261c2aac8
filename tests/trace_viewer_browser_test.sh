#!/usr/bin/env bash
# Proves the trace viewer draws in a real browser: headless Chromium loads the
# HTML page of the replicated store's recorded bug (the crash, the lost write
# and the arrows between them) and of a small sample with known counts, with
# no console errors; screenshots go to the test's outputs. Without Chromium
# (or when it cannot start) the test FAILS, saying so: CI must not pass a
# viewer it never drew.
set -euo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
outputs="${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}"
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/viewer.XXXXXX")
test_name=ReplicatedKv.TheBuggyPrimaryLosesAnAcknowledgedWrite
replay=$(ls "$root/examples/replicated_kv/replays/$test_name/"*.textpb | head -n 1)

chromium=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null; then chromium=$(command -v "$candidate"); break; fi
done
if [[ -z "$chromium" ]]; then
  echo "FAIL: no chromium on PATH; run tools/setup.sh (it installs Debian's chromium package)"
  exit 1
fi
node=$(command -v node || true)
[[ -n "$node" ]] || { echo "FAIL: node is missing (tools/setup.sh installs nodejs)"; exit 1; }

# The page, made the way `laplace trace FILE --format=html` makes it: by the
# test binary that owns the replay.
LAPLACE_REPLAY="$replay" "$root/examples/replicated_kv/property_test" \
  --gtest_filter="$test_name" --laplace_trace_out="$work/replicated_kv.html" >"$work/kv.log" 2>&1 \
  || { cat "$work/kv.log"; echo "FAIL: the replay did not run"; exit 1; }
cp "$work/replicated_kv.html" "$outputs/"
"$root/replays/trace_export/write_sample" "$work"

check() {
  local status=0
  "$node" "$root/replays/trace_export/browser_check.js" --chromium="$chromium" "$@" || status=$?
  if (( status == 77 )); then
    echo "FAIL: $chromium cannot start here (its output is above); the viewer was not checked"
    exit 1
  fi
  return "$status"
}
check --page="$work/replicated_kv.html" --screenshots="$outputs/replicated_kv" --lost-message
check --page="$work/sample.html" --screenshots="$outputs/sample" \
  --expect='{"lanes":5,"arrows":7,"messages":3,"dropped":1,"crashes":1}' --lost-message
echo "PASS: screenshots in $outputs"
