#!/usr/bin/env bash
# Browser tests of the desk's staff page: a fresh test PKI, the real uketsuke-desk on a free
# loopback port, then queue.test.mjs drives headless chromium through playwright-core.
#   run.sh BUILD_DIR SOURCE_DIR
# Needs Debian's chromium and tests/browser/node_modules (`npm ci` there: scripts/install-deps.sh
# does both); exits 77 (skipped) when either is missing. SCREENSHOT_DIR=DIR keeps screenshots.
set -euo pipefail
build=$1 source=$2
here="$source/tests/browser"
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "skipped: no $chromium (scripts/install-deps.sh installs it)"
    exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
    echo "skipped: no $here/node_modules (run scripts/install-deps.sh or npm ci there)"
    exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-browser.XXXXXX")
# shellcheck source=../../scripts/lib/servers.sh
. "$source/scripts/lib/servers.sh"
cleanup() {
    stop_servers
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$build/sim/uketsuke-sim" pki --out "$work/pki" >/dev/null
# Two staff accounts (docs/desk-staff.md): one the pages log in with, one the lock-out test locks.
staff_password="browser-$$-$RANDOM"
for account in reception locked; do
    printf '%s\n' "$staff_password" |
        "$build/desk/uketsuke-desk" user add "$account" --data "$work/desk" >/dev/null
done
start_server desk desk "$work" "$build/desk/uketsuke-desk" --pki "$work/pki" \
    --listen 127.0.0.1:0 --data "$work/desk" --assets "$source/assets"

if ! DESK_URL=$desk DESK_PASSWORD=$staff_password PKI_TLS="$work/pki/tls" CHROMIUM=$chromium \
    node --test --test-reporter=spec "$here/queue.test.mjs"; then
    echo "--- desk log" >&2
    tail -n 40 "$work/desk.log" >&2
    exit 1
fi
