#!/usr/bin/env bash
# Dovecot 2.3 as a plain process with its own base_dir and state_dir, over the mail DB
# (read-only user), rendered from k8s/mail/dovecot/ (the same files the platform's
# mail-system uses):
#   IMAP        127.0.0.1:$BERTH_IMAP_PORT (12143), plaintext on loopback
#   LMTP        unix socket $DOVECOT_LMTP_SOCKET, Postfix's virtual_transport
#   SASL        unix socket $DOVECOT_AUTH_SOCKET, Postfix's submission service
#   quota       quota-status policy on 127.0.0.1:$BERTH_DOVECOT_QUOTA_PORT (12532)
#   Sieve       scripts from the mail DB (sieve_scripts) through an SQL dict
#   doveadm     HTTP API on 127.0.0.1:$BERTH_DOVEADM_HTTP_PORT (12580), key DOVEADM_API_KEY
# Maildirs live under $STACK_DIR/dovecot/vmail (uid 5000). Still usable for
#   doveadm -c "$DOVECOT_CONF" auth test user@example.com PASSWORD   # 0 yes, 77 no
# Knobs: BERTH_IMAP_PORT, BERTH_DOVECOT_QUOTA_PORT, BERTH_DOVEADM_HTTP_PORT, BERTH_POSTFIX_REINJECT_PORT,
# BERTH_SIEVE_VACATION_MIN_PERIOD (default 0: tests never wait).
set -euo pipefail
STACK_SVC=dovecot
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(svc_dir dovecot)
CONF="$DIR/dovecot.conf"
TEMPLATES="$REPO_ROOT/k8s/mail/dovecot"
VMAIL_UID=5000 # numeric on purpose: a user name would have to exist on the host
VMAIL_DIR="$DIR/vmail"
IMAP_PORT=${BERTH_IMAP_PORT:-12143}
QUOTA_PORT=${BERTH_DOVECOT_QUOTA_PORT:-12532}
REINJECT_PORT=${BERTH_POSTFIX_REINJECT_PORT:-12526}
DOVEADM_PORT=${BERTH_DOVEADM_HTTP_PORT:-12580}

write_config() { # returns 0 if something changed
  local maildb_env="$STACK_DIR/mariadb/env" run rc=1 # rc 0 = something changed
  [[ -f $maildb_env ]] || die "mail DB not set up: run scripts/stack/mariadb.sh up first"
  run=$(sock_dir dovecot)
  mkdir -p "$DIR/state" "$VMAIL_DIR"
  local internal=dovecot login=dovenull
  if ((EUID != 0)); then internal=$(id -un); login=$internal; fi
  if ((EUID == 0)); then chown "$VMAIL_UID:$VMAIL_UID" "$VMAIL_DIR"; fi
  chmod 750 "$VMAIL_DIR"

  local -a db=(
    "MAIL_DB_HOST=$(env_get "$maildb_env" MAIL_DB_HOST)"
    "MAIL_DB_PORT=$(env_get "$maildb_env" MAIL_DB_PORT)"
    "MAIL_DB_NAME=$(env_get "$maildb_env" MAIL_DB_NAME)"
    "MAIL_RO_USER=mail_ro"
    "MAIL_RO_PASSWORD=$(secret mail_db_mail_ro)"
  )
  render "$TEMPLATES/dovecot-sql.conf.ext" "$DIR/dovecot-sql.conf.ext" "${db[@]}" "VMAIL_DIR=$VMAIL_DIR" && rc=0
  render "$TEMPLATES/dovecot-dict-sieve.conf.ext" "$DIR/dovecot-dict-sieve.conf.ext" "${db[@]}" && rc=0
  render "$TEMPLATES/dovecot.conf" "$CONF" \
    "LISTEN=$STACK_HOST" "BASE_DIR=$run" "STATE_DIR=$DIR/state" "INSTANCE_NAME=berth-stack" \
    "SSL=no" "DISABLE_PLAINTEXT_AUTH=no" "INTERNAL_USER=$internal" "LOGIN_USER=$login" \
    "VMAIL_UID=$VMAIL_UID" "CONF_DIR=$DIR" "IMAP_PORT=$IMAP_PORT" "QUOTA_STATUS_PORT=$QUOTA_PORT" \
    "AUTH_FAILURE_DELAY=0" "LOGIN_TRUSTED_NETWORKS=127.0.0.0/8" "POSTMASTER=postmaster@berth.invalid" \
    "VACATION_MIN_PERIOD=${BERTH_SIEVE_VACATION_MIN_PERIOD:-0}" \
    "SUBMISSION_HOST=$STACK_HOST:$REINJECT_PORT" \
    "DOVEADM_API_KEY=$(secret doveadm_api_key)" "DOVEADM_HTTP_PORT=$DOVEADM_PORT" && rc=0
  # The doveadm API key is in it: readable by root and Dovecot's own processes only.
  chmod 640 "$CONF"
  if ((EUID == 0)); then chgrp "$internal" "$CONF"; fi
  # The dict process (Sieve scripts) runs as the internal user and reads its file itself.
  if ((EUID == 0)); then chgrp "$internal" "$DIR/dovecot-dict-sieve.conf.ext"; chmod 640 "$DIR/dovecot-dict-sieve.conf.ext"; fi
  return "$rc"
}

ready() { [[ -S $(sock_dir dovecot)/auth-client && -S $(sock_dir dovecot)/lmtp ]] && port_open "$STACK_HOST" "$IMAP_PORT"; }

up() {
  command -v dovecot >/dev/null || ensure_packages dovecot-core
  ensure_packages dovecot-mysql dovecot-imapd dovecot-lmtpd dovecot-sieve
  local changed=0
  write_config && changed=1
  if svc_running dovecot && ((changed)); then
    log "configuration changed: restarting"
    stop_svc dovecot TERM 20
  fi
  if ! svc_running dovecot; then
    log "starting Dovecot (IMAP :$IMAP_PORT, LMTP, quota-status :$QUOTA_PORT; $CONF)"
    rm -f "$(sock_dir dovecot)/auth-client" "$(sock_dir dovecot)/lmtp"
    start_detached dovecot -- dovecot -F -c "$CONF"
  fi
  wait_until dovecot 30 "Dovecot sockets and IMAP" ready || die "Dovecot did not start"
  local run; run=$(sock_dir dovecot)
  env_write dovecot "DOVECOT_CONF=$CONF" "DOVECOT_VMAIL_DIR=$VMAIL_DIR" \
    "IMAP_ADDRESS=$STACK_HOST:$IMAP_PORT" "DOVECOT_LMTP_SOCKET=$run/lmtp" \
    "DOVECOT_AUTH_SOCKET=$run/auth-postfix" "DOVECOT_QUOTA_POLICY=inet:$STACK_HOST:$QUOTA_PORT" \
    "DOVEADM_URL=http://$STACK_HOST:$DOVEADM_PORT" "DOVEADM_API_KEY=$(secret doveadm_api_key)"
}

down() { stop_svc dovecot TERM 20; }

status() {
  if svc_running dovecot && ready; then
    status_row dovecot up "$STACK_HOST:$IMAP_PORT" "IMAP, LMTP, auth; conf $CONF"
  else
    status_row dovecot down "-" "conf $CONF"; return 1
  fi
}

dispatch "$@"
