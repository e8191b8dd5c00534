#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs Debian's docker.io and
# starts dockerd when none runs (fresh machines and CI have none). Idempotent and quiet when
# the engine is already up. Needs root for the install and start.
set -euo pipefail
docker=/usr/bin/docker

if [ -x "$docker" ] && "$docker" info >/dev/null 2>&1; then
  exit 0
fi
if [ ! -x "$docker" ] || ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null
fi
if ! "$docker" info >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    "$docker" info >/dev/null 2>&1 && break
    sleep 1
  done
fi
"$docker" info >/dev/null 2>&1 || { echo "ensure-docker: dockerd did not come up; see /var/log/dockerd.log" >&2; tail -n 20 /var/log/dockerd.log >&2 || true; exit 1; }
