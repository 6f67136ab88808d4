#!/usr/bin/env bash
# Gatepass side by side with the servers a user would otherwise pick: node-oidc-provider (npm) and Keycloak (its
# distribution zip from Maven Central). Each is installed once into a cache folder, started on an empty store,
# given one client-credentials client as its own documentation does it, loaded with the same generator and case
# (client_credentials, client_secret_basic, RS256 JWT access tokens; io.gatepass.bench.PeerLoad) and stopped, one
# after the other; the table goes to bench/peers-results.json.
# Usage: bench/peers.sh [--connections 32] [--warmup 10] [--duration 20] [--only gatepass,node-oidc-provider,keycloak]
#                       [--generator-cpus LIST] [--out FILE]
# --generator-cpus 1 pins the load generator to that core (taskset), as a wrk run pinned to one core would be.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/find-jdk.sh"
export JAVA_HOME
KEYCLOAK_VERSION=26.5.6
cache=${GATEPASS_BENCH_CACHE:-$HOME/.cache/gatepass-bench}
connections=32; warmup=10; duration=20; only=gatepass,node-oidc-provider,keycloak; pin=""
table="$root/bench/peers-results.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --generator-cpus) pin=$2; shift 2 ;;
    --out) table=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: bench/peers.sh [--connections N] [--warmup S] [--duration S] [--only a,b] [--generator-cpus L] [--out F]" >&2
       exit 2 ;;
  esac
done
work=$(mktemp -d)
server=""
stop() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi
}
trap 'stop; rm -rf "$work"' EXIT
urlencode() { printf %s "$1" | sed 's/%/%25/g; s/:/%3A/g; s#/#%2F#g'; }
wants() { [[ ",$only," == *",$1,"* ]]; }
ready() { # URL [seconds]: waits until URL answers 2xx
  for _ in $(seq 1 $(( ${2:-60} * 10 ))); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$server" 2>/dev/null; then echo "peers: the server stopped; its log:" >&2; tail -20 "$work/log" >&2; exit 1; fi
    sleep 0.1
  done
  echo "peers: $1 did not answer within ${2:-60} s" >&2; tail -20 "$work/log" >&2; exit 1
}

need() { command -v "$1" >/dev/null || { echo "peers: $1 is not installed ($2)" >&2; exit 1; }; }
need curl "apt-get install curl"
if wants node-oidc-provider; then need node "apt-get install nodejs npm"; need npm "apt-get install npm"; fi
if wants keycloak; then need unzip "apt-get install unzip"; fi

echo "== building" >&2
(cd "$root" && ./mvnw -q -B -DskipTests package -pl cli,bench -am) >&2
jar="$root/bench/target/benchmarks.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
rm -f "$table"
secret="bench-peer-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
audience=https://peers.bench.example.com

echo "== JMH: one core's RS256 signing rate (SigningBenchmark.sign, native provider), the yardstick" >&2
"${java[@]}" -jar "$jar" 'SigningBenchmark.sign' -p provider=native -p alg=RS256 -f 1 -wi 2 -w 1s -i 3 -r 2s \
  -rf json -rff "$work/jmh.json" >"$work/jmh.log" 2>&1 || { cat "$work/jmh.log" >&2; exit 1; }
grep -E "^SigningBenchmark" "$work/jmh.log" >&2 || true

load() { # NAME VERSION TOKEN_URL CLIENT_ID CLIENT_SECRET BODY
  ${pin:+taskset -c "$pin"} "${java[@]}" -cp "$jar" io.gatepass.bench.PeerLoad --name "$1" --version "$2" --token-url "$3" --client-id "$4" \
    --client-secret "$5" --body "$6" --pid "$server" --table "$table" --jmh "$work/jmh.json" \
    --connections "$connections" --warmup "$warmup" --duration "$duration" --generator "${pin:+pinned to cpus $pin}"
}

if wants gatepass; then
  echo "== Gatepass $(cd "$root" && git describe --always --dirty 2>/dev/null || echo dev)" >&2
  port=18400
  GATEPASS_BOOTSTRAP_ADMIN_SECRET=$secret "$root/gatepass" serve --port $port --data-dir "$work/gatepass" >"$work/log" 2>&1 &
  server=$!
  ready http://127.0.0.1:$port/health/ready 120
  export GATEPASS_SERVER=http://127.0.0.1:$port GATEPASS_CLIENT_ID=gatepass-admin GATEPASS_CLIENT_SECRET=$secret
  cli=("${java[@]}" -jar "$root/cli/target/gatepass-run.jar")
  "${cli[@]}" apis create --identifier $audience --scope read --signing-alg RS256 >/dev/null
  # one app, its own token budget raised to the largest it may have (the server default, 1,200 a minute, would
  # answer most of this load with 429: the budget still runs on every request)
  app=$("${cli[@]}" apps create --name peers --token-rate-limit 1000000 -o json)
  client_id=$(printf '%s' "$app" | sed -n 's/.*"client_id" *: *"\([^"]*\)".*/\1/p' | head -1)
  client_secret=$(printf '%s' "$app" | sed -n 's/.*"client_secret" *: *"\([^"]*\)".*/\1/p' | head -1)
  "${cli[@]}" grants set "$client_id" $audience --scope read >/dev/null
  unset GATEPASS_CLIENT_ID GATEPASS_CLIENT_SECRET
  load gatepass "$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo dev)" http://127.0.0.1:$port/oauth/token \
    "$client_id" "$client_secret" "grant_type=client_credentials&audience=$(urlencode $audience)"
  stop
fi

if wants node-oidc-provider; then
  peers="$cache/node-oidc-provider"
  if [ ! -d "$peers/node_modules/oidc-provider" ]; then
    echo "== installing node-oidc-provider (npm ci, the versions in bench/peers/package-lock.json)" >&2
    mkdir -p "$peers"
    cp "$root/bench/peers/package.json" "$root/bench/peers/package-lock.json" "$peers/"
    (cd "$peers" && npm ci --no-audit --no-fund --silent) >&2
  fi
  cp "$root/bench/peers/oidc-provider.mjs" "$peers/"
  version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$peers/node_modules/oidc-provider/package.json" | head -1)
  echo "== node-oidc-provider $version on node $(node --version)" >&2
  port=18401
  NODE_ENV=production node "$peers/oidc-provider.mjs" $port peers "$secret" $audience >"$work/log" 2>&1 &
  server=$!
  ready http://127.0.0.1:$port/.well-known/openid-configuration
  load node-oidc-provider "$version" http://127.0.0.1:$port/token peers "$secret" \
    "grant_type=client_credentials&resource=$(urlencode $audience)&scope=read"
  stop
fi

if wants keycloak; then
  keycloak="$cache/keycloak-$KEYCLOAK_VERSION"
  if [ ! -x "$keycloak/bin/kc.sh" ]; then
    echo "== downloading Keycloak $KEYCLOAK_VERSION (org.keycloak:keycloak-quarkus-dist, Maven Central)" >&2
    mkdir -p "$cache"
    curl -fsSL -o "$cache/keycloak.zip.part" \
      "https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
    (cd "$cache" && unzip -q -o keycloak.zip.part && rm keycloak.zip.part)
  fi
  echo "== Keycloak $KEYCLOAK_VERSION" >&2
  rm -rf "$keycloak/data"   # an empty store, as for the others
  port=18402
  # production mode (kc.sh start) over plain HTTP on loopback, one node (local caches), its default dev-file store
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$secret "$keycloak/bin/kc.sh" start \
    --http-enabled=true --http-host=127.0.0.1 --http-port=$port --hostname-strict=false --cache=local >"$work/log" 2>&1 &
  server=$!
  ready http://127.0.0.1:$port/realms/master 300
  kcadm=("$keycloak/bin/kcadm.sh")
  "${kcadm[@]}" config credentials --config "$work/kcadm.config" --server http://127.0.0.1:$port --realm master \
    --user admin --password "$secret" >/dev/null
  "${kcadm[@]}" create realms --config "$work/kcadm.config" -s realm=peers -s enabled=true >/dev/null
  "${kcadm[@]}" create clients --config "$work/kcadm.config" -r peers -s clientId=peers -s "secret=$secret" \
    -s publicClient=false -s serviceAccountsEnabled=true -s standardFlowEnabled=false -s directAccessGrantsEnabled=false \
    -s clientAuthenticatorType=client-secret >/dev/null
  load keycloak $KEYCLOAK_VERSION http://127.0.0.1:$port/realms/peers/protocol/openid-connect/token peers "$secret" \
    "grant_type=client_credentials"
  stop
fi
echo "results: $table"
