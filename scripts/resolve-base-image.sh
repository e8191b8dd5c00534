#!/usr/bin/env bash
# Prints the Debian base image to build from. A public image when it is present or can be pulled;
# otherwise the same suite built from Debian packages (scripts/build-debian-base.sh), made once
# and reused from the local image store.
#
#   scripts/resolve-base-image.sh [suite]        (default suite: trixie)
# BUILD_BASE=<image> skips the choice.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suite=${1:-trixie}
docker=/usr/bin/docker
if [ -n "${BUILD_BASE:-}" ]; then echo "$BUILD_BASE"; exit 0; fi

public="debian:${suite}-slim"
local_tag="connect-aws/debian-base:${suite}"
if "$docker" image inspect "$public" >/dev/null 2>&1; then echo "$public"; exit 0; fi
if "$docker" image inspect "$local_tag" >/dev/null 2>&1; then echo "$local_tag"; exit 0; fi
if timeout 30 "$docker" pull -q "$public" >/dev/null 2>&1; then echo "$public"; exit 0; fi
echo "resolve-base-image: cannot pull $public; building $local_tag from Debian packages" >&2
"$here/build-debian-base.sh" "$suite" "$local_tag" >&2
echo "$local_tag"
