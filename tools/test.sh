#!/usr/bin/env bash
# The whole test suite: installs what Laplace needs (once), then runs every
# test under g++, under clang, and under AddressSanitizer (with leak checks),
# the determinism tests and the canary at -O2 under both compilers, the
# coverage-guided fuzzing test (clang, libFuzzer), and the consumer workspace
# (Laplace as another workspace's dependency). The CI profile checks
# determinism on 20% of every sweep's cases (a user's default is 5%). The last
# line is the summary `N passed, N failed`, counted from Bazel's per-target
# results.
#
#   tools/test.sh              # everything
#   tools/test.sh --quick      # g++ only
set -uo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh || exit 1

quick=false
[[ "${1:-}" == "--quick" ]] && quick=true

log_dir=$(mktemp -d)
passed=0
failed=0
failures=()

# run NAME BAZEL_ARGS...: one `bazel test` pass; tallies its per-target lines.
# With WORKSPACE_DIR set, the pass runs in that workspace instead.
run() {
  local name=$1
  shift
  local log="$log_dir/$name.log"
  echo "== $name: ${WORKSPACE_DIR:+(in $WORKSPACE_DIR) }bazel test $*"
  local start=$SECONDS
  # --nocache_test_results: the disk cache would otherwise replay earlier
  # results, and a CI run should run its tests. LAPLACE_BASE_SEED=0: CI's
  # own run explores the same cases every time (a user's `bazel test`
  # explores from a fresh base seed).
  # LAPLACE_CHECK_DETERMINISM=20%: CI reruns a fifth of every sweep's cases
  # (and the first, and every failure) to check they run the same twice.
  (cd "${WORKSPACE_DIR:-.}" &&
    bazel test --keep_going --nocache_test_results --test_summary=short --noshow_progress \
      --test_env=LAPLACE_BASE_SEED=0 --test_env=LAPLACE_CHECK_DETERMINISM=20% "$@") \
    >"$log" 2>&1
  local status=$?
  local lines
  lines=$(grep -E '^//[^ ]+ +(\(cached\) )?(PASSED|FAILED|TIMEOUT|FLAKY|NO STATUS|FAILED TO BUILD|INCOMPLETE)' "$log")
  local ok bad
  ok=$(grep -cE ' (\(cached\) )?PASSED' <<<"$lines")
  bad=$(grep -cvE ' (\(cached\) )?PASSED' <<<"$lines")
  [[ -z "$lines" ]] && bad=0 && ok=0
  if (( status != 0 && bad == 0 )); then
    # The build broke before any test ran: count it so CI cannot pass.
    bad=1
    failures+=("$name: bazel exited $status before reporting tests (see below)")
    tail -n 30 "$log"
  fi
  while read -r line; do
    [[ -n "$line" ]] && failures+=("$name: $line")
  done < <(grep -vE ' (\(cached\) )?PASSED' <<<"$lines")
  echo "   $ok passed, $bad failed ($((SECONDS - start))s)"
  passed=$((passed + ok))
  failed=$((failed + bad))
  if (( bad > 0 )); then
    # Show the failing tests' own output.
    grep -E '^(FAIL|==================== Test output)' -A40 "$log" | head -n 200
  fi
}

run gcc //...
if ! $quick; then
  run clang --config=clang //...
  run asan --config=asan //...
  run gcc-opt -c opt //tests:determinism_test //tests:determinism_across_processes_test \
    //tests:canary_test
  run clang-opt --config=clang -c opt //tests:determinism_test //tests:canary_test
  # Coverage-guided schedule fuzzing needs clang's libFuzzer (a manual target).
  run fuzz --config=fuzz //tests:rare_bug_fuzz_test //replays:replay_file_fuzz_smoke_test
  # Laplace as a dependency: a workspace of its own that loads @laplace,
  # offline. About 5 minutes the first time on two cores (its own output base
  # compiles Laplace again), under a minute once its disk cache is warm.
  WORKSPACE_DIR=examples/consumer_workspace run consumer //...
  (cd examples/consumer_workspace && bazel shutdown) >/dev/null 2>&1
fi

if (( ${#failures[@]} > 0 )); then
  echo
  echo "Failures:"
  printf '  %s\n' "${failures[@]}"
fi
echo "Logs: $log_dir"
echo "$passed passed, $failed failed"
(( failed == 0 ))
