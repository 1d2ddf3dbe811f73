#!/usr/bin/env bash
# Runs every libFuzzer target for a set time (docs/fuzzing.md "Campaign"), each on a scratch
# copy of its seed corpus, and prints one line per target: executions, executions per second,
# corpus size, and whether it found a crash (the crashing input is kept in OUT/<target>/).
#   scripts/fuzz-campaign.sh [SECONDS_PER_TARGET] [TARGET...]
# FUZZ_RUNS=N also stops a target after N executions (e.g. 10000000 for the small parsers);
# FUZZ_MAX_LEN=N caps the input length (libFuzzer -max_len; a small parser needs no 4 KB inputs).
# Builds the `fuzz` preset (clang 16) first. Not part of `make test`.
# ASan keeps 16 MB of freed memory in quarantine, not 256 MB: libFuzzer's leak check scans it
# after every input whose mallocs and frees differ (OpenSSL's reused error buffers), which
# made the card and certificate targets several times slower (docs/fuzzing.md).
set -euo pipefail
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
cd "$(dirname "$0")/.."
seconds=${1:-120}
shift || true
out=${OUT:-out/fuzz-campaign}

cmake --preset fuzz >/dev/null
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
    # Every target the fuzz build has (fuzz_headless_script needs the UI, which the preset
    # leaves out): the others are named, not run.
    known=$(cmake --build --preset fuzz --target help 2>/dev/null | sed -n 's/^\(fuzz_[a-z_0-9]*\):.*/\1/p')
    for target in $(ls tests/fuzz/corpus); do
        if grep -qx "$target" <<<"$known"; then
            targets+=("$target")
        else
            echo "$target: not in the fuzz build (skipped)"
        fi
    done
fi
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]}"

mkdir -p "$out"
printf '%-26s %14s %10s %8s %s\n' target executions exec/s corpus result
failed=0
for target in "${targets[@]}"; do
    dir="$out/$target"
    rm -rf "$dir"
    mkdir -p "$dir/corpus"
    cp tests/fuzz/corpus/"$target"/* "$dir/corpus/"
    status=0
    (cd "$dir" && "$OLDPWD/build/fuzz/tests/fuzz/$target" corpus -max_total_time="$seconds" \
        -print_final_stats=1 -rss_limit_mb=4096 ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
        ${FUZZ_MAX_LEN:+-max_len=$FUZZ_MAX_LEN} >fuzz.log 2>&1) || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log" | tail -n1)
    files=$(ls "$dir/corpus" | wc -l)
    result=ok
    if [ "$status" != 0 ]; then
        result="CRASH (see $dir/fuzz.log and $dir/crash-*)"
        failed=1
    fi
    printf '%-26s %14s %10s %8s %s\n' "$target" "${runs:-?}" "${rate:-?}" "$files" "$result"
done
exit $failed
