#!/usr/bin/env bash
# Local Kubernetes control plane for Berth's dev/test stack, from real upstream binaries
# built from Go modules (scripts/cluster/build.sh): etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok (fake kubelets: nodes and pods become
# Ready without a container runtime) and berth-hostpath-provisioner (StorageClass longhorn).
#
# Usage: cluster.sh up|down|status|reset|kubectl ARGS...
#   up      build if needed, start what is not running, wait until usable (idempotent)
#   down    stop everything started here (pid files), verify the ports are free
#   status  print each component's state; exit 1 unless all is up
#   reset   down, then delete the cluster's state ($STACK_DIR/cluster: etcd data, PKI, volumes)
#   kubectl run the built kubectl against the admin kubeconfig
#
# Env: STACK_DIR (default <repo>/.stack), ports (all on 127.0.0.1):
#   BERTH_ETCD_PORT=12379 BERTH_ETCD_PEER_PORT=12380 BERTH_APISERVER_PORT=16443
#   BERTH_KCM_PORT=10357 BERTH_SCHEDULER_PORT=10359
#   BERTH_CLUSTER_NODES=1 (kwok nodes, each 32 CPU / 64Gi / 500 pods)
#   BERTH_SERVICE_CIDR=10.96.0.0/16 BERTH_POD_CIDR=10.244.0.0/16
#   BERTH_CLUSTER_UP_TIMEOUT=180 (seconds `up` waits for readiness)
# Writes: $STACK_DIR/kubeconfig (admin), $STACK_DIR/cluster/env (KUBECONFIG=...),
#   pid files $STACK_DIR/cluster/*.pid, logs $STACK_DIR/cluster/logs/*.log.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STACK_DIR="${STACK_DIR:-$REPO/.stack}"
mkdir -p "$STACK_DIR"
STACK_DIR="$(cd "$STACK_DIR" && pwd)"
C="$STACK_DIR/cluster"
PKI="$C/pki"
LOGS="$C/logs"
KCFG="$C/kubeconfigs"
ADMIN_KUBECONFIG="$STACK_DIR/kubeconfig"

ETCD_PORT="${BERTH_ETCD_PORT:-12379}"
ETCD_PEER_PORT="${BERTH_ETCD_PEER_PORT:-12380}"
API_PORT="${BERTH_APISERVER_PORT:-16443}"
KCM_PORT="${BERTH_KCM_PORT:-10357}"
SCHED_PORT="${BERTH_SCHEDULER_PORT:-10359}"
NODES="${BERTH_CLUSTER_NODES:-1}"
SERVICE_CIDR="${BERTH_SERVICE_CIDR:-10.96.0.0/16}"
POD_CIDR="${BERTH_POD_CIDR:-10.244.0.0/16}"
UP_TIMEOUT="${BERTH_CLUSTER_UP_TIMEOUT:-180}"
API_URL="https://127.0.0.1:$API_PORT"
PROVISIONER_NAME="berth.io/hostpath"
LAUNCHER_REV=2 # bump when start() changes how processes are launched: restarts them
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok provisioner)

say() { echo "[cluster] $*" >&2; }
die() { echo "[cluster] ERROR: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
secs_since() { local d=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((d / 1000)) $(((d % 1000) / 100)); }

# first IP of the service range (the `kubernetes` Service), e.g. 10.96.0.1
service_ip() { local n="${SERVICE_CIDR%/*}"; echo "${n%.*}.$(( ${n##*.} + 1 ))"; }

binary_of() {
  case "$1" in
    provisioner) echo berth-hostpath-provisioner ;;
    *) echo "$1" ;;
  esac
}
port_of() {
  case "$1" in
    etcd) echo "$ETCD_PORT" ;;
    kube-apiserver) echo "$API_PORT" ;;
    kube-controller-manager) echo "$KCM_PORT" ;;
    kube-scheduler) echo "$SCHED_PORT" ;;
    *) echo "" ;;
  esac
}

# pid of a running component started by us, or nothing
running_pid() {
  local f="$C/$1.pid" pid
  [ -s "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && alive "$pid" || return 1
  # the pid must still be our binary (pids get reused)
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "/$(binary_of "$1") " || return 1
  echo "$pid"
}

port_busy() { # <port>: is something listening on 127.0.0.1:<port> (or any address)?
  if command -v ss >/dev/null 2>&1; then
    ss -Htln "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

http_ok() { # <url> [curl args...]: 2xx and body "ok" (or any 2xx for /health)
  local url="$1"; shift
  curl -fsS --max-time 3 "$@" "$url" >/dev/null 2>&1
}
api_ready() { curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$API_URL/readyz" 2>/dev/null | grep -qx ok; }
etcd_healthy() { curl -fsS --max-time 3 "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"'; }
secure_healthz() { curl -fsSk --max-time 3 "https://127.0.0.1:$1/healthz" 2>/dev/null | grep -qx ok; }

healthy() { # <component>
  case "$1" in
    etcd) etcd_healthy ;;
    kube-apiserver) api_ready ;;
    kube-controller-manager) secure_healthz "$KCM_PORT" ;;
    kube-scheduler) secure_healthz "$SCHED_PORT" ;;
    *) running_pid "$1" >/dev/null ;;
  esac
}

wait_for() { # <what> <timeout s> <command...>
  local what="$1" timeout="$2"; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

kubectl_() { "$BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

write_if_changed() { # <file> (content on stdin)
  local tmp; tmp="$(mktemp "$1.XXXXXX")"
  cat >"$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else chmod 600 "$tmp"; mv -f "$tmp" "$1"; fi
}

kubeconfig() { # <user cert name> <file>
  local b64="base64 -w0"
  write_if_changed "$2" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: berth-local
  cluster:
    server: $API_URL
    certificate-authority-data: $($b64 <"$PKI/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $($b64 <"$PKI/$1.crt")
    client-key-data: $($b64 <"$PKI/$1.key")
contexts:
- name: berth-local
  context:
    cluster: berth-local
    user: $1
current-context: berth-local
EOF
}

start() { # <component> <args...>: start detached unless running; pid file + log
  local comp="$1"; shift
  local pid args; args="$(printf '%s\n' "launcher-rev=$LAUNCHER_REV" "$BIN" "$@")"
  if pid="$(running_pid "$comp")"; then
    if [ -f "$C/$comp.args" ] && [ "$(cat "$C/$comp.args")" = "$args" ]; then return 0; fi
    say "$comp: configuration changed; restarting it (and what depends on it)"
    stop_from "$comp"
  fi
  printf '%s' "$args" >"$C/$comp.args"
  local port; port="$(port_of "$comp")"
  if [ -n "$port" ] && port_busy "$port"; then
    die "port $port (for $comp) is in use by a process this script did not start; stop it or set the port env (see cluster.sh header)"
  fi
  local bin="$BIN/$(binary_of "$comp")"
  rm -f "$C/$comp.pid"
  # keep one previous log when it grew past 50 MB
  if [ -f "$LOGS/$comp.log" ] && [ "$(stat -c %s "$LOGS/$comp.log")" -gt 52428800 ]; then
    mv -f "$LOGS/$comp.log" "$LOGS/$comp.log.1"
  fi
  { echo; echo "=== $(date -u +%FT%TZ) starting $comp: $bin $*"; } >>"$LOGS/$comp.log"
  # setsid: own session, so the component outlives the caller's terminal/process group.
  # The component must not inherit any other descriptor: lock files of this script or
  # of its caller (scripts/stack.sh holds .stack/.lock on fd 9) would stay locked.
  # (No redirection around that loop: bash would lose the saved stderr.)
  setsid bash -c 'for fd in $(ls /proc/$$/fd); do
      if [ "$fd" -gt 2 ] && [ -e "/proc/$$/fd/$fd" ]; then eval "exec $fd>&-"; fi
    done
    echo $$ >"$0"; exec "$@"' "$C/$comp.pid" "$bin" "$@" </dev/null >>"$LOGS/$comp.log" 2>&1 &
  disown 2>/dev/null || true
  STARTED+=("$comp")
  local i=0
  while [ ! -s "$C/$comp.pid" ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
}

check_alive() { # fail fast with the log tail when a component died at startup
  local comp="$1"
  if ! running_pid "$comp" >/dev/null; then
    say "$comp exited; last lines of $LOGS/$comp.log:"
    tail -n 25 "$LOGS/$comp.log" >&2 || true
    exit 1
  fi
}

wait_healthy() { # <component> <timeout>
  local comp="$1" timeout="$2" deadline=$(( $(date +%s) + $2 ))
  until healthy "$comp"; do
    check_alive "$comp"
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "$comp not healthy after ${timeout}s; last lines of $LOGS/$comp.log:"
      tail -n 25 "$LOGS/$comp.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

node_manifests() {
  local i
  for i in $(seq 1 "$NODES"); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: berth-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: berth-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    topology.kubernetes.io/zone: local
status:
  capacity: {cpu: "32", memory: 64Gi, pods: "500", ephemeral-storage: 500Gi}
  allocatable: {cpu: "32", memory: 64Gi, pods: "500", ephemeral-storage: 500Gi}
EOF
  done
}

lock() { # serialise up/down/reset (the stack orchestrator and a developer may race)
  mkdir -p "$C"
  exec 8>"$C/.lock"
  if ! flock -n 8; then
    say "another cluster.sh is running on $C; waiting for it"
    flock 8
  fi
}

fingerprint() { # what `up` depends on: a change makes `up` re-check every component's flags
  { echo "$BIN $STACK_DIR $ETCD_PORT $ETCD_PEER_PORT $API_PORT $KCM_PORT $SCHED_PORT $NODES $SERVICE_CIDR $POD_CIDR ${BERTH_ETCD_FSYNC:-0}"
    cat "$HERE/cluster.sh" "$HERE/pki.sh" "$HERE/manifests/bootstrap.yaml" "$REPO/k8s/storage/storageclass-longhorn.yaml"
  } | sha256sum | cut -c1-16
}

ensure_tools() { # Debian packages this script needs (openssl: pki.sh)
  local missing=() t
  for t in curl:curl flock:util-linux setsid:util-linux sha256sum:coreutils base64:coreutils; do
    command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
}

cmd_up() {
  local t0; t0="$(now_ms)"
  ensure_tools
  lock
  BIN="$("$HERE/build.sh" | tail -n1)"
  [ -x "$BIN/kube-apiserver" ] || die "build.sh did not produce binaries"
  local STAGES; STAGES="$(dirname "$BIN")/kwok-stages.yaml"
  mkdir -p "$C" "$LOGS" "$KCFG" "$C/etcd" "$C/volumes"
  ln -sfn "$BIN" "$C/bin"
  STARTED=()

  # Fast path: everything already running and ready.
  local all=1 comp
  for comp in "${COMPONENTS[@]}"; do running_pid "$comp" >/dev/null || { all=0; break; }; done
  local fp; fp="$(fingerprint)"
  if [ $all = 1 ] && [ -s "$ADMIN_KUBECONFIG" ] && [ "$(cat "$C/up.fingerprint" 2>/dev/null)" = "$fp" ] && api_ready && etcd_healthy \
      && secure_healthz "$KCM_PORT" && secure_healthz "$SCHED_PORT"; then
    write_env
    say "already up (checked in $(secs_since "$t0")); KUBECONFIG=$ADMIN_KUBECONFIG"
    return 0
  fi

  # Refuse early (before starting anything) if a port we need is taken by someone else.
  for comp in "${COMPONENTS[@]}"; do
    running_pid "$comp" >/dev/null && continue
    local p
    for p in $(port_of "$comp") $([ "$comp" = etcd ] && echo "$ETCD_PEER_PORT"); do
      port_busy "$p" && die "port $p (for $comp) is in use by a process this script did not start; stop it or set the port env (see cluster.sh header)"
    done
  done

  "$HERE/pki.sh" "$PKI" "$(service_ip)"
  kubeconfig admin "$ADMIN_KUBECONFIG"
  kubeconfig kube-controller-manager "$KCFG/kube-controller-manager.kubeconfig"
  kubeconfig kube-scheduler "$KCFG/kube-scheduler.kubeconfig"
  kubeconfig kwok "$KCFG/kwok.kubeconfig"
  kubeconfig provisioner "$KCFG/provisioner.kubeconfig"

  # etcd: plain HTTP on loopback only. --unsafe-no-fsync: dev/test speed (the data is
  # disposable); set BERTH_ETCD_FSYNC=1 to keep fsync.
  local etcd_extra=()
  [ "${BERTH_ETCD_FSYNC:-0}" = 1 ] || etcd_extra+=(--unsafe-no-fsync)
  start etcd --name=berth --data-dir="$C/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="berth=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state=new \
    --auto-compaction-mode=periodic --auto-compaction-retention=1h --quota-backend-bytes=4294967296 \
    --log-level=warn "${etcd_extra[@]}"
  wait_healthy etcd 60

  local t_api; t_api="$(now_ms)"
  start kube-apiserver \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction,ResourceQuota \
    --allow-privileged=true \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --api-audiences=https://kubernetes.default.svc.cluster.local \
    --endpoint-reconciler-type=none \
    --profiling=false --v=1
  wait_healthy kube-apiserver 120
  local api_secs; api_secs="$(secs_since "$t_api")"

  start kube-controller-manager \
    --kubeconfig="$KCFG/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$KCFG/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig="$KCFG/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
    --controllers='*' --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --allocate-node-cidrs=false \
    --kube-api-qps=200 --kube-api-burst=400 \
    --concurrent-namespace-syncs=10 --concurrent-deployment-syncs=10 --concurrent-replicaset-syncs=10 \
    --leader-elect=false --profiling=false --v=1

  cat >"$C/kube-scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $KCFG/kube-scheduler.kubeconfig
  qps: 200
  burst: 400
leaderElection:
  leaderElect: false
EOF
  start kube-scheduler --config="$C/kube-scheduler.yaml" \
    --authentication-kubeconfig="$KCFG/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig="$KCFG/kube-scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --v=1

  if ! running_pid kwok >/dev/null; then
    # A previous kwok's node leases would make the new one wait for them to expire
    # (40s) before it manages the nodes (and their pods) again: hand them over now.
    local leases=() i
    for i in $(seq 1 "$NODES"); do leases+=("berth-node-$i"); done
    kubectl_ -n kube-node-lease delete lease "${leases[@]}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
  start kwok --kubeconfig="$KCFG/kwok.kubeconfig" --config="$STAGES" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds=40 --cidr="$POD_CIDR" --node-ip=127.0.0.1

  # Platform objects (idempotent): nodes, mail-system, provisioner RBAC, StorageClass.
  { node_manifests; echo "---"; cat "$HERE/manifests/bootstrap.yaml"; echo "---"
    cat "$REPO/k8s/storage/storageclass-longhorn.yaml"; } \
    | kubectl_ apply --server-side --field-manager=berth-cluster-sh -f - >/dev/null

  start provisioner --kubeconfig="$KCFG/provisioner.kubeconfig" --base-dir="$C/volumes" \
    --provisioner-name="$PROVISIONER_NAME"


  wait_healthy kube-controller-manager 60
  wait_healthy kube-scheduler 60
  check_alive kwok
  check_alive provisioner
  wait_for "service account default/default" "$UP_TIMEOUT" \
    kubectl_ -n default get serviceaccount default -o name >/dev/null 2>&1 || exit 1
  kubectl_ wait node --all --for=condition=Ready --timeout="${UP_TIMEOUT}s" >/dev/null \
    || die "nodes not Ready (see $LOGS/kwok.log)"

  write_env
  echo "$fp" >"$C/up.fingerprint"
  if [ ${#STARTED[@]} -gt 0 ]; then
    say "started: ${STARTED[*]} (kube-apiserver /readyz ok after $api_secs)"
  fi
  say "up in $(secs_since "$t0"): $API_URL, KUBECONFIG=$ADMIN_KUBECONFIG"
}

write_env() {
  write_if_changed "$C/env" <<EOF
KUBECONFIG=$ADMIN_KUBECONFIG
EOF
  chmod 644 "$C/env"
  cat "$C/env"
}

alive() { # <pid>: exists and is not a zombie
  local st
  st="$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

stop_many() { # <component...>: SIGTERM all, wait up to 15s, then SIGKILL
  local comp pid i pids=() names=()
  for comp in "$@"; do
    if pid="$(running_pid "$comp")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid"); names+=("$comp")
    fi
  done
  for i in "${!pids[@]}"; do
    local n=0
    while alive "${pids[$i]}" && [ $n -lt 150 ]; do sleep 0.1; n=$((n + 1)); done
    if alive "${pids[$i]}"; then
      say "${names[$i]} (${pids[$i]}) did not stop in 15s; killing it"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      n=0; while alive "${pids[$i]}" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    fi
    say "stopped ${names[$i]} (${pids[$i]})"
  done
  for comp in "$@"; do rm -f "$C/$comp.pid" "$C/$comp.args"; done
}
stop_from() { # <component>: stop it and every component after it in COMPONENTS, clients
  # of the API server first (together), then the API server, then etcd
  local comp i found=0 clients=() api=0 etcd=0
  for comp in "${COMPONENTS[@]}"; do
    [ "$comp" = "$1" ] && found=1
    [ $found = 1 ] || continue
    case "$comp" in etcd) etcd=1 ;; kube-apiserver) api=1 ;; *) clients=("$comp" "${clients[@]}") ;; esac
  done
  [ ${#clients[@]} -eq 0 ] || stop_many "${clients[@]}"
  [ $api = 0 ] || stop_many kube-apiserver
  [ $etcd = 0 ] || stop_many etcd
}

cmd_down() {
  local i comp
  lock
  stop_from etcd
  local busy=()
  for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" "$KCM_PORT" "$SCHED_PORT"; do
    port_busy "$p" && busy+=("$p")
  done
  if [ ${#busy[@]} -gt 0 ]; then
    die "ports still in use after down: ${busy[*]} (not started by this script?)"
  fi
  say "down: nothing running, ports free"
}

cmd_status() {
  local rc=0 comp pid state
  for comp in "${COMPONENTS[@]}"; do
    if pid="$(running_pid "$comp")"; then
      if healthy "$comp"; then state="up (pid $pid)"; else state="running (pid $pid) but NOT healthy"; rc=1; fi
    else
      state="down"; rc=1
    fi
    printf '%-24s %s\n' "$comp" "$state"
  done
  if [ $rc = 0 ]; then
    BIN="$C/bin"
    local nodes
    nodes="$(kubectl_ get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status} {end}' 2>/dev/null || true)"
    printf '%-24s %s\n' nodes "${nodes:-none}"
    case "$nodes" in *=True*) ;; *) rc=1 ;; esac
    printf '%-24s %s\n' apiserver "$API_URL ($(cat "$C/bin/../versions" 2>/dev/null | tr '\n' ' '))"
    printf '%-24s %s\n' kubeconfig "$ADMIN_KUBECONFIG"
  fi
  return $rc
}

cmd_reset() {
  cmd_down
  rm -rf "$C" "$ADMIN_KUBECONFIG"
  say "reset: removed $C and $ADMIN_KUBECONFIG"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  kubectl) shift; BIN="$C/bin"; [ -x "$BIN/kubectl" ] || BIN="$("$HERE/build.sh" | tail -n1)"; kubectl_ "$@" ;;
  *) echo "usage: $0 up|down|status|reset|kubectl ARGS..." >&2; exit 2 ;;
esac
