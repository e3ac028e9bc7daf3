#!/usr/bin/env bash
# The local stack of real services for development and tests (see ARCHITECTURE.md,
# "Local stack"):
#
#   scripts/stack.sh up       start what is missing (idempotent), write .stack/env
#   scripts/stack.sh down     stop what the stack started (never a reused system server)
#   scripts/stack.sh status   table of components; exit 1 if one is down
#
# Components (scripts/stack/<name>.sh up|down|status, helpers in scripts/stack/lib.sh):
#   postgres   panel DB berth + berth_test, customer DB admin  (reuses :5432 if it answers)
#   mariadb    mail DB berth_mail, users berth_mail + mail_ro   (reuses :3306 if it answers)
#   powerdns   PowerDNS Authoritative, API :18081, DNS :15353
#   dovecot    Dovecot over the mail DB: IMAP :12143, LMTP, SASL, Sieve, quota
#   postfix    Postfix over the mail DB: SMTP :12525, submission :12587, sink maildir
#   cluster    scripts/cluster/cluster.sh, when present (BERTH_STACK_SKIP_CLUSTER=1 skips)
#   opendkim   OpenDKIM milter :12891 signing submission mail, and the mail agent keeping
#              its tables equal to dkim_selectors + the mail-system Secrets (after the cluster;
#              BERTH_STACK_SKIP_OPENDKIM=1 skips)
#   toxiproxy  fault-injecting proxies in front of the above, when scripts/stack/toxiproxy.sh
#              is present (BERTH_STACK_SKIP_TOXIPROXY=1 skips); it comes last because it
#              points at the others
#
# Environment knobs: STACK_DIR (default <repo>/.stack), BERTH_PG_PORT, BERTH_MARIADB_PORT,
# BERTH_MARIADB_ROOT_PASSWORD, BERTH_PDNS_API_PORT, BERTH_PDNS_DNS_PORT,
# BERTH_STACK_SKIP_CLUSTER, BERTH_STACK_SKIP_TOXIPROXY (and the components' own knobs).
set -euo pipefail
STACK_SVC=stack
. "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
cd "$REPO_ROOT"

COMPONENTS=(postgres mariadb powerdns dovecot postfix) # always, in this order
EXTRAS=(opendkim toxiproxy)                           # after the cluster, when present
CLUSTER_SH="$REPO_ROOT/scripts/cluster/cluster.sh"

cluster_enabled() { # prints why not, returns 1, when the cluster is skipped
  if [[ ${BERTH_STACK_SKIP_CLUSTER:-0} == 1 ]]; then
    echo "skipped (BERTH_STACK_SKIP_CLUSTER=1)"; return 1
  fi
  if [[ ! -f $CLUSTER_SH ]]; then
    echo "skipped (scripts/cluster/cluster.sh not present)"; return 1
  fi
}

component() { bash "$REPO_ROOT/scripts/stack/$1.sh" "$2"; }

extra_enabled() { # NAME: prints why not, returns 1, when that extra component is skipped
  local knob="BERTH_STACK_SKIP_${1^^}"
  if [[ ${!knob:-0} == 1 ]]; then echo "skipped ($knob=1)"; return 1; fi
  if [[ ! -f $REPO_ROOT/scripts/stack/$1.sh ]]; then echo "skipped (scripts/stack/$1.sh not present)"; return 1; fi
}

write_env() {
  local c tmp="$STACK_DIR/env.tmp.$$"
  {
    echo "# Written by scripts/stack.sh up at $(date -Is); sourced by tests and dev tools."
    echo "STACK_DIR=$STACK_DIR"
    for c in "${COMPONENTS[@]}"; do cat "$STACK_DIR/$c/env"; done
    if cluster_enabled >/dev/null && [[ -f $STACK_DIR/cluster/env ]]; then
      grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$STACK_DIR/cluster/env" || true
    fi
    for c in "${EXTRAS[@]}"; do
      if extra_enabled "$c" >/dev/null; then cat "$STACK_DIR/$c/env"; fi
    done
  } >"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$STACK_DIR/env"
}

up() {
  local t0=$SECONDS c why
  for c in "${COMPONENTS[@]}"; do component "$c" up; done
  if why=$(cluster_enabled); then
    log "cluster: scripts/cluster/cluster.sh up"
    STACK_DIR="$STACK_DIR" bash "$CLUSTER_SH" up
    [[ -f $STACK_DIR/cluster/env ]] || die "cluster.sh up wrote no $STACK_DIR/cluster/env"
  else
    log "cluster: $why"
  fi
  for c in "${EXTRAS[@]}"; do
    if why=$(extra_enabled "$c"); then component "$c" up; else log "$c: $why"; fi
  done
  write_env
  log "up in $((SECONDS - t0))s; environment in $STACK_DIR/env"
}

stop_panel() { # the panel server `npm run up` started (scripts/up.sh), if it runs
  local pid
  [[ -f $STACK_DIR/panel.pid ]] || return 0
  pid=$(cat "$STACK_DIR/panel.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "panel: stopped (pid $pid)"
  fi
  rm -f "$STACK_DIR/panel.pid" "$STACK_DIR/panel.build"
}

down() {
  local i rc=0 t0=$SECONDS
  stop_panel
  # Extras and the cluster go first (they may use the others); also when skipped now but
  # started before.
  for ((i = ${#EXTRAS[@]} - 1; i >= 0; i--)); do
    if [[ -f $REPO_ROOT/scripts/stack/${EXTRAS[i]}.sh && -d $STACK_DIR/${EXTRAS[i]} ]]; then
      component "${EXTRAS[i]}" down || rc=1
    fi
  done
  if [[ -f $CLUSTER_SH && -d $STACK_DIR/cluster ]]; then
    STACK_DIR="$STACK_DIR" bash "$CLUSTER_SH" down || rc=1
  fi
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    component "${COMPONENTS[i]}" down || rc=1
  done
  log "down in $((SECONDS - t0))s"
  return "$rc"
}

status() {
  local c rc=0 why out rows=""
  for c in "${COMPONENTS[@]}"; do
    out=$(component "$c" status 2>/dev/null) || rc=1
    rows+="$out"$'\n'
  done
  if why=$(cluster_enabled); then
    if STACK_DIR="$STACK_DIR" bash "$CLUSTER_SH" status >"$STACK_DIR/cluster-status.txt" 2>&1; then
      rows+=$(status_row cluster up "KUBECONFIG=$(env_get "$STACK_DIR/cluster/env" KUBECONFIG)" "scripts/cluster/cluster.sh")$'\n'
    else
      rows+=$(status_row cluster down "-" "scripts/cluster/cluster.sh status failed")$'\n'; rc=1
    fi
  else
    rows+=$(status_row cluster skipped "-" "${why#skipped }")$'\n'
  fi
  for c in "${EXTRAS[@]}"; do
    if why=$(extra_enabled "$c"); then
      out=$(component "$c" status 2>/dev/null) || rc=1
      rows+="$out"$'\n'
    else
      rows+=$(status_row "$c" skipped "-" "${why#skipped }")$'\n'
    fi
  done
  local name state addr note
  printf '%-13s %-8s %-44s %s\n' SERVICE STATE ADDRESS NOTE
  while IFS=$'\t' read -r name state addr note; do
    [[ -n $name ]] && printf '%-13s %-8s %-44s %s\n' "$name" "$state" "$addr" "$note"
  done <<<"$rows"
  if [[ -s $STACK_DIR/cluster-status.txt ]] && cluster_enabled >/dev/null; then
    sed 's/^/  cluster: /' "$STACK_DIR/cluster-status.txt"
  fi
  return "$rc"
}

case "${1:-}" in
  up | down | status)
    if [[ $1 == up ]]; then
      exec 9>"$STACK_DIR/.lock"
      flock -w 600 9 || die "another scripts/stack.sh up holds $STACK_DIR/.lock"
    fi
    "$1"
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
