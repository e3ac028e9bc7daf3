#!/usr/bin/env bash
# PostgreSQL for the panel DB (berth, berth_test) and customer databases.
# Reuses a server already answering on 127.0.0.1:$BERTH_PG_PORT (default 5432, user
# postgres, trust auth); otherwise runs a private one with its data in .stack/postgres/.
set -euo pipefail
STACK_SVC=postgres
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${BERTH_PG_PORT:-5432}
DIR=$(svc_dir postgres)
PG_USER=postgres

psql_admin() { # psql as the superuser over TCP; extra args follow
  PGCONNECT_TIMEOUT=3 psql -X -q -v ON_ERROR_STOP=1 -h "$STACK_HOST" -p "$PORT" -U "$PG_USER" "$@"
}

pg_bindir() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n $b && -x $b/postgres ]] && printf '%s\n' "$b"
}

start_private() {
  local bindir base datadir owner=""
  bindir=$(pg_bindir) || { ensure_packages postgresql; bindir=$(pg_bindir) || die "no PostgreSQL server binaries"; }
  if ((EUID == 0)); then
    owner=postgres # the server refuses to run as root
    id "$owner" >/dev/null 2>&1 || die "user $owner missing (package postgresql-common creates it)"
  fi
  base=$(private_base postgres "$owner")
  datadir="$base/data"
  mkdir -p "$datadir"; chmod 700 "$datadir"
  [[ -n $owner ]] && chown "$owner:" "$datadir"
  if [[ ! -f $datadir/PG_VERSION ]]; then
    log "initdb $datadir"
    local -a as=()
    [[ -n $owner ]] && as=(setpriv --reuid="$owner" --regid="$owner" --init-groups --)
    "${as[@]}" "$bindir/initdb" -D "$datadir" -U "$PG_USER" --auth=trust -E UTF8 --locale=C \
      >>"$DIR/postgres.log" 2>&1 || die "initdb failed (see $DIR/postgres.log)"
  fi
  log "starting private PostgreSQL on $STACK_HOST:$PORT"
  start_detached postgres ${owner:+--user "$owner"} -- "$bindir/postgres" -D "$datadir" \
    -p "$PORT" -c listen_addresses="$STACK_HOST" -c unix_socket_directories= \
    -c synchronous_commit=off -c max_connections=200
  printf 'private\n' >"$DIR/mode"
}

up() {
  command -v psql >/dev/null || ensure_packages postgresql-client
  if svc_running postgres; then
    :
  elif port_open "$STACK_HOST" "$PORT"; then
    printf 'external\n' >"$DIR/mode"
    log "reusing the PostgreSQL already listening on $STACK_HOST:$PORT (external: never stopped by the stack)"
  else
    start_private
  fi
  wait_until postgres 60 "PostgreSQL accepting queries" psql_admin -d postgres -c 'SELECT 1' \
    || die "PostgreSQL on $STACK_HOST:$PORT does not answer as user $PG_USER (trust auth expected)"
  local db
  for db in berth berth_test; do
    if [[ -z $(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
      log "creating database $db"
      psql_admin -d postgres -c "CREATE DATABASE $db"
    fi
  done
  local base="postgresql://$PG_USER@$STACK_HOST:$PORT"
  env_write postgres \
    "DATABASE_URL=$base/berth" \
    "TEST_DATABASE_URL=$base/berth_test" \
    "CUSTOMER_PG_URL=$base/postgres"
}

down() {
  if [[ $(cat "$DIR/mode" 2>/dev/null) == external ]] && ! svc_running postgres; then
    log "external PostgreSQL on $STACK_HOST:$PORT left running"
    return 0
  fi
  stop_svc postgres INT 60 # fast shutdown
}

status() {
  local mode; mode=$(cat "$DIR/mode" 2>/dev/null || echo "-")
  if psql_admin -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    status_row postgres up "$STACK_HOST:$PORT" "$mode"
  else
    status_row postgres down "$STACK_HOST:$PORT" "$mode"; return 1
  fi
}

dispatch "$@"
