#!/usr/bin/env bash
# Build a real Kubernetes control plane for the "real Kubernetes" test tier and cache it under
# .cache/kubernetes/bin (git-ignored): kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd and kwok, at the pinned versions below, from the Go module proxy alone.
#
# Why a wrapper module: `go install k8s.io/kubernetes/cmd/...@v1.34.4` is refused because that
# go.mod replaces its staging modules (k8s.io/api, k8s.io/client-go, ...) with folders of its own
# repository. The wrapper requires k8s.io/kubernetes and points each of those replaces at the
# published staging module of the same release instead (v0.<minor>.<patch>). sample-controller and
# sample-cli-plugin are not served by the proxy and no binary here needs them.
#
# Idempotent: when the pinned versions are already built it only prints. stdout gets exactly one
# line, the bin directory; progress and timings go to stderr. A cold build takes about 10 minutes
# on 2 cores (peak about 2 GiB); Go's module and build caches make later builds fast.
#
# Usage: scripts/kubernetes/build.sh
#        KUBE_CACHE_DIR=/somewhere scripts/kubernetes/build.sh
set -euo pipefail

KUBE_VERSION=1.34.4
STAGING_VERSION=0.34.4
ETCD_VERSION=3.6.4   # the version k8s.io/kubernetes v1.34.4 pins
KWOK_VERSION=0.8.0
KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CACHE_ROOT="${KUBE_CACHE_DIR:-$REPO_ROOT/.cache/kubernetes}"
BIN="$CACHE_ROOT/bin"
STAMP="$BIN/.versions"
WANTED="kubernetes=$KUBE_VERSION etcd=$ETCD_VERSION kwok=$KWOK_VERSION"

die() { echo "build.sh: error: $*" >&2; exit 1; }
say() { echo "build.sh: $*" >&2; }

complete() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANTED" ]] || return 1
  for b in "${KUBE_BINARIES[@]}" etcd kwok; do [[ -x "$BIN/$b" ]] || return 1; done
  [[ -f "$CACHE_ROOT/kwok/stages.yaml" ]]
}

if complete; then
  say "Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION (cached) in $BIN"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "go not found on PATH; the control plane is built from Go modules (https://go.dev/dl)."

started=$SECONDS
export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off
WORK="$CACHE_ROOT/build"
mkdir -p "$BIN" "$WORK/kubernetes" "$WORK/etcd" "$CACHE_ROOT/kwok"

# --- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl -------------------------
say "building Kubernetes v$KUBE_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)"
upstream_mod="$(cd "$WORK/kubernetes" && go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" \
  | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[[ -f "$upstream_mod" ]] || die "could not download k8s.io/kubernetes@v$KUBE_VERSION from the Go module proxy"
staging=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$upstream_mod" \
  | grep -v -e '^k8s.io/sample-controller$' -e '^k8s.io/sample-cli-plugin$')
{
  echo "module es-scaler.test/kubernetes-control-plane"
  echo
  grep -E '^(go|godebug) ' "$upstream_mod"
  echo
  echo "require k8s.io/kubernetes v$KUBE_VERSION"
  echo
  echo "replace ("
  for m in $staging; do echo "	$m => $m v$STAGING_VERSION"; done
  echo ")"
} >"$WORK/kubernetes/go.mod"
say "wrapper module: $(echo "$staging" | wc -w) staging replaces at v$STAGING_VERSION"
cat >"$WORK/kubernetes/tools.go" <<'GO'
//go:build tools

// Package tools only records which main packages this module builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"
ver_pkg=k8s.io/component-base/version
ldflags="-s -w -X $ver_pkg.gitVersion=v$KUBE_VERSION -X $ver_pkg.gitMajor=1 -X $ver_pkg.gitMinor=$minor"
ldflags+=" -X $ver_pkg.gitTreeState=clean -X $ver_pkg.buildDate=1970-01-01T00:00:00Z"
ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=v$KUBE_VERSION"
(
  cd "$WORK/kubernetes"
  go mod tidy -e >/dev/null 2>&1 || true   # fills go.sum; -e: test-only imports may be unresolved
  for b in "${KUBE_BINARIES[@]}"; do
    t=$SECONDS
    go build -trimpath -ldflags "$ldflags" -o "$BIN/$b" "k8s.io/kubernetes/cmd/$b"
    say "  $b built in $((SECONDS - t)) s"
  done
)

# --- etcd ---------------------------------------------------------------------------------------
say "building etcd v$ETCD_VERSION"
t=$SECONDS
cat >"$WORK/etcd/go.mod" <<MOD
module es-scaler.test/etcd

go 1.24

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
MOD
cat >"$WORK/etcd/main.go" <<'GO'
// Command etcd is the etcd server, built from its published module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
(cd "$WORK/etcd" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" .)
say "  etcd built in $((SECONDS - t)) s"

# --- kwok ---------------------------------------------------------------------------------------
say "building kwok v$KWOK_VERSION"
t=$SECONDS
GOBIN="$BIN" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
# kwok has no built-in stages once it is given a --config: keep the module's own node and pod
# stages (its "fast" set: node/fast, node/heartbeat-with-lease, pod/fast) for the test helper.
kwok_dir="$(go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$kwok_dir/kustomize/stage" ]] || die "no kustomize/stage folder in the kwok module at $kwok_dir"
stage_files=(node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)
: >"$CACHE_ROOT/kwok/stages.yaml.tmp"
for f in "${stage_files[@]}"; do
  [[ -f "$kwok_dir/kustomize/stage/$f" ]] || die "kwok stage $f not found in $kwok_dir/kustomize/stage"
  { echo "---"; sed '/^---$/d' "$kwok_dir/kustomize/stage/$f"; } >>"$CACHE_ROOT/kwok/stages.yaml.tmp"
done
mv "$CACHE_ROOT/kwok/stages.yaml.tmp" "$CACHE_ROOT/kwok/stages.yaml"
say "  kwok built in $((SECONDS - t)) s"

echo "$WANTED" >"$STAMP"
say "Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION built in $((SECONDS - started)) s into $BIN"
echo "$BIN"
