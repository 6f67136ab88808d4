#!/usr/bin/env bash
# The brief's archive example against a running Gatepass (./gatepass serve in another terminal).
# Needs GATEPASS_CLIENT_ID and GATEPASS_CLIENT_SECRET of an admin app; GATEPASS_SERVER defaults to http://localhost:8080.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/find-jdk.sh"
jar="$root/examples/target/gatepass-examples.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/client/src" "$root/verifier/src" "$root/examples/src" -newer "$jar" -type f -print -quit)" ]; then
  echo "examples: building..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl examples -am) >&2
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" "$@"
