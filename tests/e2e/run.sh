#!/usr/bin/env bash
# End-to-end: the real programs together. A fresh test PKI, the gateway simulator and the desk
# on free loopback ports, then the terminal headless through a script.
#   run.sh BUILD_DIR SOURCE_DIR CASE
# CASE: checkin   one successful check-in; the desk holds exactly it, the slip exists
#       wrong-pin the PIN screen shows tries left; the desk holds nothing
set -euo pipefail
build=$1 source=$2 case=$3

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-e2e-$case.XXXXXX")
# shellcheck source=../../scripts/lib/servers.sh
. "$source/scripts/lib/servers.sh"
cleanup() {
    stop_servers
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

failed() {
    echo "FAILED: $*" >&2
    for log in "$work"/*.log; do
        echo "--- $log" >&2
        tail -n 30 "$log" >&2
    done
    exit 1
}

"$build/sim/uketsuke-sim" pki --out "$work/pki" >/dev/null
start_server gateway gateway "$work" "$build/sim/uketsuke-sim" gateway --pki "$work/pki" \
    --listen 127.0.0.1:0
start_server desk desk "$work" "$build/desk/uketsuke-desk" --pki "$work/pki" \
    --listen 127.0.0.1:0 --data "$work/desk"

case $case in
checkin) script="$source/assets/demo/checkin.script" ;;
wrong-pin) script="$source/tests/e2e/wrong-pin.script" ;;
*) echo "unknown case $case" >&2; exit 2 ;;
esac

if ! "$build/ui/uketsuke-kiosk" --pki "$work/pki" --gateway "$gateway" --desk "$desk" \
    --data "$work/kiosk" --printer "sim:$work/slips" --headless --script "$script" \
    --screenshots "$work/shots" 2>"$work/kiosk.log"; then
    failed "the kiosk script did not hold"
fi

rows() {
    sqlite3 "$work/desk/desk.sqlite3" "$1"
}

case $case in
checkin)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] ||
        failed "expected exactly one check-in at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    [ "$(rows 'SELECT insurer_number FROM checkins')" = 06139999 ] ||
        failed "insurer number at the desk: '$(rows 'SELECT insurer_number FROM checkins')'"
    [ "$(rows 'SELECT outcome FROM checkins')" = valid ] || failed "outcome is not valid"
    receipt=$(rows 'SELECT receipt_number FROM checkins')
    slip=$(ls "$work/slips"/*-"$receipt".txt 2>/dev/null | head -n1)
    [ -n "$slip" ] || failed "no slip text for receipt $receipt in $work/slips"
    [ -s "${slip%.txt}.png" ] || failed "no slip image next to $slip"
    grep -q "$receipt" "$slip" || failed "the slip does not show receipt $receipt"
    [ -s "$work/shots/$(ls "$work/shots" | grep -m1 result)" ] || failed "no screenshot of the result"
    # The outbox keeps personal data only until the desk acknowledged it.
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo x)" = 0 ] ||
        failed "the terminal's outbox still holds the delivered check-in"
    ;;
wrong-pin)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 0 ] || failed "a wrong PIN reached the desk"
    ls "$work/shots" | grep -q pin_wrong || failed "no screenshot of the tries-left screen"
    ;;
esac

# Privacy: no log line names the patient or the insurance number.
if grep -l -e "受付 太郎" -e "06139999" "$work"/*.log; then
    failed "a log holds personal data"
fi
echo "e2e $case: passed"
