# Shell helpers shared by scripts/demo.sh and tests/e2e: start a program in the background and
# wait for the line on stdout that says it is ready, and stop everything started on exit.
# Source it; it defines start_background, start_server and stop_servers and keeps the pids in
# SERVER_PIDS.

SERVER_PIDS=()

stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}

# start_background NAME LOGDIR READY COMMAND... : starts COMMAND in the background (its stdout in
# LOGDIR/NAME.stdout, stderr in LOGDIR/NAME.log; stop_servers stops it) and waits (at most 20 s)
# for a stdout line that begins with READY. Fails with the program's log if it exits first.
# For programs that do not listen, e.g. `uketsuke-sim oqs-terminal` ("watching DIR").
# (Not in a $(...) subshell: the pid must stay in this shell.)
start_background() {
    local name=$1 logdir=$2 ready=$3
    shift 3
    local out="$logdir/$name.stdout" err="$logdir/$name.log"
    : >"$out"
    "$@" >"$out" 2>"$err" &
    local pid=$!
    SERVER_PIDS+=("$pid")
    local i
    for i in $(seq 1 200); do
        if awk -v p="$ready" 'index($0, p) == 1 { found = 1 } END { exit !found }' "$out"; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$name exited before it was ready; its log ($err):" >&2
            cat "$err" >&2
            return 1
        fi
        sleep 0.1 # polls a file for the start-up line; bounded to 20 s
    done
    echo "$name did not say '$ready' within 20 s; see $err" >&2
    return 1
}

# start_server VAR NAME LOGDIR COMMAND... : start_background for a server that prints
# "listening https://HOST:PORT"; stores the URL in the variable VAR.
start_server() {
    local var=$1 name=$2 logdir=$3
    shift 3
    start_background "$name" "$logdir" "listening " "$@" || return 1
    local url
    url=$(sed -n 's/^listening //p' "$logdir/$name.stdout" | head -n1)
    printf -v "$var" '%s' "$url"
}
