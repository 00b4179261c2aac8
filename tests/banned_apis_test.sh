#!/usr/bin/env bash
# Proves DESIGN.md's banned-API list is respected in base/, loop/, sim/, properties/
# and replays/: no wall clock, no unseeded or library-defined randomness, no
# real sleeps or threads. A deliberate exception carries "// allowed: why".
set -euo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
banned='std::random_device|std::rand\(|[^_a-zA-Z]rand\(\)|srand\(|absl::BitGen|absl::InsecureBitGen|absl::Now\(|absl::Time[^a-zA-Z]|system_clock|steady_clock|high_resolution_clock|std::this_thread::sleep|sleep_for|usleep\(|std::thread|uniform_int_distribution|uniform_real_distribution|bernoulli_distribution|normal_distribution|std::mt19937|std::minstd_rand|default_random_engine|time\(NULL\)|time\(nullptr\)|gettimeofday|clock_gettime'
dirs=()
for dir in base loop sim properties replays tests/zoo; do
  [[ -d "$root/$dir" ]] && dirs+=("$root/$dir")
done
files=$(find -L "${dirs[@]}" -type f \( -name '*.h' -o -name '*.cc' \) ! -name '*_test.cc' | sort)
count=$(echo "$files" | grep -c . || true)
if (( count < 10 )); then
  echo "FAIL: found only $count source files to scan; is the data dependency broken?"
  exit 1
fi
# Only code counts: comments may name the APIs (to say why they are banned).
code_hits() {
  grep -nE "$1" $files | grep -v '// allowed:' \
    | awk -v pattern="$1" '{ line = $0; sub(/^[^:]*:[0-9]+:/, "", line);
                             sub(/\/\/.*$/, "", line); if (line ~ pattern) print }' || true
}
hits=$(code_hits "$banned")
if [[ -n "$hits" ]]; then
  echo "FAIL: banned APIs in simulation code (DESIGN.md, 'Determinism rules'):"
  echo "$hits" | sed "s|$root/||"
  echo "Use the Loop's clock and choice source instead, or mark a deliberate use with"
  echo "'// allowed: <why>'."
  exit 1
fi
# Unordered containers are allowed only where iteration order cannot matter;
# each use must say why.
unordered=$(code_hits 'unordered_(map|set)|flat_hash_(map|set)|node_hash_(map|set)')
if [[ -n "$unordered" ]]; then
  echo "FAIL: unordered containers without an '// allowed: why' note:"
  echo "$unordered" | sed "s|$root/||"
  exit 1
fi
echo "PASS: $count files scanned, no banned APIs"
