#!/usr/bin/env bash
# Builds the container images the local node runs, without a registry (none is
# reachable): OCI archives from Debian packages (unpacked with dpkg-deb, no maintainer
# scripts) and from source, cached under ${XDG_CACHE_HOME:-$HOME/.cache}/berth/images.
#
#   pause         berth.local/pause:3.10.2-<h>         k8s.io/kubernetes build/pause/linux/pause.c, static
#   nginx-static  berth.local/nginx-static:1.22.1-<h>  Debian nginx, uid 101, port 8080 (nginx.conf here)
#
# <h> is a hash of every input (this script, oci.sh, nginx.conf, pause.c, the gcc and
# Debian package versions), so a changed input gives a new tag and a rebuild; an
# unchanged one is a no-op. Prints KEY=VALUE lines (also written to images.env):
#   BERTH_IMAGE_PAUSE=<name:tag>  BERTH_IMAGE_PAUSE_TAR=<archive>  (same for NGINX)
#
# Usage: build.sh [--print]   (--print: only say what would be built, build nothing)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/berth/images"
DEBS="$CACHE/debs"
mkdir -p "$CACHE" "$DEBS"
log() { echo "[images] $*" >&2; }

exec 9>"$CACHE/.lock"
flock 9 # a concurrent build waits, then finds the archives built

K8S_MOD_DIR() { (cd "$REPO/scripts/cluster/k8s" && go list -m -f '{{.Dir}}' k8s.io/kubernetes); }
PAUSE_VERSION=3.10.2 # build/pause/Makefile TAG of k8s.io/kubernetes v1.37.2
NGINX_PKGS=(nginx nginx-common libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g)

deb_version() { apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1; }
ensure_tools() {
  local missing=() t
  for t in gcc:gcc dpkg-deb:dpkg apt-get:apt gzip:gzip; do
    command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
  done
  # static pause needs glibc's static archive
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc6-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}
short_hash() { sha256sum | cut -c1-10; }

# ---- pause -------------------------------------------------------------------------
pause_src="$(K8S_MOD_DIR)/build/pause/linux/pause.c"
[ -f "$pause_src" ] || { log "no $pause_src (run scripts/cluster/build.sh first)"; exit 1; }
ensure_tools
pause_hash="$({ cat "$0" "$HERE/oci.sh" "$pause_src"; gcc --version | head -n1; } | short_hash)"
PAUSE_IMAGE="berth.local/pause:$PAUSE_VERSION-$pause_hash"
PAUSE_TAR="$CACHE/pause-$PAUSE_VERSION-$pause_hash.oci.tar"

# ---- nginx-static ------------------------------------------------------------------
versions=()
for p in "${NGINX_PKGS[@]}"; do
  v="$(deb_version "$p")"; [ -n "$v" ] || { log "apt knows no package $p (apt-get update?)"; exit 1; }
  versions+=("$p=$v")
done
nginx_version="$(deb_version nginx)"; nginx_version="${nginx_version%%-*}"
nginx_hash="$({ cat "$0" "$HERE/oci.sh" "$HERE/nginx.conf"; printf '%s\n' "${versions[@]}"; } | short_hash)"
NGINX_IMAGE="berth.local/nginx-static:$nginx_version-$nginx_hash"
NGINX_TAR="$CACHE/nginx-static-$nginx_version-$nginx_hash.oci.tar"

if [ "${1:-}" != "--print" ]; then
  if [ ! -s "$PAUSE_TAR" ]; then
    t0=$(date +%s)
    R="$(mktemp -d "$CACHE/.pause.XXXXXX")"
    gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-berth" -o "$R/pause" "$pause_src"
    strip "$R/pause"
    mkdir -p "$R/rootfs"; mv "$R/pause" "$R/rootfs/pause"
    "$HERE/oci.sh" "$R/rootfs" "$PAUSE_IMAGE" "$PAUSE_TAR" \
      '{"User":"65535:65535","Entrypoint":["/pause"]}' >/dev/null
    rm -rf "$R"
    log "built $PAUSE_IMAGE in $(( $(date +%s) - t0 ))s"
  fi

  if [ ! -s "$NGINX_TAR" ]; then
    t0=$(date +%s)
    R="$(mktemp -d "$CACHE/.nginx.XXXXXX")"
    # apt-get download fetches exactly the candidate versions hashed above (cached .debs)
    ( cd "$DEBS" && for pv in "${versions[@]}"; do
        f="$(ls "${pv%%=*}_$(echo "${pv#*=}" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n1 || true)"
        [ -n "$f" ] || apt-get download -q -o APT::Sandbox::User=root "${pv%%=*}=${pv#*=}" >&2
      done )
    mkdir -p "$R/rootfs"
    for pv in "${versions[@]}"; do
      dpkg-deb -x "$(ls "$DEBS/${pv%%=*}_$(echo "${pv#*=}" | sed 's/:/%3a/')_"*.deb | head -n1)" "$R/rootfs"
    done
    F="$R/rootfs"
    rm -rf "$F/usr/share/doc" "$F/usr/share/man" "$F/usr/share/lintian" "$F/usr/share/locale" \
      "$F/usr/share/i18n" "$F/usr/lib/x86_64-linux-gnu/gconv" "$F/etc/nginx/sites-available" \
      "$F/etc/nginx/sites-enabled" "$F/etc/nginx/modules-enabled" "$F/etc/init.d" "$F/etc/logrotate.d" \
      "$F/etc/ufw" "$F/lib/systemd" "$F/usr/lib/systemd" "$F/usr/share/nginx/html/index.html"
    mkdir -p "$F/tmp" "$F/etc" "$F/usr/share/nginx/html" "$F/var/log/nginx" "$F/var/lib/nginx"
    chmod 1777 "$F/tmp"
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnginx:x:101:101:nginx:/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$F/etc/passwd"
    printf 'root:x:0:\nnginx:x:101:\nnogroup:x:65534:\n' >"$F/etc/group"
    cp "$HERE/nginx.conf" "$F/etc/nginx/nginx.conf"
    chown -R 101:101 "$F/var/log/nginx" "$F/var/lib/nginx"
    "$HERE/oci.sh" "$F" "$NGINX_IMAGE" "$NGINX_TAR" \
      '{"User":"101:101","Entrypoint":["/usr/sbin/nginx","-e","stderr","-c","/etc/nginx/nginx.conf"],"ExposedPorts":{"8080/tcp":{}},"WorkingDir":"/","StopSignal":"SIGQUIT"}' >/dev/null
    rm -rf "$R"
    log "built $NGINX_IMAGE ($(du -h "$NGINX_TAR" | cut -f1)) in $(( $(date +%s) - t0 ))s"
  fi
fi

{
  echo "BERTH_IMAGE_PAUSE=$PAUSE_IMAGE"
  echo "BERTH_IMAGE_PAUSE_TAR=$PAUSE_TAR"
  echo "BERTH_IMAGE_NGINX=$NGINX_IMAGE"
  echo "BERTH_IMAGE_NGINX_TAR=$NGINX_TAR"
} | tee "$CACHE/images.env"
