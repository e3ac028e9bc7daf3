#!/usr/bin/env bash
# End-to-end check of the local control plane (run after `cluster.sh up`):
# a tenant-like namespace under Pod Security "restricted" with ResourceQuota and
# LimitRange, a longhorn PVC, an unprivileged nginx Deployment that must become
# Available, refusals by PodSecurity and by the quota, and namespace deletion that
# finishes and releases the volume. Prints timings. Exit 0 only if all checks pass.
# Env: STACK_DIR as for cluster.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STACK_DIR="${STACK_DIR:-$REPO/.stack}"
KUBECTL="$STACK_DIR/cluster/bin/kubectl"
[ -x "$KUBECTL" ] || { echo "verify: $KUBECTL missing: run cluster.sh up first" >&2; exit 1; }
k() { "$KUBECTL" --kubeconfig "$STACK_DIR/kubeconfig" "$@"; }
NS="berth-verify-$(date +%s)-$$"
now_ms() { date +%s%3N; }
secs() { local d=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((d / 1000)) $(((d % 1000) / 100)); }
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; k get all,pvc,events -n "$NS" >&2 || true; exit 1; }
cleanup() { [ -n "${KEEP_NS:-}" ] && return 0; k delete ns "$NS" --wait=false --ignore-not-found >/dev/null 2>&1 || true; }
trap cleanup EXIT

k get --raw /readyz >/dev/null || fail "/readyz"
pass "apiserver $(k version -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | tail -n1) /readyz"

k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $NS
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: $NS}
spec:
  hard:
    requests.cpu: "1"
    requests.memory: 1Gi
    limits.cpu: "2"
    limits.memory: 2Gi
    pods: "4"
    persistentvolumeclaims: "2"
    requests.storage: 5Gi
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: $NS}
spec:
  limits:
  - type: Container
    default: {cpu: 250m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {cpu: "1", memory: 1Gi}
EOF
pass "namespace $NS (PodSecurity restricted) + ResourceQuota + LimitRange"

t0="$(now_ms)"
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: web-data, namespace: $NS}
spec:
  storageClassName: longhorn
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS, labels: {app: web}}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 101
        runAsGroup: 101
        fsGroup: 101
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: nginx
        image: nginxinc/nginx-unprivileged:alpine
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /, port: http}}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        volumeMounts: [{name: data, mountPath: /usr/share/nginx/html}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: web-data}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: $NS}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
EOF
k -n "$NS" wait pvc/web-data --for=jsonpath='{.status.phase}'=Bound --timeout=60s >/dev/null || fail "PVC not Bound"
pvc_secs="$(secs "$t0")"
PV="$(k -n "$NS" get pvc web-data -o jsonpath='{.spec.volumeName}')"
DIR="$(k get pv "$PV" -o jsonpath='{.spec.hostPath.path}')"
[ -d "$DIR" ] || fail "volume directory $DIR missing"
pass "PVC web-data Bound to $PV in $pvc_secs (directory $DIR)"
k -n "$NS" wait deploy/web --for=condition=Available --timeout=120s >/dev/null || fail "Deployment not Available"
dep_secs="$(secs "$t0")"
ready="$(k -n "$NS" get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.name}:{.status.phase}:{.status.conditions[?(@.type=="Ready")].status} {end}')"
case "$ready" in *:Running:True*) ;; *) fail "pods not Running+Ready: $ready" ;; esac
pass "Deployment web Available in $dep_secs; pods $ready"
eps=""
for _ in $(seq 1 50); do # the EndpointSlice controller batches its updates: poll briefly
  eps="$(k -n "$NS" get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[*].endpoints[?(@.conditions.ready==true)].addresses[*]}')"
  [ -n "$eps" ] && break; sleep 0.2
done
[ -n "$eps" ] && pass "Service web has endpoints: $eps" || fail "Service web has no endpoints"

out="$(k -n "$NS" run priv --image=busybox --restart=Never \
  --overrides='{"spec":{"containers":[{"name":"priv","image":"busybox","securityContext":{"privileged":true}}]}}' 2>&1 || true)"
case "$out" in *"violates PodSecurity"*) pass "privileged pod refused by PodSecurity" ;; *) fail "privileged pod not refused: $out" ;; esac

out="$(k apply -f - 2>&1 <<EOF || true
apiVersion: v1
kind: Pod
metadata: {name: too-big, namespace: $NS}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 101, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: nginxinc/nginx-unprivileged:alpine
    resources: {requests: {cpu: 950m, memory: 128Mi}, limits: {cpu: "1", memory: 256Mi}}
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
EOF
)"
case "$out" in *"exceeded quota"*) pass "pod over quota refused: $(echo "$out" | grep -o 'exceeded quota.*' | cut -c1-110)" ;; *) fail "pod over quota not refused: $out" ;; esac

t1="$(now_ms)"
k delete ns "$NS" --timeout=120s >/dev/null || fail "namespace deletion did not finish"
pass "namespace deleted in $(secs "$t1")"
for _ in $(seq 1 100); do k get pv "$PV" >/dev/null 2>&1 || break; sleep 0.2; done
k get pv "$PV" >/dev/null 2>&1 && fail "PV $PV not deleted (reclaimPolicy Delete)"
[ -d "$DIR" ] && fail "volume directory $DIR not removed"
pass "PV $PV and its directory removed"
echo "verify: all checks passed (PVC bound ${pvc_secs}, Deployment Available ${dep_secs})"
