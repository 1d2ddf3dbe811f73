#!/usr/bin/env bash
# Runs every benchmark program of a build tree and prints its numbers.
#   tests/bench/run.sh [BUILD_DIR]      (default build/dev)
# A benchmark that cannot run here prints "skipped: ..." and exits 77; that is not a failure.
set -uo pipefail
build="${1:-build/dev}"
status=0
found=0
while IFS= read -r bench; do
    found=1
    echo "== $(basename "$bench")"
    "$bench"
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
        echo "$(basename "$bench") failed with status $rc"
        status=1
    fi
done < <(find "$build/tests/bench" -type f -executable -name 'bench_*' 2>/dev/null | sort)
if [ $found -eq 0 ]; then
    echo "no benchmark programs under $build/tests/bench (build them first)"
    exit 1
fi
exit $status
