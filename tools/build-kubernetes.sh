#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler and kubelet from the Kubernetes Go modules at one
# pinned version, into a cache outside the clone (reused when already built).
#
# k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces the k8s.io/* staging modules with local paths.
# So a small wrapper module requires it and replaces each staging module with its published v0.Y.Z, read from that
# very go.mod.
set -euo pipefail
version=${KUBERNETES_VERSION:-v1.36.3}
cache="${CLUSTERBOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clusterboot}"
out="$cache/kubernetes-$version/bin"
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOFLAGS=-mod=mod GOTOOLCHAIN=local
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubelet)

if [ -x "$out/kubelet" ] && [ -x "$out/kube-apiserver" ] && [ -x "$out/kube-controller-manager" ] && [ -x "$out/kube-scheduler" ]; then
  echo "$out"
  exit 0
fi
work="$cache/kubernetes-$version/module"
mkdir -p "$work" "$out"
cd "$work"
staging=v0.${version#v1.}
if [ ! -f go.mod ]; then
  go mod init clusterboot.local/kubernetes-build >&2
fi
upstream=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
# Every `k8s.io/<name> => ./staging/...` of upstream's go.mod becomes `=> k8s.io/<name> <staging version>`.
sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$upstream" | while read -r module; do
  go mod edit -replace "$module=$module@$staging"
done
go mod edit -require "k8s.io/kubernetes@$version"
cat > tools.go <<GO
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
GO
go mod tidy >&2
for binary in "${binaries[@]}"; do
  echo "building $binary $version (first build takes long on two cores)" >&2
  go build -tags tools -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$version" \
    -o "$out/$binary" "k8s.io/kubernetes/cmd/$binary" >&2
done
echo "$out"
