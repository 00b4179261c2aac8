#!/usr/bin/env bash
# The main job: installs what Laplace needs (once), builds, and runs the demo,
# which finds concurrency bugs in the examples, shrinks them, writes replay
# files that reproduce them, and checks that the fixed twins hold.
#
#   tools/demo.sh                 # every example
#   tools/demo.sh bank            # only some (see examples/demo_cases.cc)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
echo "Building the demo (the first build takes a few minutes)..." >&2
log=$(mktemp)
if ! bazel build --noshow_progress //examples:demo >"$log" 2>&1; then
  cat "$log" >&2
  echo "tools/demo.sh: the build failed (full log above)" >&2
  exit 1
fi
rm -f "$log"
exec "$(bazel info bazel-bin 2>/dev/null)/examples/demo" "$@"
