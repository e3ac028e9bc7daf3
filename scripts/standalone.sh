#!/usr/bin/env bash
# The Next standalone server, laid out and started exactly as the Docker image does:
#   prepare  copy static assets beside .next/standalone/server.js
#   run      prepare, then `node server.js` from inside .next/standalone
set -euo pipefail
cd "$(dirname "$0")/.."
out=.next/standalone
[ -f "$out/server.js" ] || { echo "No standalone build: run 'npm run build' first." >&2; exit 1; }
prepare() {
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
