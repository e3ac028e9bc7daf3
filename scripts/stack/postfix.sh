#!/usr/bin/env bash
# Postfix MySQL lookup maps over the mail DB, rendered from k8s/mail/postfix/*.cf with the
# read-only user's credentials into .stack/postfix/, so tests can run
#   postmap -q example.com mysql:$POSTFIX_MAP_DIR/mysql-virtual-mailbox-domains.cf
# No Postfix daemon runs: only the postmap tool and the mysql map plugin are needed.
set -euo pipefail
STACK_SVC=postfix
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(svc_dir postfix)
TEMPLATES="$REPO_ROOT/k8s/mail/postfix"
MAPS=(mysql-virtual-mailbox-domains.cf mysql-virtual-mailbox-maps.cf mysql-virtual-alias-maps.cf)

postmap_q() { # key map -> postmap's answer; exit 0 found, 1 not found, else broken
  local out err rc=0
  err=$(mktemp)
  out=$(postmap -q "$1" "mysql:$DIR/$2" 2>"$err") || rc=$?
  if [[ -s $err ]]; then cat "$err" >&2; rm -f "$err"; return 2; fi
  rm -f "$err"
  [[ -n $out ]] && printf '%s\n' "$out"
  return "$rc"
}

maps_ok() { # each map answers (a miss, without error, proves the connection works)
  local m rc
  for m in "${MAPS[@]}"; do
    rc=0; postmap_q "stack-health-check@invalid" "$m" >/dev/null || rc=$?
    ((rc <= 1)) || return 1
  done
}

up() {
  command -v postmap >/dev/null || ensure_packages postfix
  ensure_packages postfix-mysql
  # Installed with "No configuration", Postfix has no main.cf, and every postfix tool
  # (postmap too) refuses to run without one. A minimal one starts no daemon.
  if [[ ! -e /etc/postfix/main.cf ]]; then
    log "writing a minimal /etc/postfix/main.cf (postmap needs one; no daemon is started)"
    printf '%s\n' "# Written by Berth's scripts/stack/postfix.sh so that postmap runs; no daemon uses it." \
      "compatibility_level = 3.6" | as_root tee /etc/postfix/main.cf >/dev/null
  fi
  local maildb_env="$STACK_DIR/mariadb/env" m
  [[ -f $maildb_env ]] || die "mail DB not set up: run scripts/stack/mariadb.sh up first"
  for m in "${MAPS[@]}"; do
    render "$TEMPLATES/$m" "$DIR/$m" \
      "MAIL_DB_HOSTS=inet:$(env_get "$maildb_env" MAIL_DB_HOST):$(env_get "$maildb_env" MAIL_DB_PORT)" \
      "MAIL_DB_NAME=$(env_get "$maildb_env" MAIL_DB_NAME)" \
      "MAIL_RO_USER=mail_ro" \
      "MAIL_RO_PASSWORD=$(secret mail_db_mail_ro)" || true
  done
  maps_ok || die "postmap cannot query the mail DB through $DIR"
  env_write postfix "POSTFIX_MAP_DIR=$DIR"
}

down() { :; } # nothing runs

status() {
  if maps_ok 2>/dev/null; then
    status_row postfix-maps up "$DIR" "postmap, no daemon"
  else
    status_row postfix-maps down "$DIR" "postmap, no daemon"; return 1
  fi
}

dispatch "$@"
