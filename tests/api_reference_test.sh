#!/usr/bin/env bash
# Proves docs/api.md links every public header: each .h of the public
# packages (not internal/, not testing/, not a test) appears as a link
# "(../<path>)", so a new header cannot land without its line in the reference.
set -uo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
api="$root/docs/api.md"
[[ -f "$api" ]] || { echo "FAIL: docs/api.md is not in the runfiles"; exit 1; }
missing=0
count=0
while read -r header; do
  count=$((count + 1))
  if ! grep -qF "](../$header)" "$api"; then
    echo "FAIL: docs/api.md does not link $header"
    missing=$((missing + 1))
  fi
done < <(cd "$root" && find loop sim properties replays -name '*.h' \
  -not -path '*/internal/*' -not -path '*/testing/*' -not -name '*_test.h' | sort)
(( count > 40 )) || { echo "FAIL: only $count public headers found; is the data list complete?"; exit 1; }
(( missing == 0 )) || exit 1
echo "PASS: docs/api.md links all $count public headers"
