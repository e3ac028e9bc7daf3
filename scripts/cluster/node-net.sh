#!/usr/bin/env bash
# Host networking of the local real node (scripts/cluster/node.sh), on this machine only:
#
#   bridge berth0 10.245.0.1/24   pods' veths (CNI bridge plugin); the node's InternalIP
#   10.245.0.0/24                 real pods (BERTH_NODE_POD_CIDR), host-local IPAM
#   10.96.0.0/16 dev berth0       Services (kube-proxy DNATs them); a ClusterIP that is not
#                                 DNATed stays on the bridge instead of the default route
#   blackhole 10.244.0.0/16       kwok's fake pod IPs: never sent anywhere
#   mangle FORWARD                only berth0 -> berth0 is forwarded; everything else that
#                                 the host would forward is dropped (pods get no way off
#                                 the machine even though the bridge plugin turns
#                                 ip_forward on); pods have no default route either
#   sysctls                       ip_forward, route_localnet and the kubelet's kernel
#                                 tunables are saved on `up` and restored on `down`
#
# Usage: node-net.sh up|down|clean-pods <node dir>
#   clean-pods: unmount and delete what pods of a killed earlier run left (network
#   namespaces, veths, mounts under <node dir>, IPAM state, pod cgroups)
set -euo pipefail

CMD="$1" N="$2"
BRIDGE=berth0
POD_CIDR="${BERTH_NODE_POD_CIDR:-10.245.0.0/24}"
GW="${POD_CIDR%.*}.1"
SERVICE_CIDR="${BERTH_SERVICE_CIDR:-10.96.0.0/16}"
KWOK_CIDR="${BERTH_POD_CIDR:-10.244.0.0/16}"
TAG="berth-node"
SYSCTLS=(net.ipv4.ip_forward net.ipv4.conf.all.route_localnet vm.overcommit_memory vm.panic_on_oom
  kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
say() { echo "[node-net] $*" >&2; }

mangle_rules() { # the rules, one per line, as iptables arguments after -A/-D FORWARD
  echo "-i $BRIDGE -o $BRIDGE -m comment --comment $TAG -j ACCEPT"
  echo "-m comment --comment $TAG -j DROP"
}

net_up() {
  mkdir -p "$N"
  # save the sysctls once per up/down cycle (a second up must not save our own values)
  if [ ! -s "$N/sysctl.saved" ]; then
    for s in "${SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done >"$N/sysctl.saved.tmp"
    mv -f "$N/sysctl.saved.tmp" "$N/sysctl.saved"
  fi
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  sysctl -qw "net.ipv6.conf.$BRIDGE.disable_ipv6=1" || true
  ip addr replace "$GW/${POD_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  ip route replace "$SERVICE_CIDR" dev "$BRIDGE" src "$GW"
  ip route replace blackhole "$KWOK_CIDR"
  # the mangle table's FORWARD runs before filter's, where kube-proxy inserts its ACCEPTs
  local r
  while read -r r; do
    # shellcheck disable=SC2086
    iptables -t mangle -C FORWARD $r 2>/dev/null || iptables -t mangle -A FORWARD $r
  done < <(mangle_rules)
  ip6tables -t mangle -C FORWARD -i "$BRIDGE" -m comment --comment "$TAG" -j DROP 2>/dev/null \
    || ip6tables -t mangle -A FORWARD -i "$BRIDGE" -m comment --comment "$TAG" -j DROP
}

# every mount below <node dir>, deepest first
our_mounts() { awk -v p="$N/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r; }

clean_pods() {
  local ns m pid i
  # container processes of our pods: every pid in the kubepods cgroups (kubelet made them)
  for i in 1 2 3; do
    local pids
    pids="$({ find /sys/fs/cgroup/pids/kubepods /sys/fs/cgroup/memory/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null || true; } | sort -u | tr '\n' ' ')"
    [ -n "${pids// /}" ] || break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.5
  done
  # shims of our containerd (they outlive it)
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $N/containerd/containerd.sock" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # network namespaces that our containerd mounted under its state dir: deleting the
  # last reference removes the pod's veth (and its peer on berth0)
  while read -r m; do
    [ -n "$m" ] || continue
    umount -l "$m" 2>/dev/null || true
  done < <(our_mounts)
  for ns in $({ ip netns list 2>/dev/null || true; } | awk '{print $1}' | grep '^cni-' || true); do
    # only namespaces whose veth peers sit on our bridge are ours
    if ip -n "$ns" link show eth0 >/dev/null 2>&1 && ip -n "$ns" -4 addr show eth0 | grep -q "inet ${POD_CIDR%.*}\."; then
      ip netns delete "$ns" 2>/dev/null || true
    fi
  done
  for m in $({ ip -o link show master "$BRIDGE" 2>/dev/null || true; } | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$m" 2>/dev/null || true
  done
  rm -rf "$N/cni/ipam"
  # the pod cgroups kubelet made (deepest first; empty by now)
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
  # container log links kubelet writes into the fixed /var/log/containers
  find /var/log/containers -maxdepth 1 -type l -lname "$N/*" -delete 2>/dev/null || true
}

drop_kube_chains() { # <iptables-save> <iptables-restore>: remove every KUBE-* chain and
  # every rule that jumps to one (kubelet's KUBE-FIREWALL and canaries, whatever
  # kube-proxy --cleanup left); this stack is the only Kubernetes on this machine
  local save="$1" restore="$2" t
  for t in filter nat mangle raw; do
    "$save" -t "$t" 2>/dev/null | grep -q -- 'KUBE-' || continue
    "$save" -t "$t" | grep -v -E '^:KUBE-|^-A KUBE-|-j KUBE-|^#' | "$restore" -T "$t" || say "could not clean $t ($save)"
  done
}

net_down() {
  local r
  drop_kube_chains iptables-save iptables-restore
  drop_kube_chains ip6tables-save ip6tables-restore
  while read -r r; do
    # shellcheck disable=SC2086
    while iptables -t mangle -C FORWARD $r 2>/dev/null; do iptables -t mangle -D FORWARD $r; done
  done < <(mangle_rules)
  while ip6tables -t mangle -C FORWARD -i "$BRIDGE" -m comment --comment "$TAG" -j DROP 2>/dev/null; do
    ip6tables -t mangle -D FORWARD -i "$BRIDGE" -m comment --comment "$TAG" -j DROP
  done
  ip route del blackhole "$KWOK_CIDR" 2>/dev/null || true
  ip route del "$SERVICE_CIDR" dev "$BRIDGE" 2>/dev/null || true
  ip link delete "$BRIDGE" 2>/dev/null || true
  if [ -s "$N/sysctl.saved" ]; then
    local kv
    while read -r kv; do sysctl -qw "$kv" || true; done <"$N/sysctl.saved"
    rm -f "$N/sysctl.saved"
  fi
}

case "$CMD" in
  up) net_up ;;
  clean-pods) clean_pods ;;
  down) clean_pods; net_down ;;
  *) echo "usage: $0 up|down|clean-pods <node dir>" >&2; exit 2 ;;
esac
