#!/usr/bin/env bash
# MariaDB holding the mail-system DB (berth_mail) read by Postfix and Dovecot.
# Reuses a server already answering on 127.0.0.1:$BERTH_MARIADB_PORT (default 3306, root
# without password, or $BERTH_MARIADB_ROOT_PASSWORD); otherwise runs a private one with
# its data in .stack/mariadb/. Then: database berth_mail, users berth_mail (read-write,
# the panel) and mail_ro (SELECT only, Postfix/Dovecot), schema k8s/mail/mysql-schema.sql.
set -euo pipefail
STACK_SVC=mariadb
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${BERTH_MARIADB_PORT:-3306}
DIR=$(svc_dir mariadb)
DB=berth_mail
RW_USER=berth_mail
RO_USER=mail_ro
SCHEMA="$REPO_ROOT/k8s/mail/mysql-schema.sql"

mariadb_admin() { # mariadb client as root over TCP; extra args follow
  MYSQL_PWD=${BERTH_MARIADB_ROOT_PASSWORD:-} mariadb --no-defaults --protocol=TCP \
    -h "$STACK_HOST" -P "$PORT" -u root --connect-timeout=3 "$@"
}

start_private() {
  command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null \
    || ensure_packages mariadb-server
  local base datadir run owner=""
  if ((EUID == 0)); then
    owner=mysql
    id "$owner" >/dev/null 2>&1 || die "user $owner missing (package mariadb-server creates it)"
  fi
  base=$(private_base mariadb "$owner")
  datadir="$base/data"
  run="$base/run"
  if ((${#run} > 70)); then run="/tmp/berth-stack-$(stack_hash)/mariadb"; fi # socket path limit
  mkdir -p "$datadir" "$run"
  [[ -n $owner ]] && chown "$owner:" "$datadir" "$run"
  if [[ ! -d $datadir/mysql ]]; then
    log "mariadb-install-db $datadir"
    mariadb-install-db --no-defaults --datadir="$datadir" ${owner:+--user="$owner"} \
      --auth-root-authentication-method=normal --skip-test-db \
      >>"$DIR/mariadb.log" 2>&1 || die "mariadb-install-db failed (see $DIR/mariadb.log)"
  fi
  log "starting private MariaDB on $STACK_HOST:$PORT"
  # mariadbd drops to --user itself and keeps its pid.
  start_detached mariadb -- mariadbd --no-defaults --datadir="$datadir" \
    ${owner:+--user="$owner"} --port="$PORT" --bind-address="$STACK_HOST" \
    --socket="$run/mysqld.sock" --pid-file="$run/mariadbd.pid" \
    --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
  printf 'private\n' >"$DIR/mode"
}

up() {
  command -v mariadb >/dev/null || ensure_packages mariadb-client
  if svc_running mariadb; then
    :
  elif port_open "$STACK_HOST" "$PORT"; then
    printf 'external\n' >"$DIR/mode"
    log "reusing the MariaDB already listening on $STACK_HOST:$PORT (external: never stopped by the stack)"
  else
    start_private
  fi
  wait_until mariadb 60 "MariaDB accepting queries" mariadb_admin --execute='SELECT 1' \
    || die "MariaDB on $STACK_HOST:$PORT does not answer as root (set BERTH_MARIADB_ROOT_PASSWORD?)"

  local rw_pw ro_pw host sql
  rw_pw=$(secret mail_db_berth_mail)
  ro_pw=$(secret mail_db_mail_ro)
  # Fixed statement text; the only variable parts are our own identifiers and the
  # generated hex passwords (secret() checks they are hex).
  sql="CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  for host in 127.0.0.1 localhost; do
    sql+="
CREATE USER IF NOT EXISTS '$RW_USER'@'$host' IDENTIFIED BY '$rw_pw';
ALTER USER '$RW_USER'@'$host' IDENTIFIED BY '$rw_pw';
GRANT SELECT, INSERT, UPDATE, DELETE ON $DB.* TO '$RW_USER'@'$host';
CREATE USER IF NOT EXISTS '$RO_USER'@'$host' IDENTIFIED BY '$ro_pw';
ALTER USER '$RO_USER'@'$host' IDENTIFIED BY '$ro_pw';
GRANT SELECT ON $DB.* TO '$RO_USER'@'$host';"
  done
  mariadb_admin --execute="$sql" || die "creating $DB and its users failed"
  mariadb_admin --database="$DB" <"$SCHEMA" || die "applying $SCHEMA failed"

  env_write mariadb \
    "MAIL_DB_URL=mysql://$RW_USER:$rw_pw@$STACK_HOST:$PORT/$DB" \
    "MAIL_RO_DB_URL=mysql://$RO_USER:$ro_pw@$STACK_HOST:$PORT/$DB" \
    "MAIL_DB_HOST=$STACK_HOST" "MAIL_DB_PORT=$PORT" "MAIL_DB_NAME=$DB"
}

down() {
  if [[ $(cat "$DIR/mode" 2>/dev/null) == external ]] && ! svc_running mariadb; then
    log "external MariaDB on $STACK_HOST:$PORT left running"
    return 0
  fi
  stop_svc mariadb TERM 60
}

status() {
  local mode; mode=$(cat "$DIR/mode" 2>/dev/null || echo "-")
  if MYSQL_PWD=$(cat "$STACK_DIR/secrets/mail_db_mail_ro" 2>/dev/null) mariadb --no-defaults --protocol=TCP -h "$STACK_HOST" \
    -P "$PORT" -u "$RO_USER" --connect-timeout=3 --database="$DB" \
    --execute='SELECT COUNT(*) FROM virtual_domains' >/dev/null 2>&1; then
    status_row mariadb up "$STACK_HOST:$PORT/$DB" "$mode"
  else
    status_row mariadb down "$STACK_HOST:$PORT/$DB" "$mode"; return 1
  fi
}

dispatch "$@"
