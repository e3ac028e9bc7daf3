#!/usr/bin/env bash
# Builds the real node's and the ingress controller's binaries from Go modules, cached
# apart from the control plane's (scripts/cluster/build.sh) so that neither build
# invalidates the other and a running control plane never sees its bin dir change:
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/berth/node/k8s-<v>-<hash>/bin/{kubelet,kube-proxy}
#       from node-k8s/go.mod: k8s/go.mod (the control plane's wrapper) with these two
#       tools; every version is the same (same module cache and build cache: most
#       packages are already compiled). A separate file only because a change to
#       k8s/go.mod changes the control plane's cache key, which rebuilds and restarts it.
#   ${...}/berth/node/issuer-<hash>/bin/berth-local-issuer   (node-k8s/berth-local-issuer)
#   ${...}/berth/node/traefik-<v>-<hash>/bin/traefik
#       from its own wrapper module (traefik/go.mod): Traefik needs k8s.io v0.34, the
#       control plane's module pins v0.37, so they cannot share one module
#
# Usage: build-node.sh [kubelet|traefik|all] (default all); prints KEY=VALUE lines:
#   BERTH_NODE_BIN=<dir with kubelet, kube-proxy>  BERTH_ISSUER_BIN=<dir>  BERTH_TRAEFIK_BIN=<dir>
# Env: BERTH_CLUSTER_BUILD_JOBS (go build -p, default nproc). Builds run under nice 10.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="$(command -v go || echo /usr/local/go/bin/go)"
[ -x "$GO" ] || { echo "build-node.sh: no Go toolchain (need Go >= 1.26)" >&2; exit 1; }
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:-} -mod=readonly"
JOBS="${BERTH_CLUSTER_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/berth/node"
WHAT="${1:-all}"

mod_version() { sed -n "s#^[[:space:]]*\(require[[:space:]]\+\)\?$2[[:space:]]\+\(v[^[:space:]]*\).*#\2#p" "$1/go.mod" | head -n1; }
inputs_hash() { # <module dir> [source dir]: Go version, the module's go.mod/go.sum, Go sources
  { "$GO" env GOVERSION GOOS GOARCH; cat "$1/go.mod" "$1/go.sum"
    [ -z "${2:-}" ] || find "$2" -name '*.go' -type f | LC_ALL=C sort | xargs -r cat; } | sha256sum | cut -c1-12
}
log() { echo "[node/build] $*" >&2; }

build_into() { # <out dir> <module dir> <ldflags> <binary names...> -- <packages...>
  local out="$1" dir="$2" ld="$3"; shift 3
  local bins=() pkgs=() b missing=0
  while [ "$1" != "--" ]; do bins+=("$1"); shift; done; shift; pkgs=("$@")
  for b in "${bins[@]}"; do [ -x "$out/bin/$b" ] || missing=1; done
  [ $missing = 1 ] || return 0
  mkdir -p "$out/bin"
  exec 9>"$out/.build.lock"; flock 9
  missing=0; for b in "${bins[@]}"; do [ -x "$out/bin/$b" ] || missing=1; done
  [ $missing = 1 ] || return 0
  local tmp t0; tmp="$(mktemp -d "$out/.tmp.XXXXXX")"; t0=$(date +%s)
  log "building ${pkgs[*]} (in ${dir#"$HERE"/}, -p $JOBS)"
  if ! (cd "$dir" && nice -n 10 "$GO" build -p "$JOBS" -trimpath -ldflags "-s -w $ld" -o "$tmp/" "${pkgs[@]}") >&2; then
    rm -rf "$tmp"; log "build failed: ${pkgs[*]}"; exit 1
  fi
  for b in "$tmp"/*; do mv -f "$b" "$out/bin/"; done
  rm -rf "$tmp"
  log "built ${bins[*]} in $(( $(date +%s) - t0 ))s"
  echo "$(date -u +%FT%TZ) built ${bins[*]} in $(( $(date +%s) - t0 ))s" >>"$out/build.log"
}

K8S_DIR="$HERE/node-k8s"
K8S_VERSION="$(mod_version "$K8S_DIR" k8s.io/kubernetes)"
NODE_OUT="$CACHE_ROOT/k8s-$K8S_VERSION-$(inputs_hash "$K8S_DIR")"
ISSUER_OUT="$CACHE_ROOT/issuer-$(inputs_hash "$K8S_DIR" "$K8S_DIR/berth-local-issuer")"
TRAEFIK_DIR="$HERE/traefik"
TRAEFIK_VERSION="$(mod_version "$TRAEFIK_DIR" github.com/traefik/traefik/v3)"
TRAEFIK_OUT="$CACHE_ROOT/traefik-$TRAEFIK_VERSION-$(inputs_hash "$TRAEFIK_DIR")"

if [ "$WHAT" = all ] || [ "$WHAT" = kubelet ]; then
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  build_date="$(cd "$K8S_DIR" && "$GO" list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes 2>/dev/null || true)"
  ld=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=${build_date:-1970-01-01T00:00:00Z}"
  done
  build_into "$NODE_OUT" "$K8S_DIR" "$ld" kubelet kube-proxy -- \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
  # node-k8s/issuer: the local stand-in for cert-manager's controller (see its main.go)
  build_into "$ISSUER_OUT" "$K8S_DIR" "" berth-local-issuer -- ./berth-local-issuer
fi
if [ "$WHAT" = all ] || [ "$WHAT" = traefik ]; then
  v=github.com/traefik/traefik/v3/pkg/version
  build_into "$TRAEFIK_OUT" "$TRAEFIK_DIR" "-X $v.Version=$TRAEFIK_VERSION -X $v.Codename=berth -X $v.BuildDate=module" \
    traefik -- github.com/traefik/traefik/v3/cmd/traefik
fi
echo "BERTH_NODE_BIN=$NODE_OUT/bin"
echo "BERTH_ISSUER_BIN=$ISSUER_OUT/bin"
echo "BERTH_TRAEFIK_BIN=$TRAEFIK_OUT/bin"
