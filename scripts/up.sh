#!/usr/bin/env bash
# npm run up: on a fresh machine, install everything, start the local stack,
# migrate and seed the panel DB, build, and serve the panel at
# http://127.0.0.1:3000. A second run changes nothing and is quick.
set -euo pipefail
. "$(dirname "$0")/app/lib.sh"
T0=$SECONDS
PORT=${BERTH_PORT:-3000}
PID_FILE=.stack/panel.pid
LOG_FILE=.stack/panel.log

ensure_deps
ensure_stack
ensure_app_secret
ensure_client
say "Migrating and seeding the panel DB"
tsx_run scripts/db/migrate.ts deploy
SEED_OUT=$(tsx_run prisma/seed.ts)
ensure_build

running() { [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }
build_id=$(cat .next/.berth-build)
if running && [[ "$(cat .stack/panel.build 2>/dev/null)" == "$build_id" ]] && curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login"; then
  say "The panel is already running (pid $(cat "$PID_FILE"))"
else
  if running; then say "Restarting the panel with the new build"; kill "$(cat "$PID_FILE")"; sleep 1; fi
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" 2>/dev/null; then
    echo "Port $PORT is already in use by another program; set BERTH_PORT to serve elsewhere." >&2; exit 1
  fi
  say "Serving the panel"
  # The same command the Docker image runs: node server.js in the standalone output.
  # exec: the background pid is the server itself; no shell left holding this terminal.
  (cd .next/standalone && exec env BERTH_STACK_DIR="$ROOT/.stack" PORT="$PORT" HOSTNAME=127.0.0.1 NODE_ENV=production \
    setsid node server.js) >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  echo "$build_id" > .stack/panel.build
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" || { echo "The panel did not start; see $LOG_FILE" >&2; tail -20 "$LOG_FILE" >&2; exit 1; }
fi

echo
echo "Berth is running at http://127.0.0.1:$PORT   (ready in $((SECONDS - T0)) s; log: $LOG_FILE)"
echo "$SEED_OUT"
echo "Stop everything with: npm run stack -- down"
