#!/usr/bin/env bash
# npm test: every test. Installs what is missing, starts the local stack when
# needed, then runs type checks, Vitest (unit + integration against the real
# stack), the standalone-server check and Playwright end-to-end in Chromium.
set -uo pipefail
. "$(dirname "$0")/app/lib.sh"
# lib.sh stops on the first error; here every part runs and the verdict comes at the end.
set +e
T0=$SECONDS
ensure_chromium() {
  [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] && return
  say "Installing Debian's Chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
}

ensure_deps
ensure_stack || exit 1
ensure_client
ensure_chromium
mkdir -p e2e/.artifacts

say "Type check"
npx tsc --noEmit -p . 2>&1 | grep -v 'Unknown user config "nodedir"'
tsc_rc=${PIPESTATUS[0]}

say "Unit and integration tests (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=e2e/.artifacts/vitest.json 2>&1 | grep -v 'Unknown user config "nodedir"'
vitest_rc=${PIPESTATUS[0]}

ensure_build || exit 1
say "Standalone server runs as the image runs it"
bash scripts/check-standalone.sh
standalone_rc=$?

say "End-to-end tests (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=e2e/.artifacts/playwright.json npx playwright test --reporter=list,json 2>&1 | grep -v 'Unknown user config "nodedir"'
e2e_rc=${PIPESTATUS[0]}

node -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0;
try { const v = JSON.parse(fs.readFileSync("e2e/.artifacts/vitest.json", "utf8"));
  passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + v.numTodoTests; } catch { failed += 1; }
try { const p = JSON.parse(fs.readFileSync("e2e/.artifacts/playwright.json", "utf8")).stats;
  passed += p.expected; failed += p.unexpected; skipped += p.skipped; } catch { failed += 1; }
// The type check and the standalone check are not tests; a failure of either still fails the line.
failed += Number(process.argv[1]);
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$(( (tsc_rc != 0) + (standalone_rc != 0) ))"
echo "(type check rc=$tsc_rc, vitest rc=$vitest_rc, standalone rc=$standalone_rc, playwright rc=$e2e_rc; $((SECONDS - T0)) s)"
(( tsc_rc == 0 && vitest_rc == 0 && standalone_rc == 0 && e2e_rc == 0 ))
