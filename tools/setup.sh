#!/usr/bin/env bash
# Installs everything Laplace needs on Debian 12 (as root, or with sudo).
# Idempotent: packages already present are not touched, and nothing is
# downloaded when all of them are.
#
#   tools/setup.sh
set -euo pipefail

packages=(
  g++                  # the default compiler
  clang                # the second compiler (CI builds both)
  libclang-rt-14-dev   # clang's sanitizer runtimes
  bazel-bootstrap      # Bazel 4.2.3
  bazel-rules-java     # rules_java for Bazel 4.2.3 (see WORKSPACE)
  libabsl-dev          # Abseil 20220623
  libprotobuf-dev      # Protobuf 3.21
  protobuf-compiler    # protoc
  libgtest-dev         # GoogleTest 1.12
  libgmock-dev         # GoogleMock
  librapidcheck-dev    # RapidCheck
  libbenchmark-dev     # Google Benchmark 1.7
  chromium             # headless, for the trace viewer's browser test
  nodejs               # drives Chromium over the DevTools protocol in that test
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$package")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "tools/setup.sh: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "tools/setup.sh: run as root or install sudo" >&2; exit 1; }
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >&2
