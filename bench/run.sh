#!/usr/bin/env bash
# The benchmark matrix in one command: JMH signing rates, then a Gatepass it starts itself (or --url for one that
# runs elsewhere) under the closed-loop load generator, case by case; start-to-ready time and server RSS.
# Usage: bench/run.sh [--url http://host:port --admin-secret S] [--connections 32] [--warmup 5] [--duration 15]
#                     [--cases token-rs256,token-es256,token-pkjwt-es256,token-dpop-es256,introspect,jwks,metadata]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/find-jdk.sh"
work=$(mktemp -d)
url=""; secret=""; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=$2; shift 2 ;;
    --admin-secret) secret=$2; shift 2 ;;
    *) pass+=("$1" "$2"); shift 2 ;;
  esac
done
echo "== building" >&2
(cd "$root" && ./mvnw -q -B -DskipTests package -pl cli,bench -am) >&2
jar="$root/bench/target/benchmarks.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)

echo "== JMH: one core's signing rate (SigningBenchmark.sign, native provider)" >&2
"${java[@]}" -jar "$jar" 'SigningBenchmark.sign' -p provider=native -p alg=RS256,ES256 -f 1 -wi 2 -w 1s -i 3 -r 2s \
  -rf json -rff "$work/jmh.json" >"$work/jmh.log" 2>&1 || { cat "$work/jmh.log" >&2; exit 1; }
grep -E "^SigningBenchmark" "$work/jmh.log" >&2 || true

server=""
if [ -z "$url" ]; then
  port=18299
  secret="bench-bootstrap-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  started=$(date +%s%N)
  GATEPASS_BOOTSTRAP_ADMIN_SECRET=$secret "$root/gatepass" serve --port $port --data-dir "$work/data" --token-rate-limit 0 >"$work/out" 2>"$work/err" &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
  url=http://127.0.0.1:$port
  for _ in $(seq 1 600); do curl -sf $url/health/ready >/dev/null 2>&1 && break; sleep 0.02; done
  echo "== start to ready (first start, empty store): $(( ($(date +%s%N) - started) / 1000000 )) ms" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

"${java[@]}" -cp "$jar" io.gatepass.bench.LoadGenerator --url "$url" --admin-secret "$secret" --jmh "$work/jmh.json" \
  --out "$root/bench/results.json" "${pass[@]}"
if [ -n "$server" ]; then
  echo "== server RSS after the run: $(( $(ps -o rss= -p "$server") / 1024 )) MiB"
fi
