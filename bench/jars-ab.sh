#!/usr/bin/env bash
# Two (or more) server jars side by side under the same load, alternating, ROUNDS times (default 2): per run the load
# generator's table, the server's RSS after the load, and its allocation per request (JFR's allocation samples over
# the run, divided by the requests the generator counted). For before/after figures of one change from one run.
#   bench/jars-ab.sh [--rounds N] [--cases token-es256,...] JAR JAR ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/find-jdk.sh
rounds=2; cases=token-es256,introspect,token-rs256
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: bench/jars-ab.sh [--rounds N] [--cases C,...] JAR JAR ..." >&2; exit 2; }
(./mvnw -q -B -DskipTests package -pl bench -am) >&2
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret="jars-ab-admin-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for round in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    rm -rf "$work/data"
    GATEPASS_BOOTSTRAP_ADMIN_SECRET=$secret "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m \
      "-XX:StartFlightRecording=filename=$work/run.jfr,settings=profile" -jar "$jar" serve --port "$port" \
      --data-dir "$work/data" --token-rate-limit 0 >"$work/log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.05; done
    echo "== round $round: $jar"
    "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar io.gatepass.bench.LoadGenerator --url "http://127.0.0.1:$port" \
      --admin-secret "$secret" --out "$work/results.json" --connections 32 --warmup 5 --duration 15 --cases "$cases" \
      | tee "$work/table"
    echo "RSS after the load: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    "$JAVA_HOME/bin/jfr" print --events jdk.ObjectAllocationSample "$work/run.jfr" >"$work/alloc.txt"
    python3 - "$work/alloc.txt" "$work/results.json" <<'PY'
import json, re, sys
units = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
total = sum(float(v) * units[u] for v, u in re.findall(r"weight = ([\d.]+) (\w+)", open(sys.argv[1]).read()))
doc = json.load(open(sys.argv[2]))
measured = sum(r.get("requests", 0) for r in doc["results"])
# the generator counts the measured seconds only; the warm-up ran at about the same rate
requests = measured * (doc["warmup_s"] + doc["duration_s"]) / doc["duration_s"]
print("allocated: %.0f MB over about %.0f requests: %.1f KB a request" % (total / 1e6, requests, total / 1e3 / max(requests, 1)))
PY
  done
done
