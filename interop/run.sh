#!/usr/bin/env bash
# The interop suite: a real Gatepass (./gatepass serve on a free port with a fresh data directory) driven by clients
# we did not write: node's openid-client and jose, and Python's Authlib (Debian's python3-authlib). Needs node and
# npm, and /usr/bin/python3 with python3-authlib and python3-requests; .ci/run installs them. See docs/interop.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(cd .. && pwd)
python=${GATEPASS_INTEROP_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export GATEPASS_ISSUER="http://localhost:$port"
export GATEPASS_ADMIN_SECRET="interop-$("$python" -c 'import secrets; print(secrets.token_urlsafe(32))')"
server_pid=
stop() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

(cd node && npm ci --no-audit --no-fund --loglevel=error)

GATEPASS_BOOTSTRAP_ADMIN_SECRET=$GATEPASS_ADMIN_SECRET GATEPASS_ACCESS_LOG=OFF \
  "$root/gatepass" serve --port "$port" --data-dir "$work/data" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if "$python" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/health/ready', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "interop: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
echo "interop: Gatepass at $GATEPASS_ISSUER"

status=0
echo "interop: node openid-client and jose"
(cd node && node --test --test-reporter=spec) || status=1
echo "interop: Python Authlib"
(cd python && "$python" -m unittest -v test_authlib.py) || status=1
[ "$status" = 0 ] || { echo "interop: server log:" >&2; tail -n 50 "$work/serve.log" >&2; }
exit "$status"
