# Shared by scripts/up.sh and scripts/test.sh: make the app ready to run on this
# machine, each step skipped when its inputs have not changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false NEXT_TELEMETRY_DISABLED=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# A hash of the files that decide a step's output; the step reruns when it changes.
inputs_hash() { (cd "$ROOT" && find "$@" -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum | sha256sum | cut -c1-16); }
stamp_ok() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

need_node() {
  command -v node >/dev/null || { echo "Node.js 20.19+ is required (https://nodejs.org)." >&2; exit 1; }
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  (( major >= 20 )) || { echo "Node.js 20.19+ is required; this is $(node -v)." >&2; exit 1; }
}

ensure_deps() {
  need_node
  local h; h=$(inputs_hash package.json package-lock.json)
  if [[ -d node_modules ]] && stamp_ok node_modules/.berth-deps "$h"; then return; fi
  say "Installing npm packages"
  local t0=$SECONDS
  # `npm ci` refuses a lockfile made here (no darwin/win32 builds of platform packages): see TOOLCHAIN.md.
  npm install --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config "nodedir"' || true
  [[ -d node_modules/next ]] || { echo "npm install failed" >&2; exit 1; }
  echo "$h" > node_modules/.berth-deps
  echo "    npm packages installed in $((SECONDS - t0)) s"
}

ensure_client() {
  local h; h=$(inputs_hash prisma/schema.prisma node_modules/.berth-deps)
  if stamp_ok src/generated/.berth-client "$h"; then return; fi
  say "Generating the Prisma client"
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate >/dev/null
  echo "$h" > src/generated/.berth-client
}

ensure_stack() {
  say "Starting the local stack"
  bash scripts/stack.sh up
}

ensure_app_secret() {
  mkdir -p .stack
  if ! grep -q '^AUTH_SECRET=' .stack/app.env 2>/dev/null; then
    umask 077
    echo "AUTH_SECRET=$(openssl rand -base64 36 | tr -d '\n')" >> .stack/app.env
  fi
}

ensure_build() {
  local h; h=$(inputs_hash src prisma next.config.ts postcss.config.mjs tsconfig.json package-lock.json)
  if [[ -f .next/standalone/server.js ]] && stamp_ok .next/.berth-build "$h"; then return; fi
  say "Building the panel (next build)"
  local t0=$SECONDS
  npx next build 2>&1 | grep -v 'Unknown user config "nodedir"'
  [[ ${PIPESTATUS[0]} -eq 0 ]] || exit 1
  bash scripts/standalone.sh prepare
  echo "$h" > .next/.berth-build
  echo "    built in $((SECONDS - t0)) s"
}

tsx_run() { node_modules/.bin/tsx --conditions=react-server "$@"; }
