#!/usr/bin/env bash
# Toxiproxy (github.com/Shopify/toxiproxy/v2, pinned in scripts/toxiproxy/go.mod): a
# fault-injecting TCP proxy in front of shared services, so tests can cut or slow them
# mid-run without stopping them. Built once from the Go module proxy into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/berth/toxiproxy/<version>/toxiproxy-server
# then run as a plain process with its HTTP API on 127.0.0.1:$BERTH_TOXIPROXY_PORT (18474).
# Proxies (created idempotently with POST /populate; an existing proxy with the same
# listen/upstream is kept as it is, toxics and all):
#   pdns-api        127.0.0.1:$BERTH_TOXI_PDNS_PORT (28081)    -> PowerDNS API (PDNS_API_URL)
#   mariadb         127.0.0.1:$BERTH_TOXI_MARIADB_PORT (23306) -> MariaDB (MAIL_DB_HOST:PORT)
#   kube-apiserver  127.0.0.1:$BERTH_TOXI_KUBE_PORT (26443)    -> kube-apiserver (kubeconfig
#                   server, else 127.0.0.1:$BERTH_APISERVER_PORT, 16443; may be down: fine)
# Env: TOXIPROXY_URL TOXI_PDNS_API_URL TOXI_MARIADB_ADDRESS TOXI_KUBE_SERVER.
# Knobs: BERTH_TOXIPROXY_BUILD_JOBS (go build -p, default nproc), BERTH_TOXIPROXY_LOG_LEVEL
# (info; debug logs every API request). A second `up` keeps the running server and its
# proxies' state (a proxy left disabled stays so: tests call POST /reset themselves).
set -euo pipefail
STACK_SVC=toxiproxy
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${BERTH_TOXIPROXY_PORT:-18474}
PDNS_PORT=${BERTH_TOXI_PDNS_PORT:-28081}
MARIADB_PORT=${BERTH_TOXI_MARIADB_PORT:-23306}
KUBE_PORT=${BERTH_TOXI_KUBE_PORT:-26443}
DIR=$(svc_dir toxiproxy)
MOD_DIR="$REPO_ROOT/scripts/toxiproxy"
MODULE=github.com/Shopify/toxiproxy/v2
API="http://$STACK_HOST:$PORT"

VERSION=$(sed -n "s#^[[:space:]]*\(require[[:space:]]\+\)\?$MODULE[[:space:]]\+\(v[^[:space:]]*\).*#\2#p" "$MOD_DIR/go.mod" | head -n1)
[[ -n $VERSION ]] || die "cannot read the pinned $MODULE version from $MOD_DIR/go.mod"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/berth/toxiproxy/$VERSION"
BIN="$CACHE_DIR/toxiproxy-server"

# ---------------------------------------------------------------- build

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  local g
  for g in /usr/local/go/bin/go /usr/lib/go/bin/go "$HOME/go/bin/go"; do
    [[ -x $g ]] && { printf '%s\n' "$g"; return; }
  done
  return 1
}

bin_ok() { [[ -x $BIN ]] && [[ $("$BIN" -version 2>/dev/null) == *" $VERSION" ]]; }

build() {
  bin_ok && return 0
  local go; go=$(find_go) || die "no Go toolchain (need the one scripts/toxiproxy/go.mod asks for; /usr/local/go)"
  mkdir -p "$CACHE_DIR"
  (
    exec 8>"$CACHE_DIR/.build.lock"
    flock 8 # a concurrent up waits here, then finds the binary built
    bin_ok && exit 0
    local t0 tmp secs jobs=${BERTH_TOXIPROXY_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
    t0=$(date +%s.%N); tmp=$(mktemp "$CACHE_DIR/.toxiproxy-server.XXXXXX")
    log "building $MODULE@$VERSION cmd/server with $("$go" env GOVERSION) (first run only; log: $CACHE_DIR/build.log)"
    printf '\n=== %s go build %s@%s\n' "$(date -Is)" "$MODULE" "$VERSION" >>"$CACHE_DIR/build.log"
    (cd "$MOD_DIR" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly" "$go" build -p "$jobs" -trimpath \
      -ldflags "-s -w -X $MODULE.Version=$VERSION" -o "$tmp" "$MODULE/cmd/server") >>"$CACHE_DIR/build.log" 2>&1 \
      || { rm -f "$tmp"; tail -n 20 "$CACHE_DIR/build.log" >&2; die "go build failed (see $CACHE_DIR/build.log)"; }
    mv -f "$tmp" "$BIN"
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    printf 'version=%s\ngo=%s\nbuilt=%s\nbuild_seconds=%s\n' "$VERSION" "$("$go" env GOVERSION)" "$(date -Is)" "$secs" \
      | write_file_atomic "$CACHE_DIR/build-info" 644
    echo "built in ${secs}s" >>"$CACHE_DIR/build.log"
    log "built $BIN in ${secs}s"
  )
  bin_ok || die "build finished but $BIN does not report $VERSION"
}

# ---------------------------------------------------------------- upstreams

hostport_of_url() { # URL DEFAULT_PORT -> host:port
  local u=${1#*://}; u=${u%%/*}
  [[ $u == *:* ]] || u+=":$2"
  printf '%s\n' "$u"
}

pdns_upstream() {
  local url; url=$(env_get "$STACK_DIR/powerdns/env" PDNS_API_URL)
  [[ -n $url ]] || url="http://$STACK_HOST:${BERTH_PDNS_API_PORT:-18081}"
  hostport_of_url "$url" 80
}

mariadb_upstream() {
  local f="$STACK_DIR/mariadb/env" host port
  host=$(env_get "$f" MAIL_DB_HOST); port=$(env_get "$f" MAIL_DB_PORT)
  printf '%s:%s\n' "${host:-$STACK_HOST}" "${port:-${BERTH_MARIADB_PORT:-3306}}"
}

kube_upstream() {
  local kc server=""
  kc=$(env_get "$STACK_DIR/cluster/env" KUBECONFIG); kc=${kc:-$STACK_DIR/kubeconfig}
  [[ -f $kc ]] && server=$(sed -n 's/^[[:space:]]*server:[[:space:]]*//p' "$kc" | head -n1)
  [[ -n $server ]] || server="https://$STACK_HOST:${BERTH_APISERVER_PORT:-16443}"
  hostport_of_url "$server" 443
}

# ---------------------------------------------------------------- API

api_version() { curl -fsS -m 3 "$API/version" | jq -r .version; }
api_ok() { [[ -n $(api_version 2>/dev/null) ]]; }

populate() {
  local body
  body=$(jq -n \
    --arg l1 "$STACK_HOST:$PDNS_PORT" --arg u1 "$(pdns_upstream)" \
    --arg l2 "$STACK_HOST:$MARIADB_PORT" --arg u2 "$(mariadb_upstream)" \
    --arg l3 "$STACK_HOST:$KUBE_PORT" --arg u3 "$(kube_upstream)" \
    '[{name: "pdns-api", listen: $l1, upstream: $u1, enabled: true},
      {name: "mariadb", listen: $l2, upstream: $u2, enabled: true},
      {name: "kube-apiserver", listen: $l3, upstream: $u3, enabled: true}]')
  local code
  code=$(curl -sS -m 10 -o "$DIR/populate.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -X POST --data "$body" "$API/populate") || die "POST $API/populate failed"
  [[ $code == 201 ]] || die "POST /populate answered $code: $(cat "$DIR/populate.json")"
  jq -r '.proxies[] | "  \(.name): \(.listen) -> \(.upstream)\(if .enabled then "" else " (disabled)" end)"' \
    "$DIR/populate.json" >&2
}

# ---------------------------------------------------------------- commands

up() {
  command -v curl >/dev/null || ensure_packages curl
  command -v jq >/dev/null || ensure_packages jq
  build

  if svc_running toxiproxy; then
    local v; v=$(api_version 2>/dev/null || true)
    if [[ -n $v && $v != "$VERSION" ]]; then
      log "running Toxiproxy is $v, pinned is $VERSION: restarting"
      stop_svc toxiproxy TERM 10
    fi
  fi
  if ! svc_running toxiproxy; then
    local p
    for p in "$PORT" "$PDNS_PORT" "$MARIADB_PORT" "$KUBE_PORT"; do
      port_open "$STACK_HOST" "$p" && die "$STACK_HOST:$p is taken by a process the stack did not start"
    done
    log "starting Toxiproxy $VERSION (API $API)"
    start_detached toxiproxy -- env LOG_LEVEL="${BERTH_TOXIPROXY_LOG_LEVEL:-info}" \
      "$BIN" -host "$STACK_HOST" -port "$PORT"
  fi
  wait_until toxiproxy 30 "Toxiproxy API" api_ok || die "Toxiproxy API did not answer on $API"
  log "proxies:"
  populate

  env_write toxiproxy \
    "TOXIPROXY_URL=$API" \
    "TOXI_PDNS_API_URL=http://$STACK_HOST:$PDNS_PORT" \
    "TOXI_MARIADB_ADDRESS=$STACK_HOST:$MARIADB_PORT" \
    "TOXI_KUBE_SERVER=https://$STACK_HOST:$KUBE_PORT"
}

down() { stop_svc toxiproxy TERM 10; }

status() {
  local addr="api $STACK_HOST:$PORT" note
  if svc_running toxiproxy && api_ok; then
    # e.g. "v2.12.0; pdns-api:28081 mariadb:23306 kube-apiserver:26443(disabled)"
    note="$(api_version); $(curl -fsS -m 3 "$API/proxies" | jq -r '[.[] | "\(.name):\(.listen | sub(".*:"; ""))\(if .enabled then "" else "(disabled)" end)\(if (.toxics | length) > 0 then "(toxics: \(.toxics | length))" else "" end)"] | sort | join(" ")')"
    status_row toxiproxy up "$addr" "$note"
  else
    status_row toxiproxy down "$addr" "$VERSION"; return 1
  fi
}

dispatch "$@"
