#!/usr/bin/env bash
# One real node beside the kwok nodes: containerd (Debian 1.6, runc, CNI bridge), kubelet
# and kube-proxy (k8s.io/kubernetes, same version as the control plane), images built
# here (scripts/images). Called by cluster.sh up/down/status once the API server is
# ready; never touches the control plane's processes.
#
#   node name   localhost (the API server reaches a kubelet by its Hostname address
#               first: this one resolves to 127.0.0.1 from /etc/hosts, never DNS)
#   labels      berth.io/node-pool=real; taint berth.io/node=real:NoSchedule, so only
#               pods that tolerate it run here (kwok keeps everything else)
#   ports       kubelet 127.0.0.1:12650 (healthz 12648), kube-proxy healthz 12656 /
#               metrics 12649, containerd: unix socket in the node dir, CRI streaming
#               127.0.0.1:12655
#   network     scripts/cluster/node-net.sh (bridge berth0, 10.245.0.0/24, no way off)
#
# Usage: node.sh up|down|status   (env: STACK_DIR; BERTH_NODE_POD_CIDR, BERTH_SERVICE_CIDR)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STACK_DIR="$(cd "${STACK_DIR:-$REPO/.stack}" && pwd)"
C="$STACK_DIR/cluster"
N="$C/node"
LOGS="$C/logs"
PKI="$C/pki"
ADMIN_KUBECONFIG="$STACK_DIR/kubeconfig"
API_URL="https://127.0.0.1:${BERTH_APISERVER_PORT:-16443}"
NODE_NAME=localhost
POD_CIDR="${BERTH_NODE_POD_CIDR:-10.245.0.0/24}"
NODE_IP="${POD_CIDR%.*}.1"
SOCK="$N/containerd/containerd.sock"
KUBELET_PORT=12650 KUBELET_HEALTHZ_PORT=12648 PROXY_HEALTHZ_PORT=12656 PROXY_METRICS_PORT=12649 STREAM_PORT=12655
PROCS=(containerd kubelet kube-proxy)
# Nothing the node runs may pull from a registry: a pull goes to a dead loopback proxy
# (no DNS lookup, no connection off the machine). Loopback and pod/service addresses
# are never proxied.
DEAD_PROXY="http://127.0.0.1:9"
NO_PROXY_LIST="127.0.0.1,localhost,${POD_CIDR},${BERTH_SERVICE_CIDR:-10.96.0.0/16}"

say() { echo "[node] $*" >&2; }
die() { echo "[node] ERROR: $*" >&2; exit 1; }
kubectl_() { "$CP_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

alive() { [ -n "${1:-}" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
pid_of() { # <proc>: pid of our running process, or fail
  local pid; pid="$(cat "$N/$1.pid" 2>/dev/null || true)"
  alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "/$1 " && echo "$pid"
}
start_proc() { # <proc> <binary> <args...>: start detached unless running with the same args
  local p="$1" bin="$2"; shift 2
  local args pid; args="$(printf '%s\n' "$bin" "$@")"
  if pid="$(pid_of "$p")"; then
    [ "$(cat "$N/$p.args" 2>/dev/null)" = "$args" ] && return 0
    say "$p: configuration changed; restarting it"; stop_proc "$p"
  fi
  printf '%s' "$args" >"$N/$p.args"
  { echo; echo "=== $(date -u +%FT%TZ) starting $p: $bin $*"; } >>"$LOGS/$p.log"
  # own session, no inherited descriptors (callers hold lock files on fds > 2)
  HTTP_PROXY="$DEAD_PROXY" HTTPS_PROXY="$DEAD_PROXY" NO_PROXY="$NO_PROXY_LIST" \
  setsid bash -c 'for fd in $(ls /proc/$$/fd); do
      if [ "$fd" -gt 2 ] && [ -e "/proc/$$/fd/$fd" ]; then eval "exec $fd>&-"; fi
    done
    echo $$ >"$0"; exec "$@"' "$N/$p.pid" "$bin" "$@" </dev/null >>"$LOGS/$p.log" 2>&1 &
  disown 2>/dev/null || true
  local i=0; while [ ! -s "$N/$p.pid" ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
}
stop_proc() { # <proc>: SIGTERM, up to 15 s, then SIGKILL
  local pid n=0
  if pid="$(pid_of "$1")"; then
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid" && [ $n -lt 150 ]; do sleep 0.1; n=$((n + 1)); done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    say "stopped $1 ($pid)"
  fi
  rm -f "$N/$1.pid" "$N/$1.args"
}
wait_for() { # <what> <seconds> <proc to watch> <command...>
  local what="$1" deadline=$(( $(date +%s) + $2 )) p="$3"; shift 3
  until "$@" >/dev/null 2>&1; do
    pid_of "$p" >/dev/null || { tail -n 20 "$LOGS/$p.log" >&2; die "$p exited while waiting for $what"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 20 "$LOGS/$p.log" >&2; die "timed out waiting for $what"; }
    sleep 0.2
  done
}

client_cert() { # <name> <subject>: signed by the cluster CA, kept while valid
  local f="$N/pki/$1"
  [ -s "$f.crt" ] && openssl verify -CAfile "$PKI/ca.crt" "$f.crt" >/dev/null 2>&1 && return 0
  mkdir -p "$N/pki"; chmod 700 "$N/pki"
  openssl genrsa -out "$f.key" 2048 2>/dev/null
  openssl req -new -key "$f.key" -subj "$2" -out "$f.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >"$f.ext"
  openssl x509 -req -in "$f.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 -sha256 \
    -extfile "$f.ext" -out "$f.crt" 2>/dev/null
  rm -f "$f.csr" "$f.ext"
}
kubeconfig() { # <cert name> <file>
  cat >"$2" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: berth-local
  cluster: {server: "$API_URL", certificate-authority: "$PKI/ca.crt"}
users:
- name: $1
  user: {client-certificate: "$N/pki/$1.crt", client-key: "$N/pki/$1.key"}
contexts:
- name: berth-local
  context: {cluster: berth-local, user: $1}
current-context: berth-local
EOF
  chmod 600 "$2"
}

image_present() { local l; l="$(ctr --address "$SOCK" -n k8s.io images ls -q 2>/dev/null)"; grep -qxF "$1" <<<"$l"; }
node_ready() { [ "$(kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }

cmd_up() {
  local t0; t0=$(date +%s)
  CP_BIN="$C/bin"; [ -x "$CP_BIN/kubectl" ] || die "no control plane binaries in $CP_BIN (cluster.sh up first)"
  local k; while IFS='=' read -r k v; do export "$k=$v"; done < <("$HERE/build-node.sh" kubelet)
  while IFS='=' read -r k v; do export "$k=$v"; done < <("$REPO/scripts/images/build.sh")
  mkdir -p "$N" "$LOGS" "$N/containerd" "$N/cni/net.d" "$N/kubelet" "$N/pod-logs"

  # A killed earlier run leaves pods' processes, mounts and veths behind: clear them
  # before containerd and kubelet start again (they would find half-dead sandboxes).
  if ! pid_of containerd >/dev/null; then
    stop_proc kubelet; stop_proc kube-proxy
    "$HERE/node-net.sh" clean-pods "$N"
  fi
  "$HERE/node-net.sh" up "$N"

  "$HERE/node-config.sh" "$N" "$BERTH_IMAGE_PAUSE"
  client_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  client_cert kube-proxy "/CN=system:kube-proxy"
  kubeconfig kubelet "$N/kubelet.kubeconfig"
  kubeconfig kube-proxy "$N/kube-proxy.kubeconfig"

  start_proc containerd /usr/bin/containerd --config "$N/containerd.toml"
  wait_for "containerd" 30 containerd ctr --address "$SOCK" version
  local img
  for img in "$BERTH_IMAGE_PAUSE=$BERTH_IMAGE_PAUSE_TAR" "$BERTH_IMAGE_NGINX=$BERTH_IMAGE_NGINX_TAR"; do
    image_present "${img%%=*}" && continue
    ctr --address "$SOCK" -n k8s.io images import "${img#*=}" >/dev/null
    image_present "${img%%=*}" || die "could not import ${img#*=}"
  done

  start_proc kubelet "$BERTH_NODE_BIN/kubelet" --config="$N/kubelet.yaml" --kubeconfig="$N/kubelet.kubeconfig" \
    --root-dir="$N/kubelet" --cert-dir="$N/kubelet/pki" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
    --node-labels="berth.io/node-pool=real,type=real" --v=1
  start_proc kube-proxy "$BERTH_NODE_BIN/kube-proxy" --config="$N/kube-proxy.yaml" --v=1
  wait_for "node $NODE_NAME Ready" 120 kubelet node_ready
  wait_for "kube-proxy healthz" 60 kube-proxy curl -fsS --max-time 2 "http://127.0.0.1:$PROXY_HEALTHZ_PORT/healthz"
  write_env
  say "real node $NODE_NAME Ready in $(( $(date +%s) - t0 ))s (pods $POD_CIDR on berth0)"
}

write_env() {
  cat >"$N/env" <<EOF
BERTH_REAL_NODE=$NODE_NAME
BERTH_REAL_NODE_POOL=real
BERTH_IMAGE_PAUSE=$BERTH_IMAGE_PAUSE
BERTH_IMAGE_NGINX=$BERTH_IMAGE_NGINX
EOF
}

cmd_down() {
  CP_BIN="$C/bin"
  stop_proc kube-proxy
  stop_proc kubelet
  # kube-proxy's own cleanup of its iptables chains (filter, nat; IPv4 and IPv6)
  local nb; nb="$("$HERE/build-node.sh" kubelet 2>/dev/null | sed -n 's/^BERTH_NODE_BIN=//p')"
  [ -x "$nb/kube-proxy" ] && "$nb/kube-proxy" --cleanup >/dev/null 2>&1 || true
  if pid_of containerd >/dev/null; then
    local id
    for id in $(ctr --address "$SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$SOCK" -n k8s.io tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
  fi
  stop_proc containerd
  "$HERE/node-net.sh" down "$N"
  rm -rf "$N/containerd/state" "$N/kubelet/pods" "$N/env"
  # the Node object goes too: a stopped kubelet's node would stay NotReady forever
  if [ -x "$CP_BIN/kubectl" ] && [ -s "$ADMIN_KUBECONFIG" ]; then
    kubectl_ delete node "$NODE_NAME" --ignore-not-found --wait=false --request-timeout=5s >/dev/null 2>&1 || true
  fi
  say "down: node processes stopped, network and mounts removed"
}

cmd_status() {
  local rc=0 p pid
  for p in "${PROCS[@]}"; do
    if pid="$(pid_of "$p")"; then printf '%-24s up (pid %s)\n' "$p" "$pid"; else printf '%-24s down\n' "$p"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
