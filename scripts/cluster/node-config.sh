#!/usr/bin/env bash
# Writes the real node's configuration files (used by node.sh):
#   <node dir>/containerd.toml        containerd 1.6, private root/state/socket, runc, CNI
#   <node dir>/cni/net.d/10-berth.conflist   bridge berth0, host-local IPAM, no default route
#   <node dir>/kubelet.yaml           cgroup v1 + cgroupfs, loopback, tainted registration
#   <node dir>/kube-proxy.yaml        iptables mode, NodePorts on 127.0.0.0/8 only
# Usage: node-config.sh <node dir> <pause image>
set -euo pipefail

N="$1" PAUSE="$2"
C="$(dirname "$N")"
PKI="$C/pki"
POD_CIDR="${BERTH_NODE_POD_CIDR:-10.245.0.0/24}"
GW="${POD_CIDR%.*}.1"
SERVICE_CIDR="${BERTH_SERVICE_CIDR:-10.96.0.0/16}"

write() { # <file>: content from stdin, replaced only when it changed (keeps mtimes)
  local tmp; tmp="$(mktemp "$1.XXXXXX")"; cat >"$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1"; fi
}

write "$N/containerd.toml" <<EOF
version = 2
root = "$N/containerd/root"
state = "$N/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$N/containerd/containerd.sock"
[ttrpc]
  address = "$N/containerd/containerd.sock.ttrpc"
[debug]
  level = "warn"
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$N/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  # built here and imported by node.sh: never pulled
  sandbox_image = "$PAUSE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "12655"
  disable_tcp_service = true
  # pods' network namespaces under our state dir, not /run/netns
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  tolerate_missing_hugetlb_controller = true
  disable_hugetlb_controller = true
  max_concurrent_downloads = 1
  # this machine refuses a negative oom_score_adj even to root (runc: "failed to update
  # /proc/self/oom_score_adj: Permission denied" for the sandbox's -998): clamp to ours
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$N/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "$N/containerd/runc"
        SystemdCgroup = false
EOF

# No default route in pods: the pod subnet is on-link and Services go through the
# bridge's address; nothing else is routable from a pod.
write "$N/cni/net.d/10-berth.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "berth",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "berth0",
      "isGateway": true,
      "isDefaultGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$N/cni/ipam",
        "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$GW" }]],
        "routes": [{ "dst": "$SERVICE_CIDR" }]
      }
    }
  ]
}
EOF

write "$N/resolv.conf" <<EOF
# Pods of the local node get no resolver (no CoreDNS here; the host's would be off the machine).
EOF

write "$N/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: 12650
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 12648
# The API server has no kubelet client certificate (--kubelet-client-certificate is not
# set), so its logs/exec requests arrive anonymous; the port is on loopback only.
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$N/containerd/containerd.sock
imageServiceEndpoint: unix://$N/containerd/containerd.sock
# This machine mounts the cgroup v1 hierarchies and has no systemd.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
cgroupsPerQOS: true
enforceNodeAllocatable: [pods]
podLogsDir: "$N/pod-logs"
resolvConf: "$N/resolv.conf"
clusterDomain: cluster.local
registerNode: true
registerWithTaints:
  - {key: berth.io/node, value: real, effect: NoSchedule}
maxPods: 110
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
kubeAPIQPS: 50
kubeAPIBurst: 100
shutdownGracePeriod: 0s
containerLogMaxSize: 10Mi
containerLogMaxFiles: 2
EOF

write "$N/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: "$N/kube-proxy.kubeconfig"
hostnameOverride: localhost
mode: iptables
clusterCIDR: "$POD_CIDR"
detectLocalMode: ClusterCIDR
healthzBindAddress: 127.0.0.1:12656
metricsBindAddress: 127.0.0.1:12649
nodePortAddresses: [127.0.0.0/8]
# leave the host's conntrack sysctls alone
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {syncPeriod: 30s, minSyncPeriod: 1s}
EOF
