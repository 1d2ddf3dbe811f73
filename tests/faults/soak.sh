#!/usr/bin/env bash
# The soak (docs/faults.md "Soak"): one headless terminal runs COUNT check-ins in a row against
# the gateway simulator and the desk; every EVERY check-ins it prints the terminal's resident
# memory, open file descriptors, threads and outbox depth, read from /proc and the outbox.
#   soak.sh BUILD_DIR SOURCE_DIR [COUNT] [EVERY]
# Fails when file descriptors (by more than 3) or threads (by more than 2) grew between the first sample after warm-up and the
# last (a leak that would end a terminal left running for months), or when the desk does not
# hold every check-in. Memory is printed, not asserted (a figure, like the benchmarks).
set -euo pipefail
build=$1 source=$2 count=${3:-40} every=${4:-10}

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-soak.XXXXXX")
# shellcheck source=../../scripts/lib/servers.sh
. "$source/scripts/lib/servers.sh"
kiosk=""
cleanup() {
    if [ -n "$kiosk" ]; then kill "$kiosk" 2>/dev/null || true; wait "$kiosk" 2>/dev/null || true; fi
    stop_servers
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$build/sim/uketsuke-sim" pki --out "$work/pki" >/dev/null
start_server gateway gateway "$work" "$build/sim/uketsuke-sim" gateway --pki "$work/pki" \
    --listen 127.0.0.1:0
start_server desk desk "$work" "$build/desk/uketsuke-desk" --pki "$work/pki" \
    --listen 127.0.0.1:0 --data "$work/desk"

# The default timeouts: each check-in leaves its result screen by `tap done`. A short result_s
# raced that tap on a loaded machine (the screen timed out to remove_card between the press and
# its release, and the script failed).
# No tap guard: the script taps as soon as a button shows (a check-in takes about 0.4 s instead
# of 1.5 s; the guard is a patient's protection against a double tap, not what the soak measures).
printf '[ui]\ntap_guard_ms = 0\n' >"$work/kiosk.toml"
# One check-in more than COUNT: the terminal is still at work when the sample at COUNT is read
# (a sample taken while it shuts down would show its memory freed and a thread gone).
total=$((count + 1))
{
    echo "timeout 30000"
    for _ in $(seq 1 "$total"); do
        cat <<'SCRIPT'
expect-screen idle
tap start
expect-screen place_card
insert-card
expect-screen enter_pin
type 1234
tap ok
expect-screen result
tap done
expect-screen remove_card
remove-card
SCRIPT
    done
    echo "expect-screen idle"
} >"$work/soak.script"

: >"$work/kiosk.log" # there before the first look at it
"$build/ui/uketsuke-kiosk" --config "$work/kiosk.toml" --pki "$work/pki" --gateway "$gateway" \
    --desk "$desk" --data "$work/kiosk" --printer "sim:$work/slips" --headless \
    --script "$work/soak.script" 2>"$work/kiosk.log" &
kiosk=$!

saved() { grep -c ' saved$' "$work/kiosk.log" || true; }
sample() { # check-ins rss_kb fds threads outbox; fails once the terminal has ended
    local rss threads fds depth
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$kiosk/status" 2>/dev/null) || return 1
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$kiosk/status" 2>/dev/null) || return 1
    fds=$(ls "/proc/$kiosk/fd" 2>/dev/null | wc -l)
    depth=$(sqlite3 "$work/kiosk/outbox.sqlite3" 'SELECT count(*) FROM outbox' 2>/dev/null || echo "?")
    [ -n "$rss" ] && [ -n "$threads" ] && kill -0 "$kiosk" 2>/dev/null || return 1
    echo "$1 $rss $fds $threads $depth"
}

echo "soak: $count check-ins, a sample every $every"
printf '  %10s %10s %6s %8s %7s\n' check-ins "RSS (KiB)" fds threads outbox
samples=()
next=$every
while kill -0 "$kiosk" 2>/dev/null; do
    done_count=$(saved)
    if [ "$done_count" -ge "$next" ] && [ "$next" -le "$count" ]; then
        line=$(sample "$done_count") || break
        samples+=("$line")
        # shellcheck disable=SC2086
        printf '  %10s %10s %6s %8s %7s\n' $line
        next=$((next + every))
    fi
    sleep 0.2 # samples /proc while the terminal runs; the run's end is its exit, not a time
done
status=0
wait "$kiosk" || status=$?
kiosk=""
[ "$status" = 0 ] || { echo "FAILED: the terminal's script did not hold (exit $status)" >&2; tail -n 20 "$work/kiosk.log" >&2; exit 1; }

at_desk=$(sqlite3 "$work/desk/desk.sqlite3" 'SELECT count(*) FROM checkins')
echo "  at the desk: $at_desk of $total"
[ "$at_desk" = "$total" ] || { echo "FAILED: the desk holds $at_desk of $total check-ins" >&2; exit 1; }
if [ ${#samples[@]} -ne $((count / every)) ]; then
    echo "FAILED: ${#samples[@]} samples of $((count / every)) were read while the terminal ran" >&2
    exit 1
fi
if [ ${#samples[@]} -lt 2 ]; then
    echo "FAILED: fewer than two samples; raise COUNT or lower EVERY" >&2
    exit 1
fi
read -r _ rss0 fds0 threads0 _ <<<"${samples[0]}"
read -r _ rss1 fds1 threads1 _ <<<"${samples[${#samples[@]} - 1]}"
echo "  after warm-up → last sample: RSS $((rss1 - rss0)) KiB, fds $((fds1 - fds0)), threads $((threads1 - threads0))"
# A little slack for what comes and goes (a connection being opened, a resolver thread); a leak
# of one per check-in shows as dozens.
if [ "$fds1" -gt $((fds0 + 3)) ] || [ "$threads1" -gt $((threads0 + 2)) ]; then
    echo "FAILED: file descriptors or threads grew" >&2
    exit 1
fi
echo "soak: passed"
