#!/usr/bin/env bash
# Start-to-ready time on a restart: each jar (default: cli/target/gatepass.jar) is started RUNS times (default 5) on
# one data directory, with the JVM options ./gatepass uses for serve (a bounded heap; on JDK 25 or newer an AOT cache
# per jar, on older JDKs a CDS archive per jar, made by a first, untimed start), alternating between the
# jars so that they share the machine's state; prints each time (launch to the first 200 of /health/ready) and the
# median per jar. A jar given as cds:JAR starts with a CDS archive whatever the JDK: `cds:X X` compares the two.
#   bench/start-time.sh [--runs N] [[cds:]JAR ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/find-jdk.sh
runs=5
if [ "${1:-}" = --runs ]; then runs=$2; shift 2; fi
major=$(gatepass_release_major "$JAVA_HOME")
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(cli/target/gatepass.jar)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export GATEPASS_BOOTSTRAP_ADMIN_SECRET=start-time-bench-admin-secret-0123456789
once() { # once JAR INDEX: prints milliseconds to ready
  local start end pid
  start=$(date +%s%N)
  local jar=${1#cds:}
  local cache=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$work/$2.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
  if [ "${major:-0}" -ge 25 ] && [ "$jar" = "$1" ]; then
    if [ -f "$work/$2.aot" ]; then cache=(-XX:AOTCache="$work/$2.aot"); else cache=(-XX:AOTCacheOutput="$work/$2.aot"); fi
    cache+=(-Xlog:aot*=off -Xlog:cds*=off)
  fi
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m "${cache[@]}" -jar "$jar" serve --port "$port" \
    --data-dir "$work/data" >"$work/log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "start-time: the server exited: $(tail -n 3 "$work/log")" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}
for i in "${!jars[@]}"; do once "${jars[$i]}" "$i" >/dev/null; done # the store, the keys and the caches
declare -A times
for _ in $(seq "$runs"); do
  for i in "${!jars[@]}"; do
    ms=$(once "${jars[$i]}" "$i")
    times[$i]="${times[$i]:-} $ms"
    echo "${jars[$i]}: $ms ms"
  done
done
for i in "${!jars[@]}"; do
  echo "${jars[$i]}: median $(printf '%s\n' ${times[$i]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms of$(printf ' %s' ${times[$i]})"
done
