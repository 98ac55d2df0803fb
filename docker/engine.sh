#!/usr/bin/env bash
# Prepares a Docker engine on a CI machine of this project's kind (Debian bookworm, root, no image registry reachable):
#   1. installs docker.io, docker-compose (1.29) and debootstrap when a command is missing;
#   2. starts dockerd (--iptables=false --storage-driver=vfs, logging to /var/log/dockerd.log) when none answers on
#      the default socket, and waits until `docker info` answers;
#   3. makes the base image local/debian:bookworm (debootstrap --variant=minbase, then docker import) when missing,
#      from the Debian mirror apt already uses.
# Idempotent: with all three in place it only asks `docker info` and `docker image inspect` (well under a second).
# Run it (`docker/engine.sh`) or source it; it prints each step's time on stderr. BASE_IMAGE overrides the image name.
set -euo pipefail

BASE_IMAGE="${BASE_IMAGE:-local/debian:bookworm}"

engine_log() { echo "engine: $*" >&2; }

engine_install_packages() {
  local missing=()
  command -v dockerd > /dev/null || missing+=(docker.io)
  command -v docker-compose > /dev/null || missing+=(docker-compose)
  command -v debootstrap > /dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  engine_log "installing ${missing[*]}"
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /tmp/engine-apt.log
}

engine_start_daemon() {
  if docker info > /dev/null 2>&1; then return 0; fi
  if ! pgrep -x dockerd > /dev/null; then
    # containerd comes with docker.io; dockerd starts its own when none runs.
    engine_log "starting dockerd"
    nohup dockerd --iptables=false --storage-driver=vfs > /var/log/dockerd.log 2>&1 &
  fi
  local deadline=$((SECONDS + 60))
  until docker info > /dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      engine_log "dockerd did not answer within 60 s; see /var/log/dockerd.log"
      return 1
    fi
    sleep 0.5
  done
}

engine_debian_mirror() {
  # The first URIs of the bookworm suite in apt's own sources, so that no host is named here.
  local uri
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$uri" ]; then
    uri=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [ -n "$uri" ] || { engine_log "no Debian mirror in apt's sources"; return 1; }
  echo "$uri"
}

# Whether a user other than root can run a shell in the base image: the images of Kafka, PostgreSQL and the others
# run as users of their own, and cannot start at all when the image's root folder is not world-readable.
engine_base_image_usable() {
  docker run --rm --user 65534:65534 "$BASE_IMAGE" /bin/sh -c true > /dev/null 2>&1
}

engine_make_base_image() {
  if docker image inspect "$BASE_IMAGE" > /dev/null 2>&1; then
    if engine_base_image_usable; then return 0; fi
    engine_log "$BASE_IMAGE cannot run a shell as a user other than root (its root folder is not world-readable):"\
" making it again"
    docker rmi -f "$BASE_IMAGE" > /dev/null
  fi
  local dir mirror
  mirror=$(engine_debian_mirror)
  dir=$(mktemp -d /tmp/debootstrap.XXXXXX)
  engine_log "making $BASE_IMAGE with debootstrap (about a minute)"
  debootstrap --variant=minbase bookworm "$dir" "$mirror" > /tmp/engine-debootstrap.log 2>&1
  # mktemp made the folder 0700, and tar records "." with that mode: the image's / would be root's alone
  chmod 0755 "$dir"
  tar -C "$dir" -c . | docker import - "$BASE_IMAGE" > /dev/null
  rm -rf "$dir"
}

engine_timed() {
  local start=$SECONDS
  "$@"
  engine_log "$1 done in $((SECONDS - start)) s"
}

engine_prepare() {
  engine_timed engine_install_packages
  engine_timed engine_start_daemon
  engine_timed engine_make_base_image
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  engine_prepare
fi
