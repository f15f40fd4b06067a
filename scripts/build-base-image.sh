#!/usr/bin/env bash
# Builds keyline-base:local, the base of Keyline's image where no registry can be reached: a minimal Debian
# root filesystem from Debian's packages (debootstrap) and a Java runtime cut from the installed JDK with jlink
# (only the modules Keyline uses), imported with `docker import`. Where Docker Hub is reachable, the Dockerfile's
# default base (eclipse-temurin:25-jre) serves instead.
#
# Usage: scripts/build-base-image.sh [TAG]     (JAVA_HOME: a JDK 21+; root, for debootstrap)
set -euo pipefail

TAG="${1:-keyline-base:local}"
SUITE="bookworm"
MIRROR="${KEYLINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
MODULES="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.unsupported"

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/jlink" ]]; then
    echo "build-base-image: JAVA_HOME must name a JDK (with jlink)" >&2
    exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get install -y -qq debootstrap >/dev/null
fi

# The Debian root filesystem is kept, as a tar file in the user's cache folder (beside Maven's and npm's caches, so a
# fresh checkout finds it too), and the next build skips debootstrap (80 s here); delete it to start from the mirror
# again. KEYLINE_CACHE_DIR moves it.
CACHE_DIR="${KEYLINE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keyline}"
ROOTFS_TAR="$CACHE_DIR/debian-$SUITE-minbase.tar"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs"
if [[ -s "$ROOTFS_TAR" ]]; then
    echo "build-base-image: $SUITE (minbase) from $ROOTFS_TAR..." >&2
    tar -C "$work/rootfs" -xf "$ROOTFS_TAR"
else
    echo "build-base-image: debootstrap $SUITE (minbase) from $MIRROR..." >&2
    debootstrap --variant=minbase "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    # What a runtime image does not need: package caches and lists, documentation, locales.
    rm -rf "$work/rootfs"/var/cache/apt/* "$work/rootfs"/var/lib/apt/lists/* \
        "$work/rootfs"/usr/share/doc "$work/rootfs"/usr/share/man "$work/rootfs"/usr/share/info \
        "$work/rootfs"/usr/share/locale "$work/rootfs"/var/log/*
    mkdir -p "$CACHE_DIR"
    tar -C "$work/rootfs" -cf "$ROOTFS_TAR.$$" . && mv -f "$ROOTFS_TAR.$$" "$ROOTFS_TAR"
fi

echo "build-base-image: jlink $MODULES..." >&2
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$work/rootfs/opt/java/openjdk"
# The runtime's own class data sharing archive: faster start-up for the gateway and its health checks.
"$work/rootfs/opt/java/openjdk/bin/java" -Xshare:dump >/dev/null 2>&1 || true

tar -C "$work/rootfs" -c . | docker import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    - "$TAG" >/dev/null
echo "build-base-image: $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))" >&2
