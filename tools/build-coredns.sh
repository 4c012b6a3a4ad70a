#!/usr/bin/env bash
# CoreDNS at one pinned version, built from its Go module (its go.mod has no replace directives) into a cache
# outside the clone. Prints the binary's path.
set -euo pipefail
version=${COREDNS_VERSION:-v1.14.7}
cache="${CLUSTERBOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clusterboot}"
bin="$cache/coredns-$version/bin"
if [ -x "$bin/coredns" ]; then
  echo "$bin/coredns"
  exit 0
fi
mkdir -p "$bin"
GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOBIN="$bin" GOTOOLCHAIN=local \
  go install "github.com/coredns/coredns@$version" >&2
echo "$bin/coredns"
