#!/usr/bin/env bash
# Postfix 3.7 as the platform's MTA on loopback, rendered from k8s/mail/postfix/ (the same
# files the mail-system ConfigMaps use) into .stack/postfix/, with its own config,
# queue and data directories (the system's /etc/postfix only gets the minimal main.cf
# postmap needs):
#   SMTP        127.0.0.1:$BERTH_SMTP_PORT (12525): mail for the domains in the mail DB
#   submission  127.0.0.1:$BERTH_SUBMISSION_PORT (12587): SASL (Dovecot), DKIM-signed
#   reinject    127.0.0.1:$BERTH_POSTFIX_REINJECT_PORT (12526): Dovecot's vacation replies
# Mailboxes go to Dovecot over LMTP; everything else to the sink maildir
# $MAIL_SINK_DIR (never the internet: no relayhost, no DNS lookups).
# The maps also answer tests' lookups:
#   postmap -q example.com mysql:$POSTFIX_MAP_DIR/mysql-virtual-mailbox-domains.cf
# Needs Dovecot (LMTP, SASL, quota policy) and, for signing, OpenDKIM (BERTH_DKIM_PORT).
set -euo pipefail
STACK_SVC=postfix
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(svc_dir postfix)
CONF_DIR="$DIR/conf"
TEMPLATES="$REPO_ROOT/k8s/mail/postfix"
MAPS=(mysql-virtual-mailbox-domains.cf mysql-virtual-mailbox-maps.cf mysql-virtual-alias-maps.cf
  mysql-virtual-mailbox-self.cf mysql-sender-login-maps.cf mysql-recipient-access.cf)
SMTP_PORT=${BERTH_SMTP_PORT:-12525}
SUBMISSION_PORT=${BERTH_SUBMISSION_PORT:-12587}
REINJECT_PORT=${BERTH_POSTFIX_REINJECT_PORT:-12526}
DKIM_PORT=${BERTH_DKIM_PORT:-12891}
VMAIL_UID=5000 # the mail volume's owner, as in dovecot.sh
SINK_DIR="$DIR/sink"

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

pf() { postfix -c "$CONF_DIR" "$@"; }
# Our start-fg process lives as long as the master (postfix status is slow here: with no
# syslog socket, each postfix command that fails waits a second before it exits).
running() { svc_running postfix; }
listening() { port_open "$STACK_HOST" "$SMTP_PORT" && port_open "$STACK_HOST" "$SUBMISSION_PORT"; }

render_maps() { # returns 0 if something changed
  local maildb_env="$STACK_DIR/mariadb/env" m rc=1
  [[ -f $maildb_env ]] || die "mail DB not set up: run scripts/stack/mariadb.sh up first"
  for m in "${MAPS[@]}"; do
    render "$TEMPLATES/$m" "$DIR/$m" \
      "MAIL_DB_HOSTS=inet:$(env_get "$maildb_env" MAIL_DB_HOST):$(env_get "$maildb_env" MAIL_DB_PORT)" \
      "MAIL_DB_NAME=$(env_get "$maildb_env" MAIL_DB_NAME)" \
      "MAIL_RO_USER=mail_ro" \
      "MAIL_RO_PASSWORD=$(secret mail_db_mail_ro)" && rc=0
    # smtpd and cleanup (user postfix) read them; nobody else.
    if ((EUID == 0)); then chgrp postfix "$DIR/$m"; chmod 640 "$DIR/$m"; fi
  done
  return "$rc"
}

render_config() { # returns 0 if something changed
  local dovecot_env="$STACK_DIR/dovecot/env" rc=1
  [[ -f $dovecot_env ]] || die "Dovecot not set up: run scripts/stack/dovecot.sh up first"
  mkdir -p "$CONF_DIR" "$DIR/spool" "$DIR/data" "$SINK_DIR"
  chown postfix: "$DIR/data"
  chown "$VMAIL_UID:$VMAIL_UID" "$SINK_DIR"
  render "$TEMPLATES/main.cf" "$CONF_DIR/main.cf" \
    "QUEUE_DIR=$DIR/spool" "DATA_DIR=$DIR/data" "MAILLOG_FILE=$DIR/postfix.log" \
    "MYHOSTNAME=mail.berth.test" "INET_INTERFACES=$STACK_HOST" "MAP_DIR=$DIR" \
    "LMTP_TRANSPORT=lmtp:unix:$(env_get "$dovecot_env" DOVECOT_LMTP_SOCKET)" \
    "OUTBOUND_TRANSPORT=sink:" "DNS_SUPPORT_LEVEL=disabled" \
    "QUOTA_POLICY=$(env_get "$dovecot_env" DOVECOT_QUOTA_POLICY)" \
    "SASL_PATH=$(env_get "$dovecot_env" DOVECOT_AUTH_SOCKET)" "SMTPD_TLS_LEVEL=none" && rc=0
  render "$TEMPLATES/master.cf" "$CONF_DIR/master.cf" \
    "SMTP_LISTEN=$STACK_HOST:$SMTP_PORT" "SUBMISSION_LISTEN=$STACK_HOST:$SUBMISSION_PORT" \
    "REINJECT_LISTEN=$STACK_HOST:$REINJECT_PORT" "SUBMISSION_TLS_AUTH_ONLY=no" \
    "DKIM_MILTER=inet:$STACK_HOST:$DKIM_PORT" "SINK_DIR=$SINK_DIR" "VMAIL_UID=$VMAIL_UID" && rc=0
  chmod 644 "$CONF_DIR/main.cf" "$CONF_DIR/master.cf"
  return "$rc"
}

up() {
  command -v postmap >/dev/null || ensure_packages postfix
  ensure_packages postfix-mysql swaks # swaks: the SMTP client the mail tests use
  # Installed with "No configuration", Postfix has no main.cf, and every postfix tool
  # (postmap too) refuses to run without one. A minimal one starts no daemon.
  if [[ ! -e /etc/postfix/main.cf ]]; then
    log "writing a minimal /etc/postfix/main.cf (postmap needs one; no daemon is started)"
    printf '%s\n' "# Written by Berth's scripts/stack/postfix.sh so that postmap runs; no daemon uses it." \
      "compatibility_level = 3.6" | as_root tee /etc/postfix/main.cf >/dev/null
  fi
  local changed=0
  render_maps && changed=1
  render_config && changed=1
  maps_ok || die "postmap cannot query the mail DB through $DIR"
  env_write postfix "POSTFIX_MAP_DIR=$DIR" "POSTFIX_CONF_DIR=$CONF_DIR" \
    "SMTP_ADDRESS=$STACK_HOST:$SMTP_PORT" "SUBMISSION_ADDRESS=$STACK_HOST:$SUBMISSION_PORT" \
    "MAIL_SINK_DIR=$SINK_DIR/mail"
  if ((EUID != 0)); then log "not root: maps only, no Postfix daemon"; return 0; fi
  # A new queue directory gets its subdirectories and owners once (5 s); `start` checks
  # the rest itself.
  if [[ ! -d $DIR/spool/maildrop ]]; then
    pf set-permissions >>"$DIR/postfix.setup.log" 2>&1 || die "postfix set-permissions failed (see $DIR/postfix.setup.log)"
  fi
  if running; then
    if ((changed)); then log "configuration changed: reloading"; pf reload >/dev/null 2>&1; fi
  else
    log "starting Postfix (SMTP :$SMTP_PORT, submission :$SUBMISSION_PORT, reinject :$REINJECT_PORT)"
    start_detached postfix -- postfix -c "$CONF_DIR" start-fg
  fi
  wait_until postfix 30 "Postfix listeners" listening || die "Postfix did not start"
}

down() {
  if [[ -f $CONF_DIR/main.cf ]] && running; then
    log "stopping Postfix"
    pf stop >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
  fi
  stop_svc postfix TERM 10
}

status() {
  if ! maps_ok 2>/dev/null; then
    status_row postfix down "$DIR" "maps cannot query the mail DB"; return 1
  fi
  if ((EUID != 0)); then status_row postfix-maps up "$DIR" "postmap, no daemon (not root)"; return 0; fi
  if running && listening; then
    status_row postfix up "$STACK_HOST:$SMTP_PORT" "submission :$SUBMISSION_PORT, sink $SINK_DIR"
  else
    status_row postfix down "$STACK_HOST:$SMTP_PORT" "conf $CONF_DIR"; return 1
  fi
}

dispatch "$@"
