#!/usr/bin/env bash
# Proves `laplace confidence FILE --runs N` end to end on the bug zoo's checked-in bank replay:
# the command line runs the owning test binary (through a stand-in for bazel that runs it
# directly) with LAPLACE_REPLAY and LAPLACE_CONFIDENCE, the unlocked bank still fails in most
# randomized runs, and the exit status says so (1).
set -uo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
laplace="$root/replays/laplace"
test_binary="$root/examples/bank/bank_test"
file=$(ls "$root"/examples/bank/replays/Bank.UnlockedTransfersLoseMoney/*.textpb | head -n 1)
work="${TEST_TMPDIR}/confidence"
mkdir -p "$work"
# `bazel build FLAGS //examples/bank:bank_test` (already built), then
# `bazel run --test_sharding_strategy=disabled //examples/bank:bank_test -- ARGS`, without
# bazel: the binary itself.
cat >"$work/fake-bazel" <<FAKE
#!/usr/bin/env bash
[[ \$1 == build ]] && exit 0
shift 4  # run, --test_sharding_strategy=disabled, the target, --
exec "$test_binary" "\$@"
FAKE
chmod +x "$work/fake-bazel"

output=$(cd "$root" && BUILD_WORKSPACE_DIRECTORY="$root" LAPLACE_BAZEL="$work/fake-bazel" \
  "$laplace" confidence "$file" --runs 100 2>&1)
status=$?
fail() {
  echo "FAIL: $1"
  echo "$output" | tail -n 40
  exit 1
}
[[ $status -eq 1 ]] || fail "expected exit status 1 (the failure still happens), got $status"
grep -q "LAPLACE_CONFIDENCE=100 " <<<"$output" || fail "the command did not pass the run count"
line=$(grep -oE "happened in [0-9]+ of 100 randomized runs \([0-9.]+%, 95% interval [0-9.]+% to [0-9.]+%\)" <<<"$output") ||
  fail "no confidence line"
count=$(sed -E 's/happened in ([0-9]+) of.*/\1/' <<<"$line")
((count >= 50)) || fail "the buggy bank failed in only $count of 100 runs: $line"
echo "PASS: $line"
