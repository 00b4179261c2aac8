#!/usr/bin/env bash
# Proves the CI docs stay true: the GitHub Actions example is valid YAML with its four jobs,
# every Laplace flag and variable the docs and the workflow name is one the test binary
# accepts (its --help), every repository file they point at exists, and the exit-status
# table covers every status the code uses.
set -uo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
docs=("$root/docs/ci.md" "$root/docs/tutorial.md" "$root/docs/github-actions-example.yml" "$root/README.md")
failed=0
fail() {
  echo "FAIL: $1"
  failed=1
}

python3 - "$root/docs/github-actions-example.yml" <<'PY' || fail "the workflow is not valid YAML with its jobs"
import sys, yaml
workflow = yaml.safe_load(open(sys.argv[1]))
jobs = set(workflow["jobs"])
missing = {"pull-request", "nightly", "nightly-matrix", "fuzz"} - jobs
if missing:
    sys.exit(f"missing jobs: {sorted(missing)}")
for name, job in workflow["jobs"].items():
    if not job.get("steps"):
        sys.exit(f"job {name} has no steps")
PY

help=$("$root/tests/canary_test" --help 2>&1)
for token in $(grep -ohE -- '--laplace_[a-z_]+|LAPLACE_[A-Z_]+' "${docs[@]}" | sort -u); do
  case "$token" in
    LAPLACE_BAZEL | LAPLACE_PROPERTY* | LAPLACE_ASSERT | LAPLACE_CHECK) continue ;;  # the tool's; macros
  esac
  grep -qF -- "$token" <<<"$help" || fail "the docs name $token, which the test binary does not accept"
done

for path in tests/rare_bug_fuzz_test.sh repositories.bzl \
  properties/defs.bzl docs/github-actions-example.yml tools/test.sh; do
  [[ -e "$root/$path" ]] || fail "the docs point at $path, which does not exist"
done

table=$(sed -n '/^## Exit statuses/,$p' "$root/docs/ci.md")
for status in 0 1 2 3 4 70 77 134; do
  grep -qE "\| $status \|" <<<"$table" || fail "the exit-status table has no row for $status"
done

((failed == 0)) && echo "PASS: docs, workflow, flags and exit statuses agree"
exit $failed
