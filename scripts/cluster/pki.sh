#!/usr/bin/env bash
# Generates the local control plane's PKI with openssl (idempotent: keeps what exists).
# Usage: pki.sh <pki dir>
#   ca.{crt,key}                cluster CA (API server client CA, controller-manager signer)
#   apiserver.{crt,key}         serving cert: 127.0.0.1, localhost, kubernetes.default.svc…
#   sa.{key,pub}                service-account token signing key pair
#   <user>.{crt,key}            client certs, see CLIENTS below
set -euo pipefail
DIR="$1"
SERVICE_IP="${2:-10.96.0.1}"
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"

if ! command -v openssl >/dev/null 2>&1; then
  echo "[cluster/pki] installing openssl" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssl >&2 || {
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssl >&2; }
fi

DAYS=3650
umask 077

if [ ! -s ca.key ] || [ ! -s ca.crt ]; then
  openssl genrsa -out ca.key 2048 2>/dev/null
  openssl req -x509 -new -key ca.key -sha256 -days "$DAYS" -subj "/CN=berth-local-cluster-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out ca.crt 2>/dev/null
fi

sign() { # <name> <subject> <extfile contents>
  local name="$1" subj="$2" ext="$3"
  [ -s "$name.key" ] && [ -s "$name.crt" ] && openssl verify -CAfile ca.crt "$name.crt" >/dev/null 2>&1 && return 0
  openssl genrsa -out "$name.key" 2048 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$DAYS" -sha256 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:${SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"

client() { # <file name> <subject>
  sign "$1" "$2" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
}
# Users: admin is cluster-admin through system:masters; the control plane components
# use their standard identities (bound by the API server's bootstrap RBAC); kwok plays
# every kubelet (system:masters, as kwokctl does); the provisioner gets its own ClusterRole.
client admin "/O=system:masters/CN=berth-admin"
client kube-controller-manager "/CN=system:kube-controller-manager"
client kube-scheduler "/CN=system:kube-scheduler"
client kwok "/O=system:masters/CN=kwok-controller"
client provisioner "/CN=berth-hostpath-provisioner"

if [ ! -s sa.key ] || [ ! -s sa.pub ]; then
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
fi

# Front proxy (request-header authentication for aggregated API servers), as kubeadm does.
if [ ! -s front-proxy-ca.key ] || [ ! -s front-proxy-ca.crt ]; then
  openssl genrsa -out front-proxy-ca.key 2048 2>/dev/null
  openssl req -x509 -new -key front-proxy-ca.key -sha256 -days "$DAYS" -subj "/CN=berth-local-front-proxy-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out front-proxy-ca.crt 2>/dev/null
fi
if [ ! -s front-proxy-client.crt ] || ! openssl verify -CAfile front-proxy-ca.crt front-proxy-client.crt >/dev/null 2>&1; then
  openssl genrsa -out front-proxy-client.key 2048 2>/dev/null
  openssl req -new -key front-proxy-client.key -subj "/CN=front-proxy-client" -out front-proxy-client.csr 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >front-proxy-client.ext
  openssl x509 -req -in front-proxy-client.csr -CA front-proxy-ca.crt -CAkey front-proxy-ca.key -CAcreateserial \
    -days "$DAYS" -sha256 -extfile front-proxy-client.ext -out front-proxy-client.crt 2>/dev/null
  rm -f front-proxy-client.csr front-proxy-client.ext
fi
