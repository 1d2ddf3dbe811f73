#!/usr/bin/env bash
# End-to-end: the real programs together. A fresh test PKI, the gateway simulator and the desk
# on free loopback ports, then the terminal headless through a script.
#   run.sh BUILD_DIR SOURCE_DIR CASE
# CASE: checkin   one successful check-in; the desk holds exactly it, the slip exists
#       wrong-pin the PIN screen shows tries left; the desk holds nothing
#       pin-pad   the PIN typed on the simulated reader's own pad: wrong, cancelled, right
#       insurance-card  a patient types a 資格確認書's data; the simulated 資格確認端末 answers
#                 through req/res folders; the desk holds one check-in by insurance_card
#       printer-faults  every fault of the simulated ESC/POS printer reaches its screen; every
#                 check-in reaches the desk, only confirmed slips exist, and the desk's
#                 terminal list holds the printer's last state
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

extra=() # more kiosk flags for a case
case $case in
checkin) script="$source/assets/demo/checkin.script" ;;
wrong-pin) script="$source/tests/e2e/wrong-pin.script" ;;
pin-pad)
    script="$source/tests/e2e/pin-pad.script"
    printf '[sim]\npin_pad = true\n' >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    ;;
printer-faults)
    script="$source/tests/e2e/printer-faults.script"
    printf 'printer_status_s = 1\n' >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    ;;
insurance-card)
    script="$source/assets/demo/insurance-card.script"
    mkdir -p "$work/oqs/req" "$work/oqs/res"
    start_background oqs "$work" "watching" "$build/sim/uketsuke-sim" oqs-terminal \
        --req "$work/oqs/req" --res "$work/oqs/res"
    cat >"$work/kiosk.toml" <<TOML
[eligibility]
source = "gateway+oqs-files"

[oqs]
req_dir = "$work/oqs/req"
res_dir = "$work/oqs/res"
encoding = "utf-8"
timeout_s = 20
TOML
    extra+=(--config "$work/kiosk.toml")
    ;;
*) echo "unknown case $case" >&2; exit 2 ;;
esac

if ! "$build/ui/uketsuke-kiosk" "${extra[@]}" --pki "$work/pki" --gateway "$gateway" --desk "$desk" \
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
    # The ESC/POS simulator's dump of the bytes the terminal sent (docs/printer.md).
    slip=$(grep -l -- "$receipt" "$work/slips"/slip-*.txt 2>/dev/null | head -n1)
    [ -n "$slip" ] || failed "no slip dump shows receipt $receipt in $work/slips"
    [ -s "${slip%.txt}.png" ] || failed "no slip image next to $slip"
    grep -q "QR(M,[0-9]*):.*$receipt" "$slip" || failed "the slip's QR code lacks receipt $receipt"
    [ -s "$work/shots/$(ls "$work/shots" | grep -m1 result)" ] || failed "no screenshot of the result"
    # The outbox keeps personal data only until the desk acknowledged it.
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo x)" = 0 ] ||
        failed "the terminal's outbox still holds the delivered check-in"
    ;;
pin-pad)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] || failed "expected one check-in at the desk"
    [ "$(rows 'SELECT outcome FROM checkins')" = valid ] || failed "outcome is not valid"
    ls "$work/shots" | grep -q pin_not_entered || failed "no screenshot of the pad-cancelled screen"
    grep -qE '^(\[[^]]*\])*Reception slip$' "$work/slips"/slip-*.txt ||
        failed "the slip is not in the language chosen on screen"
    ;;
insurance-card)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] ||
        failed "expected exactly one check-in at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    [ "$(rows 'SELECT method FROM checkins')" = insurance_card ] ||
        failed "method at the desk: '$(rows 'SELECT method FROM checkins')'"
    [ "$(rows 'SELECT insurer_number FROM checkins')" = 06139999 ] ||
        failed "insurer number at the desk: '$(rows 'SELECT insurer_number FROM checkins')'"
    [ "$(rows 'SELECT outcome FROM checkins')" = valid ] || failed "outcome is not valid"
    receipt=$(rows 'SELECT receipt_number FROM checkins')
    # The ESC/POS simulator's dump of the bytes the terminal sent (docs/printer.md).
    slip=$(grep -l -- "$receipt" "$work/slips"/slip-*.txt 2>/dev/null | head -n1)
    [ -n "$slip" ] || failed "no slip dump shows receipt $receipt in $work/slips"
    [ -s "${slip%.txt}.png" ] || failed "no slip image next to $slip"
    grep -q "QR(M,[0-9]*):.*$receipt" "$slip" || failed "the slip's QR code lacks receipt $receipt"
    ls "$work/shots" | grep -q enter_insurance || failed "no screenshot of the form"
    # The request and its answer (personal data) are gone from the folders.
    [ -z "$(find "$work/oqs" -type f)" ] ||
        failed "files left in the 資格確認端末 folders: $(find "$work/oqs" -type f)"
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo x)" = 0 ] ||
        failed "the terminal's outbox still holds the delivered check-in"
    ;;
printer-faults)
    # Seven check-ins, printed or not: none is lost.
    [ "$(rows 'SELECT count(*) FROM checkins')" = 7 ] ||
        failed "expected 7 check-ins at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    # Only the slips the printer confirmed exist: after ok, slow and near end.
    slips=$(ls "$work/slips"/slip-*.txt 2>/dev/null | wc -l)
    [ "$slips" = 3 ] || failed "expected 3 printed slips, found $slips"
    for shot in idle-printer_unavailable result-print_failed result-printing-slow; do
        ls "$work/shots" | grep -q -- "-$shot.png" || failed "no screenshot of $shot"
    done
    # The desk's terminal list holds the last state: paper out.
    health=$(rows 'SELECT body FROM terminals')
    echo "$health" | grep -q '"paper_out":true' || failed "the desk's terminal health: $health"
    echo "$health" | grep -q '"reachable":true' || failed "the desk's terminal health: $health"
    grep -q "printer paper near end" "$work/kiosk.log" || failed "near end was not logged for staff"
    ;;
wrong-pin)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 0 ] || failed "a wrong PIN reached the desk"
    ls "$work/shots" | grep -q pin_wrong || failed "no screenshot of the tries-left screen"
    ;;
esac

# Privacy: no log line names the patient or the insurance number.
if grep -l -e "受付 太郎" -e "06139999" -e "19800101" "$work"/*.log; then
    failed "a log holds personal data"
fi
echo "e2e $case: passed"
