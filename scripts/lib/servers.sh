# Shell helpers shared by scripts/demo.sh and tests/e2e: start a server that prints
# "listening https://HOST:PORT" on stdout, and stop everything started on exit.
# Source it; it defines start_server and stop_servers and keeps the pids in SERVER_PIDS.

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

# start_server VAR NAME LOGDIR COMMAND... : starts COMMAND in the background, waits (at most
# 20 s) for its "listening URL" line and stores URL in the variable VAR. Fails with the server's
# log if it exits first. (Not in a $(...) subshell: the pid must stay in this shell.)
start_server() {
    local var=$1 name=$2 logdir=$3
    shift 3
    local out="$logdir/$name.stdout" err="$logdir/$name.log"
    : >"$out"
    "$@" >"$out" 2>"$err" &
    local pid=$!
    SERVER_PIDS+=("$pid")
    local url="" i
    for i in $(seq 1 200); do
        url=$(sed -n 's/^listening //p' "$out" | head -n1)
        [ -n "$url" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$name exited before listening; its log ($err):" >&2
            cat "$err" >&2
            return 1
        fi
        sleep 0.1 # polls a file for the start-up line; bounded to 20 s
    done
    if [ -z "$url" ]; then
        echo "$name did not report its address within 20 s; see $err" >&2
        return 1
    fi
    printf -v "$var" '%s' "$url"
}
