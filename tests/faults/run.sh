#!/usr/bin/env bash
# The fault harness (docs/faults.md): the real programs together (gateway simulator, desk,
# terminal headless with its simulated reader), rounds of check-ins with faults injected at
# random points, then one table: check-ins attempted, saved, shown to the patient, at the desk,
# lost, duplicated, left in the outbox, and rounds that did not get back to idle.
#   run.sh BUILD_DIR SOURCE_DIR [ROUNDS] [SEED]
# SEED "each": round n injects fault n of the list below in turn (ctest's short run covers every
# fault once); a number: the faults and their moments are drawn at random from that seed.
# Exit 0 only with 0 lost, 0 duplicated, 0 stuck and an empty outbox at the end.
# Faults, one per round, chosen at random (SEED makes a run repeatable):
#   none           three check-ins, nothing goes wrong
#   terminal-kill  SIGKILL of the terminal at a random moment (it is started again next round)
#   desk-kill      SIGKILL of the desk at a random moment; it stays down for the round
#   desk-down      the desk is down for the whole round
#   gateway-5xx    the gateway answers the next confirm with 503
#   gateway-drop   the gateway processes the next confirm, then drops the connection
#   gateway-slow   the gateway answers the next confirm after 2 s
#   gateway-junk   the gateway answers the next confirm with a body that is not JSON
#   card-pulled    the card leaves the reader right after it was placed
set -euo pipefail
build=$1 source=$2 rounds=${3:-12} seed=${4:-$$}
if [ "$seed" = each ]; then RANDOM=1; else RANDOM=$seed; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-faults.XXXXXX")
# shellcheck source=../../scripts/lib/servers.sh
. "$source/scripts/lib/servers.sh"
desk_pid=""
cleanup() {
    stop_servers
    if [ -n "$desk_pid" ]; then kill "$desk_pid" 2>/dev/null || true; wait "$desk_pid" 2>/dev/null || true; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$build/sim/uketsuke-sim" pki --out "$work/pki" >/dev/null
start_server gateway gateway "$work" "$build/sim/uketsuke-sim" gateway --pki "$work/pki" \
    --listen 127.0.0.1:0 --allow-faults

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

faults=(none terminal-kill desk-kill desk-down gateway-5xx gateway-drop gateway-slow gateway-junk card-pulled)
declare -A used
attempted=0 stuck=0 killed=0
for round in $(seq 1 "$rounds"); do
    if [ "$seed" = each ]; then
        fault=${faults[$(((round - 1) % ${#faults[@]}))]}
    else
        fault=${faults[$((RANDOM % ${#faults[@]}))]}
    fi
    used[$fault]=$((${used[$fault]:-0} + 1))
    [ -n "$desk_pid" ] || start_desk
    script="$work/round-$round.script"
    {
        echo "timeout 30000"
        if [ "$fault" = card-pulled ]; then pulled_lines; checkin_lines; else
            checkin_lines; checkin_lines; checkin_lines; fi
    } >"$script"
    attempted=$((attempted + 3))
    case $fault in
    desk-down) kill_desk ;;
    gateway-5xx) gateway_fault '{"on": "confirm", "kind": "server_error", "status": 503, "count": 1}' ;;
    gateway-drop) gateway_fault '{"on": "confirm", "kind": "drop_connection", "count": 1}' ;;
    gateway-slow) gateway_fault '{"on": "confirm", "kind": "delay", "delay_ms": 2000, "count": 1}' ;;
    gateway-junk) gateway_fault '{"on": "confirm", "kind": "malformed_json", "count": 1}' ;;
    esac
    "$build/ui/uketsuke-kiosk" --config "$work/kiosk.toml" --pki "$work/pki" \
        --gateway "$gateway" --desk "https://127.0.0.1:$desk_port" --data "$work/kiosk" \
        --printer "sim:$work/slips" --headless --script "$script" \
        2>"$work/kiosk-$round.log" &
    kiosk=$!
    case $fault in
    terminal-kill | desk-kill)
        # The fault's moment: 0.2 to 6 s into the round (an injection point, not a wait).
        sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", 0.2 + (r % 59) / 10 }')"
        if [ "$fault" = terminal-kill ]; then
            kill -KILL "$kiosk" 2>/dev/null || true
        else
            kill_desk
        fi
        ;;
    esac
    status=0
    { wait "$kiosk"; } 2>/dev/null || status=$? # (bash reports a killed job on stderr)
    if [ "$fault" = terminal-kill ] && [ "$status" = 137 ]; then
        killed=$((killed + 1))
    elif [ "$status" != 0 ]; then
        stuck=$((stuck + 1))
        echo "round $round ($fault): the terminal's script did not hold (exit $status):" >&2
        grep -E 'script|FAILED|ERROR' "$work/kiosk-$round.log" | tail -n 5 >&2 || true
    fi
    curl -sS --cacert "$work/pki/tls/ca.pem" --cert "$work/pki/tls/terminal.pem" \
        --key "$work/pki/tls/terminal.key" -X DELETE "$gateway/control/faults" >/dev/null || true
done

# The desk back, and one last terminal start to send what is still in the outbox.
[ -n "$desk_pid" ] || start_desk
printf 'expect-screen idle\n' >"$work/drain.script"
"$build/ui/uketsuke-kiosk" --config "$work/kiosk.toml" --pki "$work/pki" --gateway "$gateway" \
    --desk "https://127.0.0.1:$desk_port" --data "$work/kiosk" --printer "sim:$work/slips" \
    --headless --script "$work/drain.script" 2>"$work/kiosk-drain.log" || true

# What the terminal saved (its log line after the outbox write), what the patient saw, and
# what the desk holds.
saved_keys=$(cat "$work"/kiosk-*.log | sed -n 's/.*check-in \([^ ]*\) receipt [^ ]* outcome [^ ]* saved.*/\1/p' | sort -u)
saved=$(printf '%s' "$saved_keys" | grep -c . || true)
shown=$(cat "$work"/kiosk-*.log | grep -c 'screen result$' || true)
db="$work/desk/desk.sqlite3"
at_desk=$(sqlite3 "$db" 'SELECT count(*) FROM checkins')
desk_keys=$(sqlite3 "$db" 'SELECT idempotency_key FROM checkins' | sort -u)
lost=$(comm -23 <(printf '%s\n' "$saved_keys" | grep .) <(printf '%s\n' "$desk_keys" | grep .) | grep -c . || true)
duplicated=$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT terminal_id || '/' || local_date || '/' || receipt_number) FROM checkins")
left=$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo "?")

echo
echo "fault harness: $rounds rounds, seed $seed"
printf '  faults:'
for f in "${faults[@]}"; do [ -n "${used[$f]:-}" ] && printf ' %s×%s' "$f" "${used[$f]}"; done
echo
printf '  %-34s %6s\n' "check-ins attempted" "$attempted" \
    "saved by the terminal" "$saved" \
    "shown to the patient (result)" "$shown" \
    "at the desk" "$at_desk" \
    "lost (saved, not at the desk)" "$lost" \
    "duplicated at the desk" "$duplicated" \
    "left in the outbox" "$left" \
    "terminal SIGKILLs" "$killed" \
    "rounds not back at idle" "$stuck"

if [ "$lost" != 0 ] || [ "$duplicated" != 0 ] || [ "$stuck" != 0 ] || [ "$left" != 0 ]; then
    echo "FAILED: the goals are 0 lost, 0 duplicated, 0 stuck, an empty outbox" >&2
    for log in "$work"/desk.log "$work"/gateway.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done
    exit 1
fi
echo "fault harness: passed"
