#!/usr/bin/env bash
# The brief's archive example against a running Gatepass (./gatepass serve in another terminal).
#   examples/run.sh          the plain Java services (client and verifier SDKs, the JDK's HTTP server)
#   examples/run.sh spring   the same three services as Spring Boot apps with gatepass-spring-boot-starter
# Needs GATEPASS_CLIENT_ID and GATEPASS_CLIENT_SECRET of an admin app; GATEPASS_SERVER defaults to http://localhost:8080.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/find-jdk.sh"
if [ "${1:-}" = spring ]; then
  shift
  jar="$root/examples/spring-archive/target/gatepass-example-spring-archive.jar"
  sources=("$root/client/src" "$root/verifier/src" "$root/examples/src" "$root/spring-boot-starter/src/main" "$root/examples/spring-archive/src")
  module=examples/spring-archive
else
  jar="$root/examples/target/gatepass-examples.jar"
  sources=("$root/client/src" "$root/verifier/src" "$root/examples/src")
  module=examples
fi
if [ ! -f "$jar" ] || [ -n "$(find "${sources[@]}" -newer "$jar" -type f -print -quit)" ]; then
  echo "examples: building..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl "$module" -am) >&2
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" "$@"
