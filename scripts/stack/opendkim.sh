#!/usr/bin/env bash
# OpenDKIM 2.11, the DKIM signer of Postfix's submission and reinjection services, as a
# milter on 127.0.0.1:$BERTH_DKIM_PORT (12891), rendered from k8s/mail/opendkim/; and the
# mail agent (scripts/stack/mail-agent.ts) that keeps its key and signing tables equal to
# the mail DB's dkim_selectors and the private keys in the mail-system Secrets, and
# removes deleted domains' maildirs after the retention (BERTH_MAIL_RETENTION_SECONDS,
# default 30 days). OpenDKIM resolves through libunbound stubbed to PowerDNS only:
#   opendkim-testkey -x "$OPENDKIM_CONF" -d example.com -s default -vvv
# Runs after the cluster (it reads Secrets); without one the tables stay empty.
set -euo pipefail
STACK_SVC=opendkim
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(svc_dir opendkim)
CONF="$DIR/opendkim.conf"
TABLES="$DIR/tables"
TEMPLATES="$REPO_ROOT/k8s/mail/opendkim"
PORT=${BERTH_DKIM_PORT:-12891}
AGENT="$REPO_ROOT/scripts/stack/mail-agent.ts"

kubeconfig() { env_get "$STACK_DIR/cluster/env" KUBECONFIG; }

agent_env() { # the agent's whole configuration, one KEY=VALUE per line
  local kc; kc=$(kubeconfig)
  printf '%s\n' \
    "MAIL_RO_DB_URL=$(env_get "$STACK_DIR/mariadb/env" MAIL_RO_DB_URL)" \
    "MAIL_NAMESPACE=mail-system" \
    "OPENDKIM_TABLE_DIR=$TABLES" \
    "OPENDKIM_PID_FILE=$DIR/opendkim.pid" \
    "OPENDKIM_USER=opendkim" \
    "DOVECOT_VMAIL_DIR=$(env_get "$STACK_DIR/dovecot/env" DOVECOT_VMAIL_DIR)" \
    "MAIL_RETENTION_SECONDS=${BERTH_MAIL_RETENTION_SECONDS:-2592000}" \
    "MAIL_AGENT_INTERVAL_MS=${BERTH_MAIL_AGENT_INTERVAL_MS:-1000}" \
    ${kc:+"KUBECONFIG=$kc"}
}

agent() { # agent ARGS... with its environment, no shell in between
  local -a envs; mapfile -t envs < <(agent_env)
  env -i PATH="$PATH" HOME="${HOME:-/root}" "${envs[@]}" "$REPO_ROOT/node_modules/.bin/tsx" "$AGENT" "$@"
}

write_config() { # returns 0 if something changed
  local rc=1 pdns
  pdns=$(env_get "$STACK_DIR/powerdns/env" PDNS_DNS_ADDRESS)
  [[ -n $pdns ]] || die "PowerDNS not set up: run scripts/stack/powerdns.sh up first"
  mkdir -p "$TABLES"
  chown opendkim: "$TABLES"; chmod 750 "$TABLES"
  render "$TEMPLATES/unbound-forward.conf" "$DIR/unbound.conf" "PDNS_ADDRESS=${pdns/:/@}" && rc=0
  render "$TEMPLATES/opendkim.conf" "$CONF" "SOCKET=inet:$PORT@$STACK_HOST" "USER=opendkim" \
    "INTERNAL_HOSTS=$STACK_HOST" "TABLE_DIR=$TABLES" "RESOLVER_CONF=$DIR/unbound.conf" && rc=0
  chmod 644 "$CONF" "$DIR/unbound.conf"
  local f
  for f in KeyTable SigningTable; do
    [[ -f $TABLES/$f ]] || { : >"$TABLES/$f"; chown opendkim: "$TABLES/$f"; chmod 640 "$TABLES/$f"; }
  done
  return "$rc"
}

up() {
  ensure_packages opendkim opendkim-tools
  ((EUID == 0)) || die "OpenDKIM and its key files need root (it drops to user opendkim)"
  local changed=0
  write_config && changed=1
  if [[ -n $(kubeconfig) ]]; then
    # Tables before the first start, so signing works from the first message.
    agent sync >>"$DIR/mail-agent.log" 2>&1 || log "first table sync failed (see $DIR/mail-agent.log); the agent retries"
  else
    log "no cluster: DKIM tables stay empty (nothing is signed)"
  fi
  if svc_running opendkim && ((changed)); then
    log "configuration changed: restarting OpenDKIM"
    stop_svc opendkim TERM 10
  fi
  if ! svc_running opendkim; then
    log "starting OpenDKIM (milter inet:$STACK_HOST:$PORT)"
    start_detached opendkim -- opendkim -f -x "$CONF"
  fi
  wait_port opendkim "$STACK_HOST" "$PORT" 20 || die "OpenDKIM did not start"

  # The agent restarts when its code or configuration changed.
  local sum; sum=$( { agent_env; cat "$AGENT" "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)
  if svc_running mail-agent && [[ $(cat "$DIR/mail-agent.sum" 2>/dev/null) != "$sum" ]]; then
    stop_svc mail-agent TERM 10
  fi
  if [[ -n $(kubeconfig) ]] && ! svc_running mail-agent; then
    log "starting the mail agent (DKIM tables, maildir retention)"
    # Its configuration (the mail DB password too) goes through a private file, not argv,
    # which start_detached writes to the log.
    agent_env | write_file_atomic "$DIR/mail-agent.env" 600
    start_detached mail-agent -- env -i PATH="$PATH" HOME="${HOME:-/root}" \
      bash -c 'set -a; . "$0"; set +a; exec "$1" "$2" run' "$DIR/mail-agent.env" "$REPO_ROOT/node_modules/.bin/tsx" "$AGENT"
    echo "$sum" >"$DIR/mail-agent.sum"
  fi
  env_write opendkim "OPENDKIM_CONF=$CONF" "OPENDKIM_TABLE_DIR=$TABLES" \
    "DKIM_MILTER=inet:$STACK_HOST:$PORT" "MAIL_AGENT_STATE=$TABLES/state.json"
}

down() {
  stop_svc mail-agent TERM 10
  stop_svc opendkim TERM 10
}

status() {
  if ! svc_running opendkim || ! port_open "$STACK_HOST" "$PORT"; then
    status_row opendkim down "-" "conf $CONF"; return 1
  fi
  if svc_running mail-agent; then
    status_row opendkim up "$STACK_HOST:$PORT" "milter; mail agent running"
  else
    status_row opendkim up "$STACK_HOST:$PORT" "milter; mail agent not running (no cluster?)"
  fi
}

dispatch "$@"
