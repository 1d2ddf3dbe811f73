#!/usr/bin/env bash
# End-to-end: the real programs together. A fresh test PKI, the gateway simulator and the desk
# on free loopback ports, then the terminal headless through a script.
#   run.sh BUILD_DIR SOURCE_DIR CASE
# CASE: checkin   one successful check-in; the desk holds exactly it, the slip exists
#       wrong-pin the PIN screen shows tries left; the desk holds nothing
#       pin-pad   the PIN typed on the simulated reader's own pad: wrong, cancelled, right
#       insurance-card  a patient types a 資格確認書's data; the simulated 資格確認端末 answers
#                 through req/res folders; the desk holds one check-in by insurance_card
#       canary    a check-in with a canary persona, then the staff menu opened with a wrong and
#                 a right staff PIN: no PIN is in any file the run leaves behind (logs,
#                 databases, slips, screenshots, the outbox's free pages, temporary files: the
#                 programs' TMPDIR is in the run's folder), the patient's name in no log, no
#                 temporary file, not in the desk's audit log and not in the terminal's data
#                 once the desk has the check-in
#       escpos    the check-in printed as ESC/POS over TCP to `uketsuke-sim printer`: the dump
#                 has the receipt number, the PNG's QR code decodes to the id the desk stored
#       outcomes  nobody leaves without a number: PIN locked, "ask staff" at the last try,
#                 certificate expired, revoked, the gateway down and not found, one terminal
#                 run each on one data folder; each ends with exactly one desk record and one
#                 slip, and the receipt numbers are unique
#       visual    目視: a patient with one PIN try left; staff unlock the menu and confirm the
#                 patient by the card's photo: one desk record, method visual, staff id s01,
#                 no PIN verified, the staff PIN and the name in no log, then idle again; then a
#                 locked card: its screen calls staff, who confirm it the same way
#       staff     a check-in, then the staff menu: the card, printer and network tests pass
#                 against the simulators, the gateway and the desk; the day's counts show it;
#                 every audit line reaches the desk's audit log, from the terminal, by s01
#       consent   a clinic with two consent questions: the answers reach the gateway (its
#                 result carries the flags) and the desk (the check-in's consent object)
#       call-staff  a patient calls for staff on the idle screen: the desk's /api/v1/terminals
#                 (read as a logged-in receptionist) shows the call and its screen while the
#                 patient waits, and no call once it was cancelled; a second call from the PIN
#                 screen is open when the terminal stops, and its last report names that screen
#                 and the card on the (simulated) reader as present; on the idle screen, absent
#       voice     spoken guidance: `uketsuke-kiosk voice` synthesises every line (a second run
#                 none); a check-in through SDL's disk audio driver queues each screen's line
#                 and sound and the reminder of a card left on the reader (expect-sound), and
#                 the recording holds sound; with sound.mute nothing is opened or written
#       display   large text and high contrast switched on during a check-in (display.script):
#                 the desk holds the check-in, the terminal rebuilt its fonts at 1.3x and
#                 back; a clinic with ui.large_text = true: each patient starts with it, one
#                 who switched it off leaves it on for the next
#       enrol     a terminal without its client certificate boots not ready; an administrator
#                 enrols it on the staff menu with a code from `uketsuke-sim gateway
#                 activation-code` and restarts it (exit 75); it then starts as the code's
#                 terminal id and checks a patient in; the used code is refused to
#                 `uketsuke-kiosk enrol`, a new one renews the key; no code in any log
#       pair      a terminal with desk files of its own, not there yet, boots not ready; an
#                 administrator types a pairing code from `uketsuke-desk pair-code` on its
#                 staff menu (受付窓口と接続) and restarts it (exit 75); it checks a patient in
#                 at the desk; the used code is refused to `uketsuke-kiosk pair`; revoked
#                 through the desk's API by a logged-in administrator, its next check-in is
#                 refused and stays in its outbox; a new code paired from a shell brings it
#                 back and the kept check-in reaches the desk; no code in any log
#       printer-faults  every fault of the simulated ESC/POS printer reaches its screen; every
#                 check-in reaches the desk, only confirmed slips exist, and the desk's
#                 terminal list holds the printer's last state
set -euo pipefail
build=$1 source=$2 case=$3

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-e2e-$case.XXXXXX")
if [ "$case" = canary ]; then
    # Every temporary file the programs make lands where the canary search looks.
    mkdir "$work/tmp"
    export TMPDIR="$work/tmp"
fi
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
# The terminal with the case's own kiosk.toml (enrol, pair): [SUBCOMMAND...] [FLAGS...], the
# subcommand's words first.
terminal() {
    local words=()
    while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do words+=("$1"); shift; done
    "$build/ui/uketsuke-kiosk" "${words[@]}" --config "$work/kiosk.toml" --data "$work/kiosk" "$@"
}
printer=(--printer "sim:$work/slips")
case $case in
checkin) script="$source/assets/demo/checkin.script" ;;
escpos)
    script="$source/assets/demo/checkin.script"
    start_background printer "$work" "listening " "$build/sim/uketsuke-sim" printer --port 0 \
        --out "$work/printed" --width 576
    # The printer as a clinic configures it: in kiosk.toml, not by flag.
    printer=()
    cat >"$work/kiosk.toml" <<TOML
printer = "escpos-tcp:$(sed -n 's/^listening //p' "$work/printer.stdout" | head -n1)"
printer_width = 576
clinic_name = "さくら整骨院"
TOML
    extra+=(--config "$work/kiosk.toml")
    ;;
wrong-pin) script="$source/tests/e2e/wrong-pin.script" ;;
display) script="$source/tests/e2e/display.script" ;;
visual)
    script="$source/tests/e2e/visual.script"
    printf '[sim]\npersona = "one-try"\n' >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    printf '24680\n' | "$build/ui/uketsuke-kiosk" staff add s01 --config "$work/kiosk.toml" \
        --pki "$work/pki" --data "$work/kiosk" >/dev/null 2>"$work/staff-add.log" ||
        failed "staff add"
    ;;
staff)
    script="$source/tests/e2e/staff.script"
    printf '24680\n' | "$build/ui/uketsuke-kiosk" staff add s01 --role admin --pki "$work/pki" \
        --data "$work/kiosk" >/dev/null 2>"$work/staff-add.log" || failed "staff add"
    ;;
consent)
    script="$source/tests/e2e/consent.script"
    printf '[consent]\ndiagnosis_pharmacists = true\noperation = true\n' >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    ;;
canary)
    script="$source/tests/e2e/canary.script"
    printf '[sim]\npersona = "expiring"\n' >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    # The staff account the script unlocks the menu with (its PIN from a pipe, as provisioning
    # sets it); canary.script also tries a wrong staff PIN first.
    printf '86420975\n' | "$build/ui/uketsuke-kiosk" staff add canary-admin --role admin \
        --config "$work/kiosk.toml" --data "$work/kiosk" 2>>"$work/kiosk.log" ||
        failed "staff add"
    ;;
pin-pad)
    script="$source/tests/e2e/pin-pad.script"
    printf '[sim]\npin_pad = true\n' >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    ;;
voice)
    script="$source/tests/e2e/voice.script"
    printf '[sound]\nreminder_s = 2\ncache_dir = "%s"\n' "$work/voice" >"$work/kiosk.toml"
    extra+=(--config "$work/kiosk.toml")
    # Every line ahead of time (the engines come from scripts/install-deps.sh), then again:
    # an unchanged line is never synthesised twice.
    "$build/ui/uketsuke-kiosk" voice --config "$work/kiosk.toml" >"$work/voice-1.out" \
        2>"$work/voice-1.log" || failed "uketsuke-kiosk voice: $(cat "$work/voice-1.log")"
    grep -q "ja: open-jtalk:nitech-jp-atr503-m001, [0-9]* lines" "$work/voice-1.out" ||
        failed "no Japanese lines: $(cat "$work/voice-1.out")"
    grep -q "en: espeak-ng:en-us, [0-9]* lines" "$work/voice-1.out" ||
        failed "no English lines: $(cat "$work/voice-1.out")"
    "$build/ui/uketsuke-kiosk" voice --config "$work/kiosk.toml" >"$work/voice-2.out" \
        2>>"$work/voice-1.log" || failed "uketsuke-kiosk voice (again)"
    [ "$(grep -c ", 0 synthesised" "$work/voice-2.out")" = 6 ] ||
        failed "the second run synthesised again: $(cat "$work/voice-2.out")"
    # What the terminal plays goes to a file (SDL's disk driver writes in real time).
    export SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$work/audio.raw"
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
outcomes)
    # One terminal run per patient, on the same data folder (outbox, card state) and slip
    # folder: PERSONA SCREEN [PIN] [the gateway down] [ask staff at the last try].
    run_patient() {
        local persona=$1 screen=$2 pin=${3:-} gw=${4:-$gateway} n=$5
        {
            echo "timeout 60000"
            echo "expect-screen idle"
            echo "insert-card"
            if [ "$screen" = result:pin_locked ]; then
                echo "expect-screen error:pin_locked" # staff could confirm; a number instead
                echo "tap ask-staff"
            elif [ "$screen" = result:pin_forgotten ] && [ "$pin" = forgot ]; then
                echo "expect-screen enter_pin"
                echo "tap ask-staff" # 暗証番号がわからない
                echo "expect-screen error:pin_forgotten"
                echo "tap ask-staff"
            elif [ "$screen" = result:pin_forgotten ]; then
                echo "expect-screen last_try_warning"
                echo "tap ask-staff"
            elif [ -n "$pin" ]; then
                echo "expect-screen enter_pin"
                echo "type $pin"
                echo "tap ok"
            fi
            echo "expect-screen $screen"
            echo "expect-text screen.result.take_card_and_slip" # the slip printed
            echo "screenshot $n-${screen#result:}"
            echo "tap done"
            echo "expect-screen remove_card"
            echo "remove-card"
            echo "expect-screen idle"
        } >"$work/$n.script"
        printf '[sim]\npersona = "%s"\n' "$persona" >"$work/$n.toml"
        "$build/ui/uketsuke-kiosk" --config "$work/$n.toml" --pki "$work/pki" --gateway "$gw" \
            --desk "$desk" --data "$work/kiosk" "${printer[@]}" --headless \
            --script "$work/$n.script" --screenshots "$work/shots" 2>>"$work/kiosk.log" ||
            failed "patient $n ($persona): the kiosk script did not hold"
    }
    # Port 1 (tcpmux), where nothing listens: the gateway is down for this patient.
    down="https://127.0.0.1:1"
    run_patient blocked result:pin_locked "" "$gateway" 1
    run_patient one-try result:pin_forgotten "" "$gateway" 2
    run_patient expired result:certificate_expired "" "$gateway" 3
    run_patient revoked result:certificate_revoked 5772 "$gateway" 4
    run_patient valid result:service_unreachable 1234 "$down" 5
    run_patient not-found result 1732 "$gateway" 6
    run_patient valid result:pin_forgotten forgot "$gateway" 7
    script="" # every run is done
    ;;
call-staff)
    script="" # the kiosk runs in the background below, while the desk is read
    desk_password="e2e-$$-$RANDOM"
    printf '%s\n' "$desk_password" |
        "$build/desk/uketsuke-desk" user add reception --data "$work/desk" >/dev/null 2>&1 ||
        failed "desk user add"
    # The printer over TCP: stopping it is the signal the script waits for (idle says printing
    # is unavailable), once the desk was seen to hold the call.
    start_background printer "$work" "listening " "$build/sim/uketsuke-sim" printer --port 0 \
        --out "$work/printed" --width 576
    printer_pid=${SERVER_PIDS[-1]}
    printer=()
    printf 'printer = "escpos-tcp:%s"\nprinter_status_s = 1\n' \
        "$(sed -n 's/^listening //p' "$work/printer.stdout" | head -n1)" >"$work/kiosk.toml"
    kiosk() {
        "$build/ui/uketsuke-kiosk" --config "$work/kiosk.toml" --pki "$work/pki" \
            --gateway "$gateway" --desk "$desk" --data "$work/kiosk" --headless \
            --script "$source/tests/e2e/$1" --screenshots "$work/shots" 2>>"$work/kiosk.log"
    }
    deskget() {
        curl -sS --fail --cacert "$work/pki/tls/ca.pem" -b "$work/cookies" "$desk$1"
    }
    deskcall() {
        deskget /api/v1/terminals | grep -o '"call":{[^}]*}' || true
    }
    status=$(curl -sS --cacert "$work/pki/tls/ca.pem" -c "$work/cookies" -o /dev/null \
        -w '%{http_code}' --data-urlencode name=reception \
        --data-urlencode "password=$desk_password" "$desk/login") || failed "desk log-in"
    [ "$status" = 303 ] || failed "desk log-in answered $status"

    # 1. A call from the PIN screen, open as the terminal stops.
    kiosk call-staff-pin.script || failed "call-staff-pin.script did not hold"
    call=$(deskcall)
    echo "$call" | grep -q '"screen":"enter_pin"' || failed "the PIN screen's call at the desk: '$call'"
    echo "$call" | grep -Eq '"id":"c-[0-9]+-1"' || failed "the call's id at the desk: $call"
    echo "$call" | grep -Eq '"since":"[0-9-]+T[0-9:]+Z"' || failed "the call's time: $call"
    # The card was on the reader, in use by the PIN screen, when the terminal stopped.
    terminals=$(deskget /api/v1/terminals)
    echo "$terminals" | grep -q '"card":"present"' || failed "the card at the desk: $terminals"
    echo "$terminals" | grep -q '"card_left":false' || failed "a card in use flagged: $terminals"

    # 2. A call on the idle screen: at the desk while the patient waits, gone once cancelled.
    kiosk call-staff.script &
    kiosk_pid=$!
    call=""
    for _ in $(seq 1 200); do
        call=$(deskcall)
        echo "$call" | grep -q '"screen":"idle"' && break
        kill -0 "$kiosk_pid" 2>/dev/null || failed "the kiosk ended before its call reached the desk"
        sleep 0.1 # polls the desk's list for the call (the script waits for us); bounded to 20 s
    done
    echo "$call" | grep -q '"screen":"idle"' || failed "the desk never showed the idle call: '$call'"
    terminals=$(deskget /api/v1/terminals)
    echo "$terminals" | grep -q '"card":"absent"' || failed "no card at the desk: $terminals"
    echo "$call" | grep -Eq '"id":"c-[0-9]+-1"' || failed "the idle call's id at the desk: $call"
    kill "$printer_pid"
    wait "$kiosk_pid" || failed "call-staff.script did not hold"
    call=$(deskcall)
    [ -z "$call" ] || failed "the desk still shows a call after it was cancelled: $call"
    grep -q "staff call ended" "$work/kiosk.log" || failed "the kiosk did not log the call's end"
    ;;
enrol)
    script="" # the terminal runs below: not enrolled, enrolled, renewed
    state="$work/state/tls"
    cat >"$work/kiosk.toml" <<TOML
[gateway]
url = "$gateway"
ca = "$work/pki/tls/ca.pem"
cert = "$state/terminal.pem"
key = "$state/terminal.key"

[desk]
url = "$desk"
ca = "$work/pki/tls/ca.pem"
cert = "$state/terminal.pem"
key = "$state/terminal.key"

[sim]
pki = "$work/pki"
TOML
    printf '24680\n' | terminal staff add s01 --role admin >/dev/null 2>"$work/staff-add.log" ||
        failed "staff add"
    code=$("$build/sim/uketsuke-sim" gateway activation-code --pki "$work/pki" \
        --terminal KIOSK-0002 2>"$work/activation.log" | head -n1) || failed "activation-code"
    digits=${code// /}
    case $digits in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;;
    *) failed "activation code '$code'" ;; esac
    # 1. Not ready: the staff menu enrols it, and 再起動 ends the run with 75.
    printf '%s\n' "expect-screen not_ready" "expect-text screen.not_ready.enrol" \
        "staff-gesture" "expect-screen staff:enter_pin" "type 24680" "tap ok" \
        "expect-screen staff:menu:home" "tap staff-enrol" "expect-screen staff:menu:enrol" \
        "type $digits" "tap staff-enrol-submit" "expect-text staff.enrol.done" \
        "screenshot enrolled" "tap staff-restart" >"$work/enrol.script"
    status=0
    terminal "${printer[@]}" --headless --script "$work/enrol.script" \
        --screenshots "$work/shots" 2>"$work/kiosk.log" || status=$?
    [ "$status" = 75 ] || failed "the enrolling run ended with $status, not 75 (restart)"
    [ "$(stat -c %a "$state/terminal.key")" = 600 ] || failed "the new key is not 0600"
    subject=$(openssl x509 -in "$state/terminal.pem" -noout -subject)
    echo "$subject" | grep -q "CN *= *KIOSK-0002" || failed "the new certificate: $subject"
    openssl verify -CAfile "$work/pki/tls/ca.pem" "$state/terminal.pem" >/dev/null ||
        failed "the new certificate does not chain to the CA"
    grep -q "staff.audit: enrol staff=s01" "$work/kiosk.log" || failed "no audit line enrol"
    grep -q "staff.audit: enrolled KIOSK-0002 staff=s01" "$work/kiosk.log" ||
        failed "no audit line enrolled"
    # 2. The next start is a terminal: KIOSK-0002 checks a patient in at the desk.
    terminal "${printer[@]}" --headless --script "$source/assets/demo/checkin.script" \
        2>"$work/kiosk-enrolled.log" || failed "the enrolled terminal's check-in did not hold"
    [ "$(sqlite3 "$work/desk/desk.sqlite3" "SELECT count(*) FROM checkins WHERE terminal_id = 'KIOSK-0002'")" = 1 ] ||
        failed "the desk holds no check-in from KIOSK-0002"
    # 3. The used code is refused; a new one renews the key from a shell.
    status=0
    printf '%s\n' "$code" | terminal enrol >"$work/enrol-again.out" 2>"$work/enrol-again.log" ||
        status=$?
    [ "$status" = 1 ] || failed "enrolling with a used code ended with $status"
    grep -q "activation_refused" "$work/enrol-again.log" || failed "the used code: $(cat "$work/enrol-again.log")"
    old_key=$(sha256sum <"$state/terminal.key")
    renewal=$("$build/sim/uketsuke-sim" gateway activation-code --pki "$work/pki" \
        --terminal KIOSK-0002 2>>"$work/activation.log" | head -n1)
    printf '%s\n' "$renewal" | terminal enrol >"$work/renew.out" 2>"$work/renew.log" ||
        failed "renewal: $(cat "$work/renew.log")"
    grep -q "^enrolled as KIOSK-0002, certificate until 20" "$work/renew.out" ||
        failed "renewal said: $(cat "$work/renew.out")"
    [ "$(sha256sum <"$state/terminal.key")" != "$old_key" ] || failed "the renewal kept the old key"
    # The codes are in no log.
    ! grep -r -a -q -F -e "$digits" -e "${renewal// /}" "$work"/*.log ||
        failed "an activation code is in a log"
    ;;
pair)
    script="" # the terminal runs below: not paired, paired, revoked
    state="$work/state/desk"
    cat >"$work/kiosk.toml" <<TOML
[gateway]
url = "$gateway"
ca = "$work/pki/tls/ca.pem"
cert = "$work/pki/tls/terminal.pem"
key = "$work/pki/tls/terminal.key"

[desk]
url = "$desk"
ca = "$state/desk-ca.pem"
cert = "$state/desk.pem"
key = "$state/desk.key"

[sim]
pki = "$work/pki"
TOML
    printf '24680\n' | terminal staff add s01 --role admin >/dev/null 2>"$work/staff-add.log" ||
        failed "staff add"
    # 1. A code from the desk (as its 端末の接続 page makes it).
    code=$("$build/desk/uketsuke-desk" --pki "$work/pki" --data "$work/desk" pair-code KIOSK-0001 \
        2>"$work/pair-code.log" | sed -n 's/^pairing code for KIOSK-0001: \(.*\) until .*/\1/p')
    digits=${code// /}
    case $digits in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;;
    *) failed "pairing code '$code'" ;; esac
    # 2. Not paired: not ready, saying how to pair; an administrator pairs it on the staff
    #    menu, and 再起動 ends the run with 75.
    printf '%s\n' "expect-screen not_ready" "expect-text screen.not_ready.pair" \
        "screenshot not-paired" "staff-gesture" "expect-screen staff:enter_pin" "type 24680" \
        "tap ok" "expect-screen staff:menu:home" "tap staff-pair" "expect-screen staff:menu:pair" \
        "type $digits" "tap staff-enrol-submit" "expect-text staff.pair.done" "screenshot paired" \
        "tap staff-restart" >"$work/pair.script"
    status=0
    terminal "${printer[@]}" --headless --script "$work/pair.script" \
        --screenshots "$work/shots" 2>"$work/kiosk-pairing.log" || status=$?
    [ "$status" = 75 ] || failed "the pairing run ended with $status, not 75 (restart)"
    grep -q "staff.audit: pair staff=s01" "$work/kiosk-pairing.log" || failed "no audit line pair"
    grep -q "staff.audit: paired KIOSK-0001 staff=s01" "$work/kiosk-pairing.log" ||
        failed "no audit line paired"
    [ "$(stat -c %a "$state/desk.key")" = 600 ] || failed "the desk key is not 0600"
    openssl verify -CAfile "$state/desk-ca.pem" "$state/desk.pem" >/dev/null ||
        failed "the desk certificate does not chain to desk.ca"
    openssl x509 -in "$state/desk.pem" -noout -issuer | grep -q "pairing CA" ||
        failed "the desk certificate is not from the desk's pairing CA"
    # 3. Paired: it checks a patient in at the desk.
    terminal "${printer[@]}" --headless --script "$source/assets/demo/checkin.script" \
        2>"$work/kiosk-paired.log" || failed "the paired terminal's check-in did not hold"
    [ "$(sqlite3 "$work/desk/desk.sqlite3" "SELECT count(*) FROM checkins WHERE terminal_id = 'KIOSK-0001'")" = 1 ] ||
        failed "the desk holds no check-in from the paired terminal"
    # 4. The used code is refused.
    status=0
    printf '%s\n' "$code" | terminal pair >"$work/pair-again.out" 2>"$work/pair-again.log" ||
        status=$?
    [ "$status" = 1 ] || failed "pairing with a used code ended with $status"
    grep -q "pairing_refused" "$work/pair-again.log" || failed "the used code: $(cat "$work/pair-again.log")"
    # 5. An administrator revokes it through the desk's API; its next check-in is refused and
    #    stays on the terminal.
    admin_password="e2e-$$-$RANDOM"
    printf '%s\n' "$admin_password" |
        "$build/desk/uketsuke-desk" user add admin1 --role admin --data "$work/desk" >/dev/null 2>&1 ||
        failed "desk user add"
    status=$(curl -sS --cacert "$work/pki/tls/ca.pem" -c "$work/cookies" -o /dev/null \
        -w '%{http_code}' --data-urlencode name=admin1 \
        --data-urlencode "password=$admin_password" "$desk/login") || failed "desk log-in"
    [ "$status" = 303 ] || failed "desk log-in answered $status"
    csrf=$(curl -sS --fail --cacert "$work/pki/tls/ca.pem" -b "$work/cookies" "$desk/api/v1/session" |
        sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
    [ -n "$csrf" ] || failed "no CSRF token from the desk"
    revoked=$(curl -sS --fail --cacert "$work/pki/tls/ca.pem" -b "$work/cookies" \
        -H "X-CSRF-Token: $csrf" -H "Content-Type: application/json" \
        --data '{"terminal_id":"KIOSK-0001"}' "$desk/api/v1/pairing/revoke") || failed "revoke"
    echo "$revoked" | grep -q '"status":"revoked"' || failed "revoke answered $revoked"
    terminal "${printer[@]}" --headless --script "$source/assets/demo/checkin.script" \
        2>"$work/kiosk-revoked.log" || failed "the revoked terminal's check-in run did not hold"
    [ "$(sqlite3 "$work/desk/desk.sqlite3" "SELECT count(*) FROM checkins")" = 1 ] ||
        failed "the desk took a check-in from a revoked terminal"
    grep -q "terminal_revoked" "$work/desk.log" "$work/kiosk-revoked.log" ||
        failed "nobody logged the revocation's refusal"
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" "SELECT count(*) FROM outbox")" = 1 ] ||
        failed "the refused check-in is not kept in the terminal's outbox"
    # 6. A new code, paired from a shell: the terminal is back, and the check-in it kept
    #    reaches the desk with the next one.
    again=$("$build/desk/uketsuke-desk" --pki "$work/pki" --data "$work/desk" pair-code KIOSK-0001 \
        2>>"$work/pair-code.log" | sed -n 's/^pairing code for KIOSK-0001: \(.*\) until .*/\1/p')
    [ -n "$again" ] || failed "no second pairing code"
    printf '%s\n' "$again" | terminal pair >"$work/pair.out" 2>"$work/pair.log" ||
        failed "pairing again: $(cat "$work/pair.log")"
    grep -q "^paired as KIOSK-0001, certificate until 20" "$work/pair.out" ||
        failed "pairing again said: $(cat "$work/pair.out")"
    terminal "${printer[@]}" --headless --script "$source/assets/demo/checkin.script" \
        2>"$work/kiosk-repaired.log" || failed "the re-paired terminal's check-in did not hold"
    [ "$(sqlite3 "$work/desk/desk.sqlite3" "SELECT count(*) FROM checkins WHERE terminal_id = 'KIOSK-0001'")" = 3 ] ||
        failed "the desk does not hold all three check-ins after the new pairing"
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" "SELECT count(*) FROM outbox")" = 0 ] ||
        failed "the terminal's outbox is not empty after the new pairing"
    # The codes are in no log.
    ! grep -r -a -q -F -e "$digits" -e "${again// /}" "$work"/*.log ||
        failed "a pairing code is in a log"
    ;;
*) echo "unknown case $case" >&2; exit 2 ;;
esac

if [ -n "$script" ] && ! "$build/ui/uketsuke-kiosk" "${extra[@]}" --pki "$work/pki" --gateway "$gateway" --desk "$desk" \
    --data "$work/kiosk" "${printer[@]}" --headless --script "$script" \
    --screenshots "$work/shots" 2>"$work/kiosk.log"; then
    failed "the kiosk script did not hold"
fi

rows() {
    sqlite3 "$work/desk/desk.sqlite3" "$1"
}

case $case in
voice)
    grep -q "sound on: disk" "$work/kiosk.log" || failed "the disk audio driver was not used"
    for sound in earcon.card voice.place_card voice.enter_pin earcon.done voice.result \
        voice.remove_card.reminder; do
        grep -q "playing $sound " "$work/kiosk.log" || failed "no '$sound' in the log"
    done
    # The recording (48 kHz mono, 16 bit) holds sound, not only silence.
    [ -s "$work/audio.raw" ] || failed "nothing was written to $work/audio.raw"
    loudest=$(od -An -v -t d2 -w2 "$work/audio.raw" |
        awk '{ v = $1 < 0 ? -$1 : $1; if (v > m) m = v } END { print m + 0 }')
    [ "$loudest" -gt 3000 ] || failed "the recording is silent (loudest sample $loudest)"
    # Muted: no device is opened and nothing is written.
    printf '[sound]\nmute = true\ncache_dir = "%s"\n' "$work/voice" >"$work/muted.toml"
    printf 'expect-screen idle\ntap start\nexpect-screen place_card\ntap cancel\nexpect-screen idle\n' \
        >"$work/muted.script"
    SDL_DISKAUDIOFILE="$work/muted.raw" "$build/ui/uketsuke-kiosk" --config "$work/muted.toml" \
        --pki "$work/pki" --gateway "$gateway" --desk "$desk" --data "$work/kiosk" \
        "${printer[@]}" --headless --script "$work/muted.script" 2>"$work/muted.log" ||
        failed "the muted run's script did not hold"
    grep -q "sound off (sound.mute)" "$work/muted.log" || failed "the muted run did not say so"
    [ ! -e "$work/muted.raw" ] || failed "the muted run wrote sound"
    ! grep -q "playing " "$work/muted.log" || failed "the muted run played something"
    ;;
display)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] ||
        failed "expected exactly one check-in at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    [ "$(rows 'SELECT outcome FROM checkins')" = valid ] || failed "outcome is not valid"
    grep -q "display: large text on, high contrast on" "$work/kiosk.log" ||
        failed "the kiosk never drew large text with high contrast"
    grep -q "display: large text off, high contrast off" "$work/kiosk.log" ||
        failed "the kiosk did not go back to the normal display"
    for shot in place-card-large enter-pin-large-contrast result-large-contrast; do
        ls "$work/shots"/*-"$shot".png >/dev/null 2>&1 || failed "no screenshot $shot"
    done
    # A clinic that wants large text for everyone: each patient starts with it, and a patient
    # who switched it off and gave up leaves it on for the next.
    printf '[ui]\nlarge_text = true\n' >"$work/large.toml"
    printf '%s\n' 'expect-screen idle' 'expect-display large-text=on high-contrast=off' \
        'tap large-text' 'expect-display large-text=off' 'tap start' 'expect-screen place_card' \
        'tap cancel' 'expect-screen idle' 'expect-display large-text=on high-contrast=off' \
        >"$work/large.script"
    "$build/ui/uketsuke-kiosk" --config "$work/large.toml" --pki "$work/pki" \
        --gateway "$gateway" --desk "$desk" --data "$work/kiosk" "${printer[@]}" --headless \
        --script "$work/large.script" 2>"$work/large.log" ||
        failed "large.script (ui.large_text = true) did not hold"
    ;;
visual)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] ||
        failed "expected exactly one check-in at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    [ "$(rows 'SELECT method FROM checkins')" = visual ] ||
        failed "method at the desk: '$(rows 'SELECT method FROM checkins')'"
    [ "$(rows 'SELECT outcome FROM checkins')" = valid ] || failed "outcome is not valid"
    [ "$(rows "SELECT json_extract(body, '$.staff_id') FROM checkins")" = s01 ] ||
        failed "the desk does not hold who confirmed: '$(rows "SELECT json_extract(body, '$.staff_id') FROM checkins")'"
    receipt=$(rows 'SELECT receipt_number FROM checkins')
    grep -l -q -- "$receipt" "$work/slips"/slip-*.txt 2>/dev/null || failed "no slip for $receipt"
    grep -q "visual_confirm staff=s01" "$work/kiosk.log" || failed "no audit line of the confirmation"
    # The gateway was asked with the visual identification, and the PIN screen never came.
    grep -q "confirm [0-9a-f]* (visual): outcome valid" "$work/kiosk.log" ||
        failed "no visual confirmation at the gateway"
    ! grep -q -e "-> enter_pin" "$work/kiosk.log" || failed "the PIN screen was shown"
    # The staff PIN and the patient's name are in no log.
    ! grep -r -a -q -F -e 24680 "$work"/*.log || failed "the staff PIN is in a log"
    name=$(rows "SELECT name FROM checkins")
    [ -n "$name" ] || failed "the check-in has no name"
    ! grep -r -a -q -F -e "$name" "$work"/*.log || failed "the patient's name is in a log"
    # 2. A locked PIN: the patient calls staff from its screen; staff confirm by the photo.
    printf '[sim]\npersona = "blocked"\n' >"$work/locked.toml"
    "$build/ui/uketsuke-kiosk" --config "$work/locked.toml" --pki "$work/pki" \
        --gateway "$gateway" --desk "$desk" --data "$work/kiosk" "${printer[@]}" --headless \
        --script "$source/tests/e2e/visual-locked.script" --screenshots "$work/shots" \
        2>"$work/kiosk-locked.log" || failed "visual-locked.script did not hold"
    [ "$(rows "SELECT count(*) FROM checkins WHERE method = 'visual' AND outcome = 'valid'")" = 2 ] ||
        failed "the locked card's check-in is not a valid visual one: $(rows 'SELECT method, outcome FROM checkins')"
    [ "$(rows "SELECT count(*) FROM checkins WHERE body LIKE '%\"problem\"%'")" = 0 ] ||
        failed "a visual check-in carries a problem"
    grep -q "call c-" "$work/kiosk-locked.log" || failed "the patient's call was not made"
    grep -q "confirm [0-9a-f]* (visual): outcome valid" "$work/kiosk-locked.log" ||
        failed "no visual confirmation of the locked card at the gateway"
    ! grep -q -e "-> enter_pin" "$work/kiosk-locked.log" || failed "the PIN screen was shown"
    ls "$work/shots" | grep -q -- "-locked-calling.png" || failed "no screenshot of the locked screen"
    ;;
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
    key=$(rows 'SELECT idempotency_key FROM checkins')
    grep -q "QR(M,[0-9]*):$key\$" "$slip" || failed "the slip's QR code is not the check-in id $key"
    [ -s "$work/shots/$(ls "$work/shots" | grep -m1 result)" ] || failed "no screenshot of the result"
    # The outbox keeps personal data only until the desk acknowledged it.
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo x)" = 0 ] ||
        failed "the terminal's outbox still holds the delivered check-in"
    ;;
escpos)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] ||
        failed "expected exactly one check-in at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    receipt=$(rows 'SELECT receipt_number FROM checkins')
    key=$(rows 'SELECT idempotency_key FROM checkins')
    # The kiosk reported the slip printed (GS r answered) before the script ended; the
    # simulator writes the .txt last, so its presence means both files are complete.
    dump="$work/printed/slip-0001.txt"
    [ -s "$dump" ] || failed "the simulator printed no slip"
    grep -qx "\[center\]\[4x4\]$receipt" "$dump" || failed "the dump does not show receipt $receipt"
    grep -qx "\[center\]受付番号" "$dump" || failed "the dump has no 受付番号 line"
    grep -qx "\[center\]さくら整骨院" "$dump" || failed "the dump has no clinic name"
    grep -q "^\[center\]QR(M,6):$key\$" "$dump" || failed "the dump's QR code is not the check-in id $key"
    if command -v zbarimg >/dev/null; then
        qr=$(zbarimg --raw -q "$work/printed/slip-0001.png") || failed "zbarimg found no QR code"
        [ "$qr" = "$key" ] || failed "the QR code decodes to '$qr', the desk stored '$key'"
    else
        echo "zbarimg not installed (Debian zbar-tools): the QR decode is not checked" >&2
    fi
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
    key=$(rows 'SELECT idempotency_key FROM checkins')
    grep -q "QR(M,[0-9]*):$key\$" "$slip" || failed "the slip's QR code is not the check-in id $key"
    ls "$work/shots" | grep -q enter_insurance || failed "no screenshot of the form"
    # The request and its answer (personal data) are gone from the folders.
    [ -z "$(find "$work/oqs" -type f)" ] ||
        failed "files left in the 資格確認端末 folders: $(find "$work/oqs" -type f)"
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo x)" = 0 ] ||
        failed "the terminal's outbox still holds the delivered check-in"
    ;;
canary)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] || failed "expected one check-in at the desk"
    # The PIN: in no file at all, except where the test itself wrote it (the personas, which
    # hold every card's PIN, and the script). Binary files too: grep -a reads them as bytes.
    # Searched as a number of its own (no digit, hex digit or '.' next to it: a port 40962 or a
    # time 10.0962 is not the PIN), and as the hex of its ASCII (an APDU written out). The card
    # PIN starts with 0 and is no date or time (09:62), so no count, port or time prints it.
    for pin in 0962 86420975 97318642; do
        pattern="(?<![0-9A-Fa-f.])$pin(?![0-9A-Fa-f])"
        hex=$(printf '%s' "$pin" | od -An -tx1 | tr -d ' \n')
        spaced=$(printf '%s' "$pin" | od -An -tx1 | sed 's/^ //' | tr -d '\n')
        # The search finds the PIN where a leak would put it (its own script, the personas).
        grep -q -a -P "$pattern" "$source/tests/e2e/canary.script" "$work/pki/personas.json" ||
            failed "the canary search does not find $pin where it was written"
        leaks=$(grep -r -a -l -P "$pattern" "$work" --exclude=personas.json --exclude='*.script' \
            --exclude-dir=pki || true)
        leaks+=$(grep -r -a -l -i -F -e "$hex" -e "$spaced" "$work" --exclude-dir=pki || true)
        [ -z "$leaks" ] || failed "the canary PIN $pin is in: $leaks"
    done
    grep -q "unlock staff=canary-admin" "$work/kiosk.log" ||
        failed "the staff menu was not unlocked (no audit line)"
    # The name: in no log, no temporary file, not in the desk's audit log, and gone from the
    # terminal's data (outbox, its WAL and free pages) once the desk acknowledged the check-in.
    leaks=$(grep -r -a -l -F "期限 近子" "$work"/*.log "$work/kiosk" "$work/tmp" \
        "$work/desk/accounts.sqlite3" || true)
    [ -z "$leaks" ] || failed "the canary name is in: $leaks"
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
outcomes)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 7 ] ||
        failed "expected 7 check-ins at the desk, found $(rows 'SELECT count(*) FROM checkins')"
    [ "$(rows 'SELECT count(DISTINCT receipt_number) FROM checkins')" = 7 ] ||
        failed "receipt numbers repeat: $(rows 'SELECT receipt_number FROM checkins')"
    # (pin_forgotten twice: at the last try, and 暗証番号がわからない on the keypad)
    for expected in pin_locked:1 pin_forgotten:2 certificate_expired:1 certificate_revoked:1 \
        service_unreachable:1; do
        problem=${expected%:*}
        [ "$(rows "SELECT count(*) FROM checkins WHERE outcome = 'unconfirmed' AND body LIKE '%\"problem\":\"$problem\"%'")" = "${expected#*:}" ] ||
            failed "not ${expected#*:} unconfirmed check-in(s) with problem $problem at the desk"
    done
    [ "$(rows "SELECT count(*) FROM checkins WHERE outcome = 'not_found'")" = 1 ] ||
        failed "no single not_found check-in at the desk"
    # One slip per check-in, each with its own number (the terminal's letter, KIOSK-0001: A).
    slips=$(ls "$work/slips"/slip-*.txt 2>/dev/null | wc -l)
    [ "$slips" = 7 ] || failed "expected 7 slips, found $slips"
    for receipt in $(rows 'SELECT receipt_number FROM checkins'); do
        case $receipt in A-[0-9][0-9][0-9][0-9]) ;; *) failed "receipt number '$receipt'" ;; esac
        [ "$(grep -lx -- "\[center\]\[4x4\]$receipt" "$work/slips"/slip-*.txt | wc -l)" = 1 ] ||
            failed "receipt $receipt is not on exactly one slip"
    done
    # The outage slip says what to show or fill in at the desk instead.
    outage=$(rows "SELECT receipt_number FROM checkins WHERE body LIKE '%service_unreachable%'")
    slip=$(grep -lx -- "\[center\]\[4x4\]$outage" "$work/slips"/slip-*.txt)
    for paper in 資格確認書 資格情報のお知らせ マイナポータル 被保険者資格申立書; do
        # (a line may break inside a word: the slip's text joined)
        tr -d '\n' <"$slip" | grep -q "$paper" || failed "the outage slip does not name $paper"
    done
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo x)" = 0 ] ||
        failed "the terminal's outbox still holds delivered check-ins"
    ;;
staff)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] || failed "expected one check-in at the desk"
    # The patient's slip and the test slip.
    slips=$(ls "$work/slips"/slip-*.txt 2>/dev/null | wc -l)
    [ "$slips" = 2 ] || failed "expected 2 slips (the patient's and the test slip), found $slips"
    for action in unlock test_card test_printer test_network send_now lock; do
        grep -q "staff.audit: $action staff=s01" "$work/kiosk.log" || failed "no audit line $action"
    done
    for shot in staff-devices-tested staff-today; do
        ls "$work/shots" | grep -q -- "-$shot.png" || failed "no screenshot of $shot"
    done
    ! grep -q 24680 "$work/kiosk.log" || failed "the staff PIN is in the log"
    # The same lines in the desk's audit log, from this terminal, by s01; none left behind.
    audit() {
        sqlite3 "$work/desk/accounts.sqlite3" "$1"
    }
    for action in unlock test_card test_printer test_network send_now lock; do
        [ "$(audit "SELECT count(*) FROM audit WHERE terminal = 'KIOSK-0001' AND account = 's01' AND action = '$action'")" = 1 ] ||
            failed "the desk's audit log has no single line $action from KIOSK-0001"
    done
    [ "$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM staff_audit')" = 0 ] ||
        failed "audit lines are still waiting in the terminal's outbox"
    ! audit 'SELECT * FROM audit' | grep -q 24680 || failed "the staff PIN is in the desk's audit log"
    ;;
consent)
    [ "$(rows 'SELECT count(*) FROM checkins')" = 1 ] || failed "expected one check-in at the desk"
    [ "$(rows 'SELECT outcome FROM checkins')" = valid ] || failed "outcome is not valid"
    # The desk: the answers as the terminal asked them.
    answers=$(rows "SELECT json_extract(body, '\$.consent.diagnosis_pharmacists') || ',' ||
        json_extract(body, '\$.consent.operation') || ',' ||
        ifnull(json_extract(body, '\$.consent.limit_application'), '-') FROM checkins")
    [ "$answers" = "agreed,declined,-" ] || failed "the desk's consent answers: $answers"
    # The gateway: its result records the consents the confirm request carried.
    person='$.qualification.MessageBody.ResultList[0]'
    flags=$(rows "SELECT json_extract(body, '$person.DiagnosisInfoConsFlg') || ',' ||
        json_extract(body, '$person.PharmacistsInfoConsFlg') || ',' ||
        json_extract(body, '$person.OperationInfoConsFlg') || ',' ||
        json_extract(body, '$person.SpecificHealthCheckupsInfoConsFlg') FROM checkins")
    [ "$flags" = "1,1,0,0" ] || failed "the gateway's consent flags (diag,pharm,op,checkups): $flags"
    ls "$work/shots" | grep -q consent-first || failed "no screenshot of the first question"
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
