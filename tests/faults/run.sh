#!/usr/bin/env bash
# The fault harness (docs/faults.md): the real programs together (gateway simulator, desk,
# terminal headless with its simulated reader, or the virtual card through the real pcscd and
# vpcd), rounds of check-ins with faults injected at random points, then one table: check-ins
# attempted, saved, shown to the patient, at the desk, lost, duplicated, left in the outbox,
# patients who reached the PIN without a desk record, and rounds that did not get back to idle.
#   run.sh BUILD_DIR SOURCE_DIR [ROUNDS] [SEED] [FAULTS]
# SEED "each": round n injects fault n of the list below in turn (ctest's short run covers every
# fault once; ROUNDS 0: as many rounds as faults); a number: the faults and their moments are
# drawn at random from that seed. FAULTS (names, space-separated): only these (ctest runs the
# list in two halves, one after the other).
# Exit 0 only with 0 lost, 0 duplicated, 0 stuck, 0 patients past the PIN without a desk
# record, nothing delivered to an untrusted server and an empty outbox at the end.
# Faults, one per round, chosen at random (SEED makes a run repeatable):
#   none           check-ins (three a round, two in the short run), nothing goes wrong
#   terminal-kill  SIGKILL of the terminal at a random moment (it is started again next round)
#   desk-kill      SIGKILL of the desk at a random moment; it stays down for the round
#   desk-down      the desk is down for the whole round
#   gateway-5xx    the gateway answers the next confirm with 503
#   gateway-drop   the gateway processes the next confirm, then drops the connection
#   gateway-slow   the gateway answers the next confirm after 2 s
#   gateway-junk   the gateway answers the next confirm with a body that is not JSON
#   card-pulled    the card leaves the reader right after it was placed
#   printer-paper-out, printer-cover-open, printer-offline
#                  the simulated printer's fault, set before the first check-in or while its
#                  PIN is typed, cleared after it
#   gateway-tls-untrusted  the round's gateway has a certificate of another CA
#   gateway-tls-cut        the round's gateway (openssl s_server, the gateway's own certificate)
#                          cuts the handshake: it wants a client certificate of another CA
#   desk-tls-untrusted     the round's desk has a certificate of another CA (nothing may reach it)
#   desk-tls-cut           the round's desk cuts the handshake the same way
#   clock-forward, clock-back  the terminal's wall clock (libfaketime, package faketime) jumps
#                  by a day and an hour at a random moment, and back to true at the round's end
# With root (a private network + mount namespace, pcscd and the vpcd driver), also, the card
# through the real pcscd and the virtual card (`uketsuke-sim card`):
#   pcsc-card-pulled   the card is pulled at APDU step N (0-10) of a check-in, then placed again
#   reader-unplugged   the vpcd connection is dropped (the card process SIGKILLed) on the PIN
#                      screen or during the gateway check, then back
#   pcscd-restarted    pcscd restarted between two check-ins or during the gateway check
#   disk-full          the terminal's data folder (a small tmpfs) fills up before a check-in is
#                      saved: the patient sees error:storage_failed, space comes back, Retry
set -euo pipefail
# A command that fails ends the harness (set -e): say which, as some fail without a word.
trap 'echo "run.sh: line $LINENO: exit $? (namespace: ${UKETSUKE_FAULTS_NS:-none})" >&2' ERR
build=$1 source=$2 rounds=${3:-12} seed=${4:-$$} only=${5:-}

# The card through pcscd and a full disk need a private network + mount namespace (root): the
# harness runs itself again inside one. Without it those faults are named as skipped.
if [ -z "${UKETSUKE_FAULTS_NS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
    command -v ip >/dev/null && unshare --net --mount true 2>/dev/null; then
    UKETSUKE_FAULTS_NS=1 exec unshare --net --mount bash "$0" "$@"
fi
# Check-ins per round: the one the fault meets and those after it (two in the short run).
if [ "$seed" = each ]; then RANDOM=1 per=2; else RANDOM=$seed per=3; fi
more() { local i; for ((i = 1; i < per; i++)); do "$@" || return 1; done; } # the check-ins after the first

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-faults.XXXXXX")
# shellcheck source=../../scripts/lib/servers.sh
. "$source/scripts/lib/servers.sh"
desk_pid="" pcscd_pid="" card_pid="" kiosk=""
disk=0 # the terminal's data folder is a tmpfs of its own
cleanup() {
    stop_servers
    local pid
    for pid in "$kiosk" "$card_pid" "$desk_pid" "$pcscd_pid"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
    if [ "$disk" = 1 ]; then umount "$work/kiosk" 2>/dev/null || true; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---- The namespace: loopback, a pcscd of our own with only the vpcd reader, a small disk.
pcsc=0 skipped=()
if [ -n "${UKETSUKE_FAULTS_NS:-}" ]; then
    ip link set lo up
    mkdir -p "$work/kiosk"
    mount -t tmpfs -o size=4m,mode=0755 tmpfs "$work/kiosk"
    disk=1
    vpcd=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
    if [ -x /usr/sbin/pcscd ] && [ -r "$vpcd" ]; then
        mkdir -p /run/pcscd /etc/reader.conf.d
        mount -t tmpfs -o mode=0755 tmpfs /run/pcscd
        mount -t tmpfs -o mode=0755 tmpfs /etc/reader.conf.d
        printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x8C7B\nLIBPATH      %s\nCHANNELID    0x8C7B\n' \
            "$vpcd" >/etc/reader.conf.d/vpcd
        pcsc=1
    else
        skipped+=("pcsc-* (pcscd or vsmartcard-vpcd missing)")
    fi
else
    skipped+=("pcsc-card-pulled reader-unplugged pcscd-restarted disk-full (need root for a private namespace)")
fi
faketime_lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
# A sanitized terminal (the ci and dev presets) needs ASan's runtime first in LD_PRELOAD, before
# libfaketime, or it refuses to start.
# (awk reads to the end: leaving early would let ldd die of SIGPIPE, a failure under pipefail)
asan_lib=$(ldd "$build/ui/uketsuke-kiosk" 2>/dev/null | awk '/libasan/ && !found {print $3; found = 1}' || true)
[ -r "$faketime_lib" ] || skipped+=("clock-forward clock-back (package faketime missing)")

"$build/sim/uketsuke-sim" pki --out "$work/pki" >/dev/null
start_server gateway gateway "$work" "$build/sim/uketsuke-sim" gateway --pki "$work/pki" \
    --listen 127.0.0.1:0 --allow-faults

# The TLS faults' servers: a PKI of another CA (its gateway and desk have certificates the
# terminal does not trust), and openssl s_server with our own gateway's or desk's certificate
# that asks for a client certificate of that other CA (the handshake is cut by the server).
# (One persona's card is enough there: the other CA's TLS certificates are what count.)
{ sed -n '1,/^    },$/p' "$source/assets/personas/personas.json" | sed '$ s/},$/}/'; printf '  ]\n}\n'; } \
    >"$work/one-persona.json"
"$build/sim/uketsuke-sim" pki --out "$work/pki-other" --personas "$work/one-persona.json" >/dev/null
start_server gateway_untrusted gateway-untrusted "$work" "$build/sim/uketsuke-sim" gateway \
    --pki "$work/pki-other" --listen 127.0.0.1:0
start_server desk_untrusted desk-untrusted "$work" "$build/desk/uketsuke-desk" \
    --pki "$work/pki-other" --listen 127.0.0.1:0 --data "$work/desk-untrusted"
cut_server() { # NAME CERTIFICATE-NAME: stores https://127.0.0.1:PORT in the variable NAME
    start_background "$1" "$work" "ACCEPT " openssl s_server -accept 127.0.0.1:0 \
        -cert "$work/pki/tls/$2.pem" -key "$work/pki/tls/$2.key" -Verify 1 -verify_return_error \
        -CAfile "$work/pki-other/tls/ca.pem"
    printf -v "$1" 'https://%s' "$(sed -n 's/^ACCEPT //p' "$work/$1.stdout" | head -n1)"
}
# (s_server ends after the handshake it cut: one is started for each round that needs it.)

# The desk runs outside stop_servers' list: the harness kills and restarts it, on one port.
desk_port=""
start_desk() {
    local listen="127.0.0.1:${desk_port:-0}" out="$work/desk.stdout" i
    : >"$out"
    "$build/desk/uketsuke-desk" --pki "$work/pki" --listen "$listen" --data "$work/desk" \
        >"$out" 2>>"$work/desk.log" &
    desk_pid=$!
    for i in $(seq 1 200); do
        if grep -q '^listening ' "$out"; then
            desk_port=$(sed -n 's/^listening https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out" | head -n1)
            return 0
        fi
        kill -0 "$desk_pid" 2>/dev/null || { echo "the desk did not start:" >&2; tail "$work/desk.log" >&2; exit 1; }
        sleep 0.1 # polls the desk's start-up line; bounded to 20 s
    done
    echo "the desk did not say 'listening' within 20 s" >&2
    exit 1
}
kill_desk() {
    if [ -n "$desk_pid" ]; then
        kill -KILL "$desk_pid" 2>/dev/null || true
        wait "$desk_pid" 2>/dev/null || true
        desk_pid=""
    fi
}
start_desk

gateway_fault() {
    curl -sS --fail --cacert "$work/pki/tls/ca.pem" --cert "$work/pki/tls/terminal.pem" \
        --key "$work/pki/tls/terminal.key" -H 'Content-Type: application/json' \
        "$gateway/control/faults" -d "{\"faults\": [$1]}" >/dev/null
}

# ---- pcscd and the virtual card (in the namespace only).
start_pcscd() {
    rm -f /run/pcscd/*
    /usr/sbin/pcscd --foreground >>"$work/pcscd.log" 2>&1 &
    pcscd_pid=$!
    local i
    for i in $(seq 1 400); do
        [ -S /run/pcscd/pcscd.comm ] && return 0
        sleep 0.05 # polls for pcscd's socket; bounded to 20 s
    done
    echo "pcscd did not create its socket" >&2
    exit 1
}
stop_pcscd() {
    kill "$pcscd_pid" 2>/dev/null || true
    wait "$pcscd_pid" 2>/dev/null || true
    pcscd_pid=""
}
# The card on vpcd's slot 0: connecting inserts it; SIGTERM takes it out; SIGKILL drops the
# vpcd connection as an unplugged reader does; --remove-after N pulls it at APDU N + 1.
start_card() {
    "$build/sim/uketsuke-sim" card --pki "$work/pki" --persona valid --port 35963 "$@" \
        >>"$work/card.log" 2>&1 &
    card_pid=$!
}
stop_card() {
    if [ -n "$card_pid" ]; then
        kill "${1:--TERM}" "$card_pid" 2>/dev/null || true
        wait "$card_pid" 2>/dev/null || true
        card_pid=""
    fi
}
if [ "$pcsc" = 1 ]; then start_pcscd; fi

# The terminal's screens, as its log names them ("screen NAME"): how many times SCREEN (a
# prefix: error matches error:KIND) was entered in this round's log, and a bounded wait for
# more than COUNT of them while the terminal runs.
screens() { grep -c -E "screen $1(:[a-z_:]*)?\$" "$log" || true; }
await_screen() { # SCREEN COUNT
    local i
    for i in $(seq 1 800); do
        [ "$(screens "$1")" -gt "$2" ] && return 0
        kill -0 "$kiosk" 2>/dev/null || return 1
        sleep 0.05 # polls the terminal's log for its screen line; bounded to 40 s
    done
    echo "round $round: no screen $1 within 40 s" >&2
    return 1
}
# One patient at the pcsc reader: the card is placed at idle and taken away at remove_card.
pcsc_patient() {
    local done_before idle_before
    done_before=$(screens remove_card)
    start_card "$@"
    await_screen remove_card "$done_before" || return 1
    idle_before=$(screens idle)
    stop_card
    await_screen idle "$idle_before"
}

# Short screen timeouts, so that every outcome is back at idle within seconds.
cat >"$work/kiosk.toml" <<TOML
[timeouts]
result_s = 1
message_s = 2
place_card_s = 10
enter_pin_s = 10

[network]
connect_timeout_ms = 1000
total_timeout_ms = 4000
TOML
{ printf 'reader = "pcsc"\n'; cat "$work/kiosk.toml"; } >"$work/kiosk-pcsc.toml"

checkin_lines() {
    cat <<'SCRIPT'
expect-screen idle
tap start
expect-screen place_card
insert-card
expect-screen enter_pin
type 1234
tap ok
expect-screen remove_card
remove-card
expect-screen idle
SCRIPT
}
pulled_lines() {
    cat <<'SCRIPT'
expect-screen idle
tap start
expect-screen place_card
insert-card
remove-card
expect-screen idle
SCRIPT
}
# A check-in with a printer fault set at idle or on the PIN screen (WHEN), cleared after it.
printer_lines() { # FAULT WHEN
    printf 'expect-screen idle\n'
    [ "$2" = idle ] && printf 'printer %s\n' "$1"
    printf 'tap start\nexpect-screen place_card\ninsert-card\nexpect-screen enter_pin\n'
    [ "$2" = pin ] && printf 'printer %s\n' "$1"
    printf 'type 1234\ntap ok\nexpect-screen remove_card\nremove-card\nexpect-screen idle\nprinter ok\n'
}
# At the pcsc reader the harness places and takes the card; the script types.
pcsc_lines() { printf 'expect-screen enter_pin\ntype 1234\ntap ok\nexpect-screen remove_card\n'; }

# The harness's part of a round at the pcsc reader (FAULT and MOMENT of the round): it places
# and takes the card and injects the fault when the terminal shows the screen it waits for.
drive_round() {
    local before removed pins checking done_before idle_before failed_before
    await_screen idle 0 || return 1
    case $fault in
    pcsc-card-pulled)
        before=$(screens error:card_removed) idle_before=$(screens idle)
        start_card --remove-after "$moment"
        await_screen error:card_removed "$before" || return 1
        wait "$card_pid" 2>/dev/null || true # the card process ends by itself
        card_pid=""
        await_screen idle "$idle_before" || return 1
        pcsc_patient && more pcsc_patient
        ;;
    reader-unplugged)
        before=$(screens "$moment") removed=$(screens error:card_removed)
        start_card
        await_screen "$moment" "$before" || return 1
        stop_card -KILL # unplugged: the vpcd connection dropped mid-session
        await_screen error:card_removed "$removed" || return 1
        pcsc_patient && more pcsc_patient # the reader back
        ;;
    pcscd-restarted)
        if [ "$moment" = idle ]; then
            pcsc_patient || return 1
            stop_pcscd
            start_pcscd
            more pcsc_patient
            return
        fi
        pins=$(screens enter_pin) checking=$(screens checking) done_before=$(screens remove_card)
        start_card
        await_screen checking "$checking" || return 1
        stop_pcscd
        start_pcscd
        await_screen enter_pin "$((pins + 1))" || return 1 # asked again: the card read again
        await_screen remove_card "$done_before" || return 1
        idle_before=$(screens idle)
        stop_card
        await_screen idle "$idle_before" || return 1
        more pcsc_patient
        ;;
    disk-full)
        # Fill the data folder to the last byte, then the next check-in.
        dd if=/dev/zero of="$work/kiosk/filler" bs=64k 2>/dev/null || true
        failed_before=$(screens error:storage_failed) done_before=$(screens remove_card)
        start_card
        await_screen error:storage_failed "$failed_before" || return 1
        rm -f "$work/kiosk/filler" # space again before the patient taps Retry
        await_screen remove_card "$done_before" || return 1
        idle_before=$(screens idle)
        stop_card
        await_screen idle "$idle_before" || return 1
        more pcsc_patient
        ;;
    esac
}

faults=(none terminal-kill desk-kill desk-down gateway-5xx gateway-drop gateway-slow gateway-junk
    card-pulled printer-paper-out printer-cover-open printer-offline gateway-tls-untrusted
    gateway-tls-cut desk-tls-untrusted desk-tls-cut)
[ -r "$faketime_lib" ] && faults+=(clock-forward clock-back)
[ "$pcsc" = 1 ] && faults+=(pcsc-card-pulled reader-unplugged pcscd-restarted)
[ "$disk" = 1 ] && [ "$pcsc" = 1 ] && faults+=(disk-full)
if [ -n "$only" ]; then
    # In the order given; a name given twice is drawn twice as often (the kill run:
    # "terminal-kill terminal-kill terminal-kill desk-kill"). Names that cannot run here are left
    # out (they were named as skipped above); a name that is no fault at all is an error.
    chosen=()
    for f in $only; do
        if [[ " ${faults[*]} " == *" $f "* ]]; then
            chosen+=("$f")
        elif [[ " pcsc-card-pulled reader-unplugged pcscd-restarted disk-full clock-forward clock-back " != *" $f "* ]]; then
            echo "fault harness: no fault named '$f'" >&2
            exit 2
        fi
    done
    faults=("${chosen[@]}")
    [ ${#faults[@]} -gt 0 ] || { echo "fault harness: none of '$only' can run here" >&2; exit 0; }
fi
if [ "$rounds" = 0 ]; then rounds=${#faults[@]}; fi
declare -A used
attempted=0 stuck=0 killed=0 desk_killed=0
for round in $(seq 1 "$rounds"); do
    if [ "$seed" = each ]; then
        fault=${faults[$(((round - 1) % ${#faults[@]}))]}
    else
        fault=${faults[$((RANDOM % ${#faults[@]}))]}
    fi
    used[$fault]=$((${used[$fault]:-0} + 1))
    [ -n "$desk_pid" ] || start_desk
    script="$work/round-$round.script"
    log="$work/kiosk-$round.log"
    config="$work/kiosk.toml" gw=$gateway desk="https://127.0.0.1:$desk_port" moment=""
    pre=() # before the terminal: libfaketime for the clock faults
    case $fault in
    pcsc-* | reader-unplugged | pcscd-restarted | disk-full) config="$work/kiosk-pcsc.toml" ;;
    gateway-tls-untrusted) gw=$gateway_untrusted ;;
    gateway-tls-cut) cut_server gateway_cut gateway && gw=$gateway_cut ;;
    desk-tls-untrusted) desk=$desk_untrusted ;;
    desk-tls-cut) cut_server desk_cut desk && desk=$desk_cut ;;
    clock-*)
        printf '+0\n' >"$work/clock"
        pre=(env LD_PRELOAD="${asan_lib:+$asan_lib }$faketime_lib" FAKETIME_TIMESTAMP_FILE="$work/clock"
            FAKETIME_NO_CACHE=1 DONT_FAKE_MONOTONIC=1)
        ;;
    esac
    {
        echo "timeout 30000"
        case $fault in
        card-pulled) pulled_lines; checkin_lines; more checkin_lines ;;
        printer-*)
            moment=idle; if ((RANDOM % 2)); then moment=pin; fi
            printer_lines "${fault#printer-}" "$moment"; more checkin_lines
            ;;
        pcsc-card-pulled)
            # APDU step N: 0-7 are read before the PIN screen (SELECT, SELECT, four READ BINARY
            # of the 1002-byte certificate, SELECT, the tries), 8-10 after it (VERIFY, SELECT,
            # SIGN; docs/card.md §1). The terminal says the card was removed, then idle; the
            # patient places it again.
            moment=$((RANDOM % 11))
            if [ "$moment" -ge 8 ]; then printf 'expect-screen enter_pin\ntype 1234\ntap ok\n'; fi
            printf 'expect-screen error:card_removed\n'
            pcsc_lines; more pcsc_lines
            ;;
        reader-unplugged)
            moment=enter_pin; if ((RANDOM % 2)); then moment=checking; fi
            printf 'expect-screen enter_pin\n'
            if [ "$moment" = checking ]; then printf 'type 1234\ntap ok\n'; fi
            printf 'expect-screen error:card_removed\n'
            pcsc_lines; more pcsc_lines
            ;;
        pcscd-restarted)
            moment=idle; if ((RANDOM % 2)); then moment=checking; fi
            if [ "$moment" = checking ]; then
                # The card's channel dies with pcscd: the terminal reads the card again.
                printf 'expect-screen enter_pin\ntype 1234\ntap ok\nexpect-screen checking\n'
            fi
            pcsc_lines; more pcsc_lines
            ;;
        disk-full)
            printf 'expect-screen enter_pin\ntype 1234\ntap ok\nexpect-screen error:storage_failed\n'
            printf 'tap retry\nexpect-screen remove_card\n'
            more pcsc_lines
            ;;
        *) checkin_lines; more checkin_lines ;;
        esac
        # At the pcsc reader the last card is taken away too: the script ends at idle.
        if [ "$config" = "$work/kiosk-pcsc.toml" ]; then echo "expect-screen idle"; fi
    } >"$script"
    attempted=$((attempted + per))
    case $fault in
    desk-down) kill_desk ;;
    gateway-5xx) gateway_fault '{"on": "confirm", "kind": "server_error", "status": 503, "count": 1}' ;;
    gateway-drop) gateway_fault '{"on": "confirm", "kind": "drop_connection", "count": 1}' ;;
    gateway-slow) gateway_fault '{"on": "confirm", "kind": "delay", "delay_ms": 2000, "count": 1}' ;;
    gateway-junk) gateway_fault '{"on": "confirm", "kind": "malformed_json", "count": 1}' ;;
    reader-unplugged | pcscd-restarted)
        # The gateway check lasts 2 s, so that the fault lands in it.
        [ "$moment" = checking ] &&
            gateway_fault '{"on": "challenge", "kind": "delay", "delay_ms": 2000, "count": 1}'
        ;;
    esac
    : >"$log"
    "${pre[@]}" "$build/ui/uketsuke-kiosk" --config "$config" --pki "$work/pki" \
        --gateway "$gw" --desk "$desk" --data "$work/kiosk" \
        --printer "sim:$work/slips" --headless --script "$script" 2>>"$log" &
    kiosk=$!
    driven=0 # the harness's own part of the round held (pcsc rounds)
    case $fault in
    terminal-kill | desk-kill | clock-*)
        # The fault's moment: 0.2 to 6 s into the round (an injection point, not a wait).
        sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", 0.2 + (r % 59) / 10 }')"
        case $fault in
        terminal-kill) kill -KILL "$kiosk" 2>/dev/null || true ;;
        desk-kill) if [ -n "$desk_pid" ]; then desk_killed=$((desk_killed + 1)); fi; kill_desk ;;
        clock-forward) printf '+25h\n' >"$work/clock.new" && mv "$work/clock.new" "$work/clock" ;;
        clock-back) printf '%s\n' -25h >"$work/clock.new" && mv "$work/clock.new" "$work/clock" ;;
        esac
        ;;
    pcsc-* | reader-unplugged | pcscd-restarted | disk-full)
        if drive_round; then driven=1; else kill "$kiosk" 2>/dev/null || true; fi
        ;;
    esac
    status=0
    { wait "$kiosk"; } 2>/dev/null || status=$? # (bash reports a killed job on stderr)
    stop_card
    rm -f "$work/kiosk/filler"
    if [ "$fault" = terminal-kill ] && [ "$status" = 137 ]; then
        killed=$((killed + 1))
    elif [ "$status" != 0 ] || { [ "$config" = "$work/kiosk-pcsc.toml" ] && [ "$driven" = 0 ]; }; then
        stuck=$((stuck + 1))
        echo "round $round ($fault ${moment}): the terminal's script did not hold (exit $status):" >&2
        grep -E 'script|FAILED|ERROR' "$log" | tail -n 5 >&2 || true
    fi
    [ -z "$moment" ] || echo "round $round: $fault at $moment" >>"$work/moments"
    curl -sS --cacert "$work/pki/tls/ca.pem" --cert "$work/pki/tls/terminal.pem" \
        --key "$work/pki/tls/terminal.key" -X DELETE "$gateway/control/faults" >/dev/null || true
done
kiosk=""

# The desk back, and one last terminal start to send what is still in the outbox.
[ -n "$desk_pid" ] || start_desk
printf 'expect-screen idle\n' >"$work/drain.script"
"$build/ui/uketsuke-kiosk" --config "$work/kiosk.toml" --pki "$work/pki" --gateway "$gateway" \
    --desk "https://127.0.0.1:$desk_port" --data "$work/kiosk" --printer "sim:$work/slips" \
    --headless --script "$work/drain.script" 2>"$work/kiosk-drain.log" || true

# What the terminal saved (its log line after the outbox write), what the patient saw, and
# what the desk holds.
saved_keys=$(cat "$work"/kiosk-*.log | sed -n 's/.*check-in \([^ ]*\) receipt [^ ]* outcome [^ ]* .*saved$/\1/p' | sort -u)
saved=$(printf '%s' "$saved_keys" | grep -c . || true)
shown=$(cat "$work"/kiosk-*.log | grep -c 'screen result\(:[a-z_]*\)\?$' || true)
db="$work/desk/desk.sqlite3"
at_desk=$(sqlite3 "$db" 'SELECT count(*) FROM checkins')
desk_keys=$(sqlite3 "$db" 'SELECT idempotency_key FROM checkins' | sort -u)
lost=$(comm -23 <(printf '%s\n' "$saved_keys" | grep .) <(printf '%s\n' "$desk_keys" | grep .) | grep -c . || true)
duplicated=$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT terminal_id || '/' || local_date || '/' || receipt_number) FROM checkins")
left=$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo "?")
untrusted=$(sqlite3 "$work/desk-untrusted/desk.sqlite3" 'SELECT count(*) FROM checkins' 2>/dev/null || echo 0)
# A visit: what one round's log holds from one "screen idle" to the next. A visit that reached
# the PIN (or the form) ends with a saved check-in the desk holds, or with the card taken away
# (the patient places it again: the harness's next check-in); a visit cut by a SIGKILL has no
# closing idle and does not count.
visits=$(for f in "$work"/kiosk-*.log; do
    awk '/screen idle(:[a-z_]*)?$/ { if (pin) print (key == "" ? "-" : key), removed; pin = 0; key = ""; removed = 0; next }
         /screen (enter_pin|pin_on_reader|enter_insurance)/ { pin = 1 }
         /screen error:card_removed$/ { removed = 1 }
         / check-in [0-9a-f]+ receipt .* saved$/ { for (i = 1; i <= NF; i++) if ($i == "check-in") key = $(i + 1) }' "$f"
done)
reached=$(printf '%s\n' "$visits" | grep -c . || true)
taken=$(printf '%s\n' "$visits" | awk '$1 == "-" && $2 == 1' | grep -c . || true)
unrecorded=$(printf '%s\n' "$visits" | awk '$2 == 0 { print $1 }' | grep . |
    while read -r key; do grep -qx -- "$key" <<<"$desk_keys" || echo "$key"; done | grep -c . || true)

echo
echo "fault harness: $rounds rounds, seed $seed"
printf '  faults:'
declare -A printed
for f in "${faults[@]}"; do
    [ -n "${used[$f]:-}" ] && [ -z "${printed[$f]:-}" ] && printf ' %s×%s' "$f" "${used[$f]}"
    printed[$f]=1
done
echo
for s in "${skipped[@]}"; do echo "  skipped: $s"; done
printf '  %-44s %6s\n' "check-ins attempted" "$attempted" \
    "saved by the terminal" "$saved" \
    "shown to the patient (result)" "$shown" \
    "at the desk" "$at_desk" \
    "lost (saved, not at the desk)" "$lost" \
    "duplicated at the desk" "$duplicated" \
    "left in the outbox" "$left" \
    "visits that reached the PIN" "$reached" \
    "  ended by the card taken away (placed again)" "$taken" \
    "  without a record at the desk" "$unrecorded" \
    "delivered to the untrusted desk" "$untrusted" \
    "terminal SIGKILLs" "$killed" \
    "desk SIGKILLs" "$desk_killed" \
    "rounds not back at idle" "$stuck"
[ ! -f "$work/moments" ] || sed 's/^/  /' "$work/moments"

if [ "$lost" != 0 ] || [ "$duplicated" != 0 ] || [ "$stuck" != 0 ] || [ "$left" != 0 ] ||
    [ "$unrecorded" != 0 ] || [ "$untrusted" != 0 ]; then
    echo "FAILED: the goals are 0 lost, 0 duplicated, 0 stuck, an empty outbox, a desk record" \
        "for every patient past the PIN, nothing at the untrusted desk" >&2
    for log in "$work"/desk.log "$work"/gateway.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done
    exit 1
fi
echo "fault harness: passed"
