#!/usr/bin/env bash
# The main job: installs what Laplace needs (once), builds, and runs the demo,
# which finds concurrency bugs in the examples, shrinks them and writes
# replay files that reproduce them.
#
#   tools/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec bazel run --ui_event_filters=-info,-stdout --noshow_progress //examples:demo -- "$@"
