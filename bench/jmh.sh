#!/usr/bin/env bash
# JMH benchmarks (bench module). Usage: bench/jmh.sh [JMH options], e.g. bench/jmh.sh SigningBenchmark -f 1
# Defaults give figures in about 3 minutes; add -f 3 -wi 5 -i 10 for publishable error bars.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/find-jdk.sh"
(cd "$root" && ./mvnw -q -B -DskipTests package -pl bench -am) >&2
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-f 1 -wi 2 -w 1s -i 3 -r 2s)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$root/bench/target/benchmarks.jar" "${args[@]}"
