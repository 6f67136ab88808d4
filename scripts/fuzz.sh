#!/usr/bin/env bash
# Fuzzes the server through HTTP with Jazzer, one target after the other, each for DURATION (default 30s; CI runs
# 20s each): scripts/fuzz.sh [DURATION] [TARGET...]. Targets: tokenRequest clientAssertion adminBody (all by default).
# A finding fails the run and is saved under server/src/test/resources/io/gatepass/server/HttpFuzzTestsInputs/<target>/,
# where ./mvnw verify replays it from then on. The executions per target are printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/find-jdk.sh
duration=${1:-30s}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tokenRequest clientAssertion adminBody)
./mvnw -B -q -ntp -DskipTests install -pl server -am
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
summary=""
for target in "${targets[@]}"; do
  echo "fuzz: $target for $duration"
  status=0
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION=$duration ./mvnw -B -ntp -o surefire:test -pl server -Dtest="HttpFuzzTests#$target" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log/$target" 2>&1 || status=$?
  runs=$(grep -E '^Done [0-9]+ runs' "$log/$target" | tail -n 1 || true)
  if [ "$status" != 0 ] || [ -z "$runs" ]; then
    grep -E 'ERROR|Exception|crash|Finding' "$log/$target" | head -n 40 >&2 || true
    echo "fuzz: $target FAILED (full output: kept in $log/$target)" >&2
    trap - EXIT
    exit 1
  fi
  summary+="$target: $runs"$'\n'
done
printf 'fuzz: no findings\n%s' "$summary"
