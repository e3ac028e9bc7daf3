#!/usr/bin/env bash
# Builds the local control plane's binaries from Go modules (no downloads other than
# the Go module proxy) into a cache directory keyed by the pinned versions and the
# go.mod/go.sum/source contents:
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/berth/cluster/<key>/bin/
#     kube-apiserver kube-controller-manager kube-scheduler kubectl   (k8s.io/kubernetes)
#     etcd                                                              (go.etcd.io/etcd/server/v3)
#     kwok                                                              (sigs.k8s.io/kwok)
#     berth-hostpath-provisioner                                        (./provisioner)
#   ${...}/<key>/kwok-stages.yaml   (node-initialize, node-heartbeat-with-lease,
#                                    pod-ready, pod-complete, pod-delete from kwok's module)
#
# Usage: build.sh            build whatever is missing (no-op when cached)
#        build.sh --print-bin print the bin directory (builds nothing)
# Env:   BERTH_CLUSTER_BUILD_JOBS  parallel compile jobs (default: nproc)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  for g in /usr/local/go/bin/go /usr/lib/go/bin/go "$HOME/go/bin/go"; do
    [ -x "$g" ] && { echo "$g"; return; }
  done
  echo "build.sh: no Go toolchain found (need Go >= 1.26; install it to /usr/local/go)" >&2
  exit 1
}
GO="$(find_go)"
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

mod_version() { # <module dir> <module path>
  sed -n "s#^[[:space:]]*\(require[[:space:]]\+\)\?$2[[:space:]]\+\(v[^[:space:]]*\).*#\2#p" "$1/go.mod" | head -n1
}
K8S_VERSION="$(mod_version "$HERE/k8s" k8s.io/kubernetes)"
ETCD_VERSION="$(mod_version "$HERE/etcd" go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(mod_version "$HERE/kwok" sigs.k8s.io/kwok)"
[ -n "$K8S_VERSION" ] && [ -n "$ETCD_VERSION" ] && [ -n "$KWOK_VERSION" ] || {
  echo "build.sh: cannot read pinned versions from go.mod files" >&2; exit 1; }

# Cache key: versions + Go version + every input file of the build.
key_hash="$(
  {
    "$GO" env GOVERSION GOOS GOARCH
    echo "$K8S_VERSION $ETCD_VERSION $KWOK_VERSION"
    cat "$HERE/build.sh"
    for d in k8s etcd kwok provisioner; do
      find "$HERE/$d" -maxdepth 1 -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) | LC_ALL=C sort | xargs cat
    done
  } | sha256sum | cut -c1-12
)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/berth/cluster"
KEY="k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}-${key_hash}"
OUT="$CACHE_ROOT/$KEY"
BIN="$OUT/bin"

if [ "${1:-}" = "--print-bin" ]; then echo "$BIN"; exit 0; fi

K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
ALL_BINS=("${K8S_BINS[@]}" etcd kwok berth-hostpath-provisioner)

complete() {
  for b in "${ALL_BINS[@]}"; do [ -x "$BIN/$b" ] || return 1; done
  [ -s "$OUT/kwok-stages.yaml" ] && [ -s "$OUT/versions" ]
}
if complete; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$BIN"
exec 9>"$OUT/.build.lock"
flock 9 # a concurrent build.sh waits here, then finds everything built
if complete; then echo "$BIN"; exit 0; fi

JOBS="${BERTH_CLUSTER_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
BUILD_LOG="$OUT/build.log"
t_all=$(date +%s)
log() { echo "[cluster/build] $*" >&2; echo "$(date -u +%FT%TZ) $*" >>"$BUILD_LOG"; }
log "Go: $("$GO" env GOVERSION); output: $BIN; jobs: $JOBS"

TMP="$(mktemp -d "$OUT/.tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

gobuild() { # <module dir> <ldflags> <pkg...>: builds into $TMP, then moves into $BIN
  local dir="$1" ld="$2"; shift 2
  local t0; t0=$(date +%s)
  log "building $* (in ${dir#"$HERE"/})"
  (cd "$dir" && "$GO" build -p "$JOBS" -trimpath -ldflags "-s -w $ld" -o "$TMP/" "$@") 2>&1 | tee -a "$BUILD_LOG" >&2
  local f
  for f in "$TMP"/*; do mv -f "$f" "$BIN/"; done
  log "built $* in $(( $(date +%s) - t0 ))s"
}

# k8s.io/kubernetes: stamp the version so /version and `kubectl version` tell the truth.
need_k8s=()
for b in "${K8S_BINS[@]}"; do [ -x "$BIN/$b" ] || need_k8s+=("k8s.io/kubernetes/cmd/$b"); done
if [ ${#need_k8s[@]} -gt 0 ]; then
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  build_date="$(cd "$HERE/k8s" && "$GO" list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes 2>/dev/null || true)"
  [ -n "$build_date" ] || build_date="1970-01-01T00:00:00Z"
  ld=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$build_date"
  done
  gobuild "$HERE/k8s" "$ld" "${need_k8s[@]}"
fi

if [ ! -x "$BIN/etcd" ]; then
  gobuild "$HERE/etcd" "-X go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_VERSION" . # module berth.local/cluster/etcd -> bin/etcd
fi

if [ ! -x "$BIN/kwok" ]; then
  gobuild "$HERE/kwok" "" sigs.k8s.io/kwok/cmd/kwok
fi

if [ ! -x "$BIN/berth-hostpath-provisioner" ]; then
  (cd "$HERE/provisioner" && "$GO" build -p "$JOBS" -trimpath -ldflags "-s -w" -o "$TMP/berth-hostpath-provisioner" .)
  mv -f "$TMP/berth-hostpath-provisioner" "$BIN/"
  log "built berth-hostpath-provisioner"
fi

# kwok stages, from the kwok module itself (kustomize/stage/...).
if [ ! -s "$OUT/kwok-stages.yaml" ]; then
  kwok_dir="$(cd "$HERE/kwok" && "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  {
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
             pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      echo "---"; echo "# from sigs.k8s.io/kwok@$KWOK_VERSION kustomize/stage/$f"; cat "$kwok_dir/kustomize/stage/$f"
    done
  } >"$TMP/kwok-stages.yaml"
  mv -f "$TMP/kwok-stages.yaml" "$OUT/kwok-stages.yaml"
fi

cat >"$OUT/versions" <<EOF
kubernetes=$K8S_VERSION
etcd=$ETCD_VERSION
kwok=$KWOK_VERSION
go=$("$GO" env GOVERSION)
EOF
log "all binaries ready in $(( $(date +%s) - t_all ))s"
complete || { echo "build.sh: build finished but binaries are missing in $BIN" >&2; exit 1; }
echo "$BIN"
