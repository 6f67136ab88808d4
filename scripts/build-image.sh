#!/usr/bin/env bash
# Builds the Gatepass container image as a Docker-archive tar, cli/target/gatepass-image.tar, with Jib: no Docker
# daemon and no registry. The base is "scratch" plus what this script stages in cli/target/image-root: a Java runtime made
# with jlink from the JDK that builds (only the modules Gatepass uses), the C libraries that runtime links against
# (copied from this machine, glibc-based x86_64 or aarch64 Linux), a passwd entry for the unprivileged user, and
# writable /data and /tmp (sticky, scripts/image-sticky-tmp.py). Load it with "docker load -i" (any version) or
# "podman load -i"; see docs/deploy.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/find-jdk.sh
root=cli/target/image-root
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs

rm -rf "$root"
mkdir -p "$root/opt" "$root/etc" "$root/data" "$root/tmp"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$root/opt/java"

# every shared library the runtime needs, resolved by the dynamic loader of this machine, copied by its path
# (symbolic links followed); glibc loads libgcc_s at thread cancellation, which ldd does not show
{
  # the AWT libraries of java.desktop (needed for java.beans) are never loaded: the image runs headless
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
      ! -name 'libawt_xawt.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' ! -name 'libjsound.so' -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}'
  # (awk reads to the end: leaving early would end ldconfig with SIGPIPE, and pipefail with it)
  ldconfig -p 2>/dev/null | awk '$1 == "libgcc_s.so.1" && !seen {print $NF; seen = 1}'
} | sort -u | grep -v "^$PWD/$root/" | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[ -n "$(ls "$root"/lib*/ld-linux* "$root"/lib/*/ld-linux* 2>/dev/null)" ] || { echo "build-image: no dynamic loader found" >&2; exit 1; }

# the unprivileged user the image runs as; group 0 owns nothing here but lets /data be written (OpenShift's convention)
printf 'root:x:0:0:root:/root:/sbin/nologin\ngatepass:x:10001:0:Gatepass:/data:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\ngatepass:x:10001:\n' > "$root/etc/group"

./mvnw -B -q -ntp -DskipTests install -pl cli -am
./mvnw -B -q -ntp -pl cli jib:buildTar
python3 scripts/image-sticky-tmp.py cli/target/gatepass-image.tar
# where skopeo is installed (CI installs it): read the tar as podman does, every digest checked, and look at /tmp
if command -v skopeo >/dev/null; then
  check=$(mktemp -d)
  skopeo --insecure-policy copy -q docker-archive:cli/target/gatepass-image.tar "oci:$check/oci:gatepass"
  skopeo inspect --config "oci:$check/oci:gatepass" | python3 -c '
import json, sys
config = json.load(sys.stdin)["config"]
assert config["User"] == "10001:0", config["User"]
assert "8080/tcp" in config["ExposedPorts"], config'
  last=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"].split(":")[1])' "$check/oci/index.json")
  layer=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["layers"][-1]["digest"].split(":")[1])' "$check/oci/blobs/sha256/$last")
  tar tvzf "$check/oci/blobs/sha256/$layer" | grep '^drwxrwxrwt .* tmp/$' >/dev/null || { echo "build-image: /tmp is not sticky" >&2; exit 1; }
  rm -rf "$check"
  echo "build-image: skopeo read the archive (digests, config, user 10001:0); /tmp is drwxrwxrwt"
fi
echo "build-image: $(du -h cli/target/gatepass-image.tar | cut -f1) cli/target/gatepass-image.tar"
