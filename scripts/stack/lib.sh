# shellcheck shell=bash
# Shared helpers for scripts/stack.sh and scripts/stack/<service>.sh.
# Sourced, never executed. Callers set `STACK_SVC` (used in log lines) before sourcing
# and run with `set -euo pipefail`.
#
# Layout of the state directory (STACK_DIR, default <repo>/.stack, gitignored):
#   $STACK_DIR/<svc>/<svc>.pid   "PID STARTTIME" of a process the stack started
#   $STACK_DIR/<svc>/<svc>.log   its stdout/stderr
#   $STACK_DIR/<svc>/env         KEY=VALUE lines this service contributes to $STACK_DIR/env
#   $STACK_DIR/<svc>/mode        "private" (we run it) or "external" (reused, never stopped)
#   $STACK_DIR/secrets/<name>    generated secrets, created once, mode 600

STACK_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$STACK_LIB_DIR/../.." && pwd)
STACK_DIR=${STACK_DIR:-$REPO_ROOT/.stack}
mkdir -p "$STACK_DIR"
STACK_DIR=$(cd "$STACK_DIR" && pwd)
export STACK_DIR REPO_ROOT

STACK_HOST=127.0.0.1

log() { printf '[%s] %s\n' "${STACK_SVC:-stack}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

svc_dir() { # svc -> $STACK_DIR/svc (created)
  mkdir -p "$STACK_DIR/$1"
  printf '%s\n' "$STACK_DIR/$1"
}

# A directory for unix sockets: sun_path is limited to 107 bytes, so when the repo lives
# deep in the file system, sockets go to a short per-stack directory under /tmp instead.
sock_dir() { # svc
  local d="$STACK_DIR/$1/run"
  if ((${#d} > 70)); then
    d="/tmp/berth-stack-$(stack_hash)/$1"
  fi
  mkdir -p "$d"
  printf '%s\n' "$d"
}

# ---------------------------------------------------------------- privileges, packages

as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root for: $* (no sudo)"; fi
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# ensure_packages PKG... : install the missing ones (apt, non-interactive, no service starts).
ensure_packages() {
  local p missing=()
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  local t0=$SECONDS
  log "installing ${missing[*]} (apt, log: $STACK_DIR/apt.log)"
  if [[ " ${missing[*]} " == *" postfix "* ]]; then
    echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  fi
  # One `apt-get update` per hour is plenty; a fresh CI machine gets one on first install.
  if [[ -z $(find "$STACK_DIR/.apt-updated" -mmin -60 2>/dev/null) ]]; then
    as_root apt-get update -q >>"$STACK_DIR/apt.log" 2>&1 || die "apt-get update failed (see $STACK_DIR/apt.log)"
    touch "$STACK_DIR/.apt-updated"
  fi
  # policy-rc.d 101 keeps the packages' own daemons (pdns on :53, dovecot on :143, a
  # system PostgreSQL/MariaDB…) from being started by their postinst scripts.
  as_root bash -c '
    set -e
    own=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own=1
    fi
    rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" || rc=$?
    if [ "$own" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    exit "$rc"' berth-apt "${missing[@]}" >>"$STACK_DIR/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed (see $STACK_DIR/apt.log)"
  log "installed ${missing[*]} in $((SECONDS - t0))s"
}

# Can USER reach (traverse into) PATH? Private database servers run as their own users.
user_can_reach() { # user path
  ((EUID == 0)) || return 0
  setpriv --reuid="$1" --regid="$1" --init-groups -- test -x "$2" 2>/dev/null
}

# private_base SVC [USER]: a directory for the data, sockets and pid file of a private
# server that runs as USER (when we are root): $STACK_DIR/SVC if USER can reach it, else
# /var/tmp/berth-stack-<hash of STACK_DIR>/SVC (e.g. a clone under /root, mode 700).
private_base() {
  local svc=$1 user=${2:-} d="$STACK_DIR/$1"
  if [[ -n $user ]] && ((EUID == 0)); then
    if ! user_can_reach "$user" "$d"; then
      d="/var/tmp/berth-stack-$(stack_hash)/$svc"
      mkdir -p "$d"; chmod 755 "${d%/*}"
      log "user $user cannot reach $STACK_DIR: $svc keeps its data in $d"
    fi
    chown "$user:" "$d"
  fi
  printf '%s
' "$d"
}

stack_hash() { printf '%s' "$STACK_DIR" | sha256sum | cut -c1-8; }

# ---------------------------------------------------------------- secrets and env files

# secret NAME: print the secret, generating it (48 hex chars) on first use.
secret() {
  local f="$STACK_DIR/secrets/$1"
  if [[ ! -s $f ]]; then
    mkdir -p "$STACK_DIR/secrets"; chmod 700 "$STACK_DIR/secrets"
    (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$f.tmp"; mv "$f.tmp" "$f")
  fi
  local v; v=$(<"$f")
  [[ $v =~ ^[0-9a-f]{16,}$ ]] || die "secret $f is not hex; remove it to regenerate"
  printf '%s\n' "$v"
}

# write_file_atomic PATH < content
write_file_atomic() {
  local tmp; tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"; chmod "${2:-600}" "$tmp"; mv -f "$tmp" "$1"
}

# env_write SVC KEY=VALUE... : replace the service's contribution to $STACK_DIR/env.
env_write() {
  local svc=$1 kv; shift
  for kv in "$@"; do
    [[ $kv =~ ^[A-Z][A-Z0-9_]*=[^[:space:]]*$ ]] || die "bad env line: $kv"
  done
  printf '%s\n' "$@" | write_file_atomic "$(svc_dir "$svc")/env"
}

# env_get FILE KEY: value of KEY in a KEY=VALUE file (empty if absent).
env_get() { [[ -f $1 ]] && sed -n "s/^$2=//p" "$1" | tail -n1 || true; }

# render TEMPLATE DEST KEY=VALUE... : replace @KEY@ placeholders; returns 0 if DEST
# changed, 1 if it already had this content. Values are ours (hex, hosts, paths).
render() {
  local tpl=$1 dest=$2 kv; shift 2
  local -a sed_args=()
  for kv in "$@"; do
    [[ ${kv#*=} != *[\|\\\&]* ]] || die "render: unsupported character in ${kv%%=*}"
    sed_args+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
  done
  local content; content=$(sed "${sed_args[@]}" "$tpl")
  if grep -q '@[A-Z_]*@' <<<"$content"; then die "render: unfilled placeholder in $tpl"; fi
  install_content "$dest" <<<"$content"
}

# install_content DEST [MODE] < content : write DEST if different; 0 = changed, 1 = same.
install_content() {
  local dest=$1 mode=${2:-600} tmp
  tmp=$(mktemp "$dest.XXXXXX"); cat >"$tmp"
  if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then rm -f "$tmp"; return 1; fi
  chmod "$mode" "$tmp"; mv -f "$tmp" "$dest"; return 0
}

# ---------------------------------------------------------------- processes

port_open() { # host port
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

_starttime() { # pid -> kernel start time (field 22 of /proc/PID/stat), guards pid reuse
  local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }            # drop "pid (comm) "; state is then field 1
  set -- $stat; printf '%s\n' "${20}"
}

# svc_pid SVC: print the pid of the process we started for SVC, if it still runs.
svc_pid() {
  local f="$STACK_DIR/$1/$1.pid" pid st now
  [[ -f $f ]] || return 1
  read -r pid st <"$f" || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  now=$(_starttime "$pid") || return 1
  [[ $now == "$st" ]] || return 1
  printf '%s\n' "$pid"
}
svc_running() { svc_pid "$1" >/dev/null; }

# start_detached SVC [--user USER] -- CMD ARGS... : new session, stdin from /dev/null,
# output appended to $STACK_DIR/SVC/SVC.log, "PID STARTTIME" in $STACK_DIR/SVC/SVC.pid.
start_detached() {
  local svc=$1 user="" dir; shift
  if [[ ${1:-} == --user ]]; then user=$2; shift 2; fi
  [[ ${1:-} == -- ]] && shift
  dir=$(svc_dir "$svc")
  local -a prefix=()
  if [[ -n $user && $user != root ]] && ((EUID == 0)); then
    prefix=(setpriv --reuid="$user" --regid="$user" --init-groups --)
  fi
  printf '\n=== %s start: %s\n' "$(date -Is)" "$*" >>"$dir/$svc.log"
  # Not a process-group leader here (no job control), so setsid(1) execs in place and
  # $! is the service's own pid. fd 9 is stack.sh's lock: the daemon must not keep it.
  setsid "${prefix[@]}" "$@" </dev/null >>"$dir/$svc.log" 2>&1 9>&- &
  local pid=$! st
  st=$(_starttime "$pid") || { sleep 0.2; die "$svc exited at once; see $dir/$svc.log"; }
  printf '%s %s\n' "$pid" "$st" >"$dir/$svc.pid"
}

# stop_svc SVC [SIGNAL] [SECONDS] : signal the process we started, wait, then SIGKILL its
# whole process group (it is a session leader) if anything of it is left.
stop_svc() {
  local svc=$1 sig=${2:-TERM} secs=${3:-30} pid deadline
  if ! pid=$(svc_pid "$svc"); then rm -f "$STACK_DIR/$svc/$svc.pid"; return 0; fi
  log "stopping $svc (pid $pid)"
  kill "-$sig" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + secs))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "$svc did not stop within ${secs}s: SIGKILL to its process group"
    kill -KILL -- "-$pid" 2>/dev/null || true
    sleep 0.3
  fi
  rm -f "$STACK_DIR/$svc/$svc.pid"
}

# wait_until SVC SECONDS WHAT CMD... : poll CMD until it succeeds; fail early when the
# process we started for SVC died, late on the deadline; show the log tail on failure.
wait_until() {
  local svc=$1 secs=$2 what=$3; shift 3
  local deadline=$((SECONDS + secs)) logf="$STACK_DIR/$svc/$svc.log"
  until "$@" >/dev/null 2>&1; do
    if [[ -f $STACK_DIR/$svc/$svc.pid ]] && ! svc_running "$svc"; then
      log "$svc exited while waiting for $what; last log lines:"
      tail -n 25 "$logf" >&2 2>/dev/null || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "timed out after ${secs}s waiting for $what; last log lines:"
      tail -n 25 "$logf" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
}

wait_port() { wait_until "$1" "$4" "$2:$3" port_open "$2" "$3"; } # svc host port seconds

# status_row NAME STATE ADDRESS NOTE : one tab-separated line for stack.sh's table.
status_row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:--}"; }

# dispatch "$@" : run up|down|status defined by the component script.
dispatch() {
  case "${1:-}" in
    up | down | status) "$1" ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
}
