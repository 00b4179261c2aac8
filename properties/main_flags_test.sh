#!/usr/bin/env bash
# Proves the Laplace test main's flags: a known flag is accepted (and becomes
# the environment variable the harness reads), an unknown or malformed one is
# refused with exit status 2 and the list of flags.
set -uo pipefail
binary="${TEST_SRCDIR}/${TEST_WORKSPACE}/properties/property_test"
fail() { echo "FAIL: $*"; exit 1; }

"$binary" --gtest_filter='SplitParameters.*' --laplace_cases=1 >/dev/null 2>&1 \
  || fail "--laplace_cases=1 was refused"

output=$("$binary" --laplace_bogus=1 2>&1); status=$?
[[ $status -eq 2 ]] || fail "an unknown flag exited $status, not 2"
grep -q "bad flag --laplace_bogus=1" <<<"$output" || fail "no 'bad flag' message: $output"
grep -q -- "--laplace_seed=VALUE" <<<"$output" || fail "no list of flags: $output"

"$binary" --laplace_seed >/dev/null 2>&1; status=$?
[[ $status -eq 2 ]] || fail "--laplace_seed without a value exited $status, not 2"

"$binary" --laplace_trace=yes >/dev/null 2>&1; status=$?
[[ $status -eq 2 ]] || fail "--laplace_trace=yes (it takes no value) exited $status, not 2"

echo "PASS"
