#!/usr/bin/env bash
# First figures for the token endpoint with wrk (Debian package "wrk"), against a server this script starts.
# Usage: bench/wrk-token.sh [connections] [seconds]     e.g. bench/wrk-token.sh 32 20
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
connections=${1:-32}
seconds=${2:-20}
port=18199
work=$(mktemp -d)
secret="bench-bootstrap-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is not installed (apt-get install jq)" >&2; exit 1; }

GATEPASS_BOOTSTRAP_ADMIN_SECRET=$secret "$root/gatepass" serve --port $port --data-dir "$work/data" --token-rate-limit 0 >"$work/out" 2>"$work/err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
gp=http://127.0.0.1:$port
for _ in $(seq 1 600); do curl -sf $gp/health/ready >/dev/null && break; sleep 0.1; done

admin=$(curl -sf -u "gatepass-admin:$secret" -d grant_type=client_credentials -d audience=urn:gatepass:admin $gp/oauth/token | jq -r .access_token)
api=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"identifier":"https://bench.example.com","name":"bench","scopes":["read"]}' $gp/admin/apis | jq -r .id)
app=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{"client_name":"bench"}' $gp/admin/clients)
curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"scopes":["read"]}' "$gp/admin/clients/$(jq -r .client_id <<<"$app")/grants/$api"
basic=$(printf '%s:%s' "$(jq -r .client_id <<<"$app")" "$(jq -r .client_secret <<<"$app")" | base64 -w0)

cat >"$work/token.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&audience=https%3A%2F%2Fbench.example.com"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
LUA

echo "== warm-up (10 s)"
wrk -t2 -c"$connections" -d10s -s "$work/token.lua" $gp/oauth/token >/dev/null
echo "== POST /oauth/token, RS256, client_secret_basic, $connections connections, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/token.lua" $gp/oauth/token
echo "== GET /.well-known/jwks.json, $connections connections, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency $gp/.well-known/jwks.json
echo "== server RSS: $(( $(ps -o rss= -p "$server") / 1024 )) MiB" # ./gatepass execs java: same pid
