#!/usr/bin/env bash
# The Next standalone server, laid out and started exactly as the Docker image does:
#   prepare  copy static assets beside .next/standalone/server.js
#   run      prepare, then `node server.js` from inside .next/standalone
# server.js is Berth's edge server (scripts/app/edge-server.mjs), which sets
# X-Forwarded-For from the socket and then runs Next's server.js, kept as next-server.js.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.next/standalone
[ -f "$out/server.js" ] || { echo "No standalone build: run 'npm run build' first." >&2; exit 1; }
edge() {
  # A fresh build writes Next's server.js over ours: keep it as next-server.js.
  if ! grep -q berth-edge-server "$out/server.js"; then mv "$out/server.js" "$out/next-server.js"; fi
  cp scripts/app/edge-server.mjs "$out/server.js"
}
prepare() {
  edge
  mkdir -p "$out/.next"
  rm -rf "$out/.next/static"
  cp -r .next/static "$out/.next/static"
  if [ -d public ]; then rm -rf "$out/public"; cp -r public "$out/public"; fi
}
case "${1:-run}" in
  prepare) prepare ;;
  run) prepare; cd "$out"; exec node server.js ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
