# Sourced by ./gatepass and .ci/run: sets JAVA_HOME to a JDK >= 21, or fails with a message saying what to install.
# Looks at JAVA_HOME, the java on PATH, then the usual install folders (/usr/lib/jvm, ~/.jdks, SDKMAN, /opt).

gatepass_java_major() {
  # prints the feature version of the java binary $1, e.g. 21 (awk reads to the end: no SIGPIPE under pipefail)
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F' = ' '$1 ~ /^ *java\.specification\.version$/ && !seen {sub(/[^0-9].*/, "", $2); print $2; seen = 1}'
}

gatepass_release_major() {
  # the feature version of the JDK at $1 from its release file, without starting it (0 when unreadable)
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | grep . || echo 0
}

gatepass_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
                   "$(command -v javac >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v javac)")")")" \
                   /usr/lib/jvm/* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(gatepass_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(gatepass_find_jdk); then
  echo "gatepass: no JDK 21 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm, ~/.jdks, SDKMAN, /opt)." >&2
  echo "gatepass: install one (for example Temurin 21) or point JAVA_HOME at it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
