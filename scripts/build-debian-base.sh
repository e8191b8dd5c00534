#!/usr/bin/env bash
# Builds a minimal Debian root filesystem with debootstrap and imports it as a local image.
# Used where public base images cannot be pulled; the result stands in for the public
# `debian:<suite>-slim` image (same suite, same packages installed on top of it later).
#
#   scripts/build-debian-base.sh <suite> <image-tag>
#
# The mirror is read from this machine's own apt configuration (DEBIAN_MIRROR overrides it).
set -euo pipefail
suite=${1:?usage: build-debian-base.sh <suite> <image-tag>}
tag=${2:?usage: build-debian-base.sh <suite> <image-tag>}
docker=${DOCKER:-/usr/bin/docker}

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -v -- '-security' | head -n 1 | awk '{ print $2 }' || true)
fi
[ -n "$mirror" ] || { echo "build-debian-base: no Debian mirror found in /etc/apt; set DEBIAN_MIRROR" >&2; exit 1; }
security=${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}

command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

work=$(mktemp -d /var/tmp/debian-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "build-debian-base: debootstrap $suite from $mirror (takes a few minutes)"
debootstrap --variant=minbase --include=ca-certificates "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# Same apt sources layout as the public image, pointing at the mirror this machine reaches.
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
# Slim like debian:*-slim: no docs, man pages or apt lists in the image.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
SLIM
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*

tar -C "$rootfs" -c . | "$docker" import \
  --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' \
  --message "debootstrap --variant=minbase $suite" - "$tag" >/dev/null
echo "build-debian-base: imported $tag"
