#!/usr/bin/env bash
# Proves the standalone output starts and serves with the Docker image's command
# (node server.js), user (uid 1001, no write access to the app) and environment
# (NODE_ENV=production, PORT, HOSTNAME, AUTH_SECRET; no .stack/), in both panel
# DB modes: PostgreSQL (DATABASE_URL) and embedded PGlite (no DATABASE_URL).
# Each starts on an empty database, so the server must apply the migrations
# itself: that proves the wasm schema engine and prisma/migrations are traced in.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${CHECK_PORT:-3199}
export PGOPTIONS=--client-min-messages=warning
admin=$(grep '^TEST_DATABASE_URL=' .stack/env | cut -d= -f2-)
scratch=berth_standalone_check
for leak in .stack data .env; do
  [[ -e .next/standalone/$leak ]] && { echo "standalone output contains $leak: local state and secrets must not ship" >&2; exit 1; }
done
dir=$(mktemp -d /tmp/berth-standalone.XXXXXX)
cp -a .next/standalone/. "$dir/app/"
mkdir -p "$dir/data" && chown 1001:1001 "$dir/data"
chmod -R a+rX "$dir"
pid=
stop() { if [[ -n $pid ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=; fi; }
cleanup() { stop; rm -rf "$dir"; psql "$admin" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT
fail=0

check() { # mode, extra env...
  local mode=$1; shift
  (cd "$dir/app" && exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent NODE_ENV=production PORT=$PORT \
    HOSTNAME=127.0.0.1 AUTH_SECRET=standalone-check-secret-0123456789abcdef "$@" \
    setpriv --reuid=1001 --regid=1001 --clear-groups node server.js >"$dir/$mode.log" 2>&1) &
  pid=$!
  local t0; t0=$(date +%s%N)
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" 2>/dev/null && break; sleep 0.2; done
  local code csrf css css_code ms
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login")
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  csrf=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/auth/csrf")
  css=$(curl -s "http://127.0.0.1:$PORT/login" | grep -o '/_next/static/[^"]*\.css' | head -1)
  css_code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$css")
  local migrated=no
  for _ in $(seq 1 150); do grep -Eq 'applied [0-9]+ migration' "$dir/$mode.log" && { migrated=yes; break; }; sleep 0.2; done
  echo "standalone ($mode) as uid 1001: migrated at start: $migrated, /login $code in ${ms} ms, /api/auth/csrf $csrf, stylesheet $css_code"
  if [[ $code != 200 || $csrf != 200 || $css_code != 200 || $migrated != yes ]]; then
    echo "standalone ($mode) check failed; server log:" >&2; cat "$dir/$mode.log" >&2; fail=1
  fi
  stop
}

psql "$admin" -qc "DROP DATABASE IF EXISTS $scratch" -c "CREATE DATABASE $scratch" >/dev/null
check postgresql DATABASE_URL="${admin%/*}/$scratch"
check pglite PGLITE_DIR="$dir/data/pglite"
exit $fail
