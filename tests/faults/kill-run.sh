#!/usr/bin/env bash
# The kill run (docs/faults.md "The kill run"): the fault harness with only SIGKILLs, the
# terminal four times in five and the desk once, in LANES harnesses side by side (each in its
# own private namespace with its own servers, terminal and desk: a round mostly waits on the
# screens' pacing, so lanes share two cores well), then one table summing theirs.
#   kill-run.sh BUILD_DIR SOURCE_DIR [ROUNDS] [LANES] [SEED]
# ROUNDS in all (default 1020: at least 1 000 SIGKILLs), split between the lanes; lane n uses
# seed SEED + n. Exit 0 only when every lane passed (run.sh's goals: 0 lost, 0 duplicated,
# 0 stuck, a desk record for every patient past the PIN, an empty outbox).
set -euo pipefail
build=$1 source=$2 rounds=${3:-1020} lanes=${4:-3} seed=${5:-$RANDOM}
faults="terminal-kill terminal-kill terminal-kill terminal-kill desk-kill"

out=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-kill-run.XXXXXX")
trap 'rm -rf "$out"' EXIT
pids=()
for ((lane = 1; lane <= lanes; lane++)); do
    n=$(((rounds + lanes - lane) / lanes)) # the rounds split as evenly as they go
    bash "$source/tests/faults/run.sh" "$build" "$source" "$n" "$((seed + lane))" "$faults" \
        >"$out/lane-$lane.out" 2>"$out/lane-$lane.err" &
    pids+=($!)
done
failed=0
for ((lane = 1; lane <= lanes; lane++)); do
    if ! wait "${pids[$((lane - 1))]}"; then
        failed=1
        echo "lane $lane (seed $((seed + lane))) FAILED:" >&2
        tail -n 30 "$out/lane-$lane.err" >&2
    fi
done

# The lanes' tables, row by row (the rows are "  <label> <number>").
echo "kill run: $rounds rounds in $lanes lanes, seeds $((seed + 1))..$((seed + lanes))"
awk '/^  [-a-zA-Z ,()]+ +[0-9]+$/ {
        label = $0; sub(/ +[0-9]+$/, "", label); sub(/^  /, "", label)
        if (!(label in sum)) order[++n] = label
        sum[label] += $NF
     }
     END { for (i = 1; i <= n; i++) printf "  %-44s %6d\n", order[i], sum[order[i]] }' \
    "$out"/lane-*.out
if [ "$failed" = 0 ]; then echo "kill run: passed"; else echo "kill run: FAILED" >&2; fi
exit "$failed"
