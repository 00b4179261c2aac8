#!/usr/bin/env bash
# Proves a corpus file's life across a code change with the real binaries, and `laplace corpus`:
# v1 records its bug; v2 (one fault choice more per worker) fails saying which file diverged,
# where (choice, virtual time, step, task) and what to do; LAPLACE_ON_DIVERGENCE=warn passes it
# loudly; LAPLACE_RECORD=1 rebuilds it and v2 then replays it clean; `corpus list` shows the
# files, `corpus dedupe` removes a copy, `corpus prune` removes the files of a test the binary
# lacks and those that diverge on it, keeps (and names) another target's files and removes the
# folders it empties.
set -uo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
laplace="$root/replays/laplace"
v1="$root/tests/corpus_fixture_v1"
v2="$root/tests/corpus_fixture_v2"
work="${TEST_TMPDIR}/corpus_cli"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
export LAPLACE_CORPUS_ROOT="$work"
# The fixtures' files name the target they were built from (/proc/self/exe), not this test's.
unset TEST_TARGET
folder="tests/replays/Fixture.LostUpdate"

fail() {
  echo "FAIL: $1"
  [[ -f out ]] && sed -n '1,80p' out
  exit 1
}
expect_in_out() { grep -qF -- "$1" out || fail "expected '$1' in the output"; }

LAPLACE_RECORD=1 "$v1" >out 2>&1 || fail "v1 did not record its bug"
file=$(ls "$folder"/*.textpb)
[[ $(echo "$file" | wc -l) == 1 ]] || fail "expected one recorded file, got: $file"
"$v1" >out 2>&1 || fail "v1 does not replay its own file"
expect_in_out "reproduced assertion:"

"$v2" >out 2>&1 && fail "v2 passed although the corpus file diverged"
expect_in_out "$file diverged: the program no longer makes the choices"
grep -qE "where: choice #[0-9]+ at t=1ms, step [0-9]+, in task #[0-9]+ 'worker/[0-2]'" out ||
  fail "the divergence does not say its time, step and task"
expect_in_out "--test_env=LAPLACE_RECORD=1"
LAPLACE_ON_DIVERGENCE=warn "$v2" >out 2>&1 || fail "warn did not let v2 pass"
expect_in_out "WARNING (--laplace_on_divergence=warn, so the test goes on)"

# A copy of the file (a duplicate) and a file of a test that no longer exists.
cp "$file" "$folder/ffffffffffffffff.textpb"
mkdir -p tests/replays/Fixture.Gone
sed 's/Fixture\.LostUpdate/Fixture.Gone/' "$file" >"tests/replays/Fixture.Gone/$(basename "$file")"
grep -qF 'bazel_target: "//tests:corpus_fixture_v1"' "$file" || fail "the file does not name v1's target"
# A file of another test binary in the same tree: prune with v1 must leave it alone.
mkdir -p tests/replays/Fixture.Elsewhere
elsewhere="tests/replays/Fixture.Elsewhere/$(basename "$file")"
sed -e 's/Fixture\.LostUpdate/Fixture.Elsewhere/' \
  -e 's|^bazel_target: .*|bazel_target: "//other:elsewhere_test"|' "$file" >"$elsewhere"

"$laplace" corpus list tests >out 2>&1 || fail "corpus list failed"
[[ $(grep -c 'assertion:' out) == 4 ]] || fail "corpus list does not show four files"
expect_in_out "Fixture.Gone	failure	assertion:"
"$laplace" corpus dedupe --dry_run tests >out 2>&1 || fail "corpus dedupe --dry_run failed"
expect_in_out "would remove $work/$folder/ffffffffffffffff.textpb: assertion:"
[[ -f "$folder/ffffffffffffffff.textpb" ]] || fail "--dry_run removed a file"
"$laplace" corpus dedupe tests >out 2>&1 || fail "corpus dedupe failed"
expect_in_out "removed 1 duplicate file(s)"
[[ -f "$folder/ffffffffffffffff.textpb" ]] && fail "dedupe left the duplicate"
[[ -f "$file" ]] || fail "dedupe removed the file it should keep"

"$laplace" corpus prune --binary="$v1" --dry_run tests >out 2>&1 || fail "corpus prune failed"
expect_in_out "its test Fixture.Gone is not in $v1"
expect_in_out "would remove the emptied folder $work/tests/replays/Fixture.Gone"
expect_in_out "kept $work/$elsewhere: it is a file of //other:elsewhere_test, not of //tests:corpus_fixture_v1"
expect_in_out "kept $work/$file: it replays on the code $v1 was built from"
grep -qF "would remove $work/$file" out && fail "prune would remove a file that still replays"

# Only this file (a whole run would also record the bug v2 finds, replacing the rebuilt file
# with its simpler shrink).
LAPLACE_RECORD=1 LAPLACE_REPLAY="$work/$file" "$v2" >out 2>&1 ||
  fail "LAPLACE_RECORD=1 did not rebuild the file on v2"
expect_in_out "rebuilt on the new code as $work/$folder/"
[[ -f "$file" ]] && fail "the rebuilt file did not replace the diverged one"
"$v2" >out 2>&1 || fail "v2 does not replay the rebuilt corpus clean"
rebuilt=$(ls "$folder"/*.textpb)
"$laplace" show "$rebuilt" >out 2>&1 || fail "laplace show cannot read the rebuilt file"
expect_in_out "rebuilt:       from $(basename "$file"), which diverged on the new code at choice #"

"$laplace" corpus prune --binary="$v1" tests >out 2>&1 || fail "corpus prune failed"
expect_in_out "removed $work/$rebuilt: it diverges on the code $v1 was built from (choice #"
expect_in_out "removed 2 file(s), kept 1"
[[ -d tests/replays/Fixture.Gone ]] && fail "prune left the folder it emptied"
[[ $(ls tests/replays/*/*.textpb) == "$elsewhere" ]] || fail "prune did not keep exactly the other target's file"
echo "PASS"
