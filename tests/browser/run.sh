#!/usr/bin/env bash
# Browser tests of the desk's staff page: a fresh test PKI, the real uketsuke-desk on a free
# loopback port, then queue.test.mjs drives a headless browser through playwright-core.
#   run.sh BUILD_DIR SOURCE_DIR [chromium|firefox]
# Needs Debian's chromium or firefox-esr and tests/browser/node_modules (`npm ci` there:
# scripts/install-deps.sh does all three); exits 77 (skipped) when the browser or the modules
# are missing. SCREENSHOT_DIR=DIR keeps screenshots.
set -euo pipefail
build=$1 source=$2 browser=${3:-chromium}
here="$source/tests/browser"
case $browser in
chromium) binary=${CHROMIUM:-/usr/bin/chromium} module=playwright-core ;;
firefox) binary=${FIREFOX:-/usr/bin/firefox-esr} module=playwright-core-firefox ;;
*) echo "run.sh: unknown browser $browser (chromium or firefox)" >&2; exit 2 ;;
esac
if [ ! -x "$binary" ]; then
    echo "skipped: no $binary (scripts/install-deps.sh installs it)"
    exit 77
fi
if [ ! -d "$here/node_modules/$module" ]; then
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
# Staff accounts (docs/desk-staff.md): one the pages log in with, one the lock-out test locks,
# and an administrator.
staff_password="browser-$$-$RANDOM"
for account in reception locked; do
    printf '%s\n' "$staff_password" |
        "$build/desk/uketsuke-desk" user add "$account" --data "$work/desk" >/dev/null
done
# An administrator, who may read the audit log.
printf '%s\n' "$staff_password" |
    "$build/desk/uketsuke-desk" user add manager --role admin --data "$work/desk" >/dev/null
# The clinic's 資格確認端末 for the page's re-checks: the simulated one on two folders.
mkdir -p "$work/oqs/req" "$work/oqs/res"
start_background oqs "$work" "watching" "$build/sim/uketsuke-sim" oqs-terminal \
    --req "$work/oqs/req" --res "$work/oqs/res"
cat >"$work/desk.toml" <<EOF
clinic_code = "1312345678"
[oqs]
req_dir = "$work/oqs/req"
res_dir = "$work/oqs/res"
EOF
start_server desk desk "$work" "$build/desk/uketsuke-desk" --pki "$work/pki" \
    --listen 127.0.0.1:0 --data "$work/desk" --assets "$source/assets" --config "$work/desk.toml"

if ! DESK_URL=$desk DESK_PASSWORD=$staff_password PKI_TLS="$work/pki/tls" BROWSER=$browser \
    CHROMIUM=${CHROMIUM:-/usr/bin/chromium} FIREFOX=${FIREFOX:-/usr/bin/firefox-esr} \
    node --test --test-reporter=spec "$here/queue.test.mjs"; then
    echo "--- desk log" >&2
    tail -n 40 "$work/desk.log" >&2
    exit 1
fi
