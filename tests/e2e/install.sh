#!/usr/bin/env bash
# Install: `cmake --install` into a temporary prefix, then the installed programs alone run a
# headless check-in (the demo script installed in share/uketsuke) against the installed
# simulators. The source tree, and the build tree inside it, are hidden behind an empty folder
# (a private mount namespace), so nothing can come from there.
#   install.sh BUILD_DIR SOURCE_DIR
# Exit 77 (skipped) where a mount namespace cannot be made.
set -euo pipefail
build=$1 source=$2

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-install.XXXXXX")
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

empty="$work/empty"
mkdir -p "$empty"
if ! unshare -rm true 2>/dev/null && ! unshare -m true 2>/dev/null; then
    echo "install: no mount namespace here (unshare); skipped" >&2
    exit 77
fi

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
prefix="$work/prefix"
for program in uketsuke-kiosk uketsuke-desk uketsuke-sim; do
    [ -x "$prefix/bin/$program" ] || { echo "FAILED: no $prefix/bin/$program" >&2; exit 1; }
done
for file in i18n/ja.json i18n/en.json personas/personas.json demo/checkin.script \
    examples/kiosk.toml examples/desk.toml; do
    [ -s "$prefix/share/uketsuke/$file" ] || { echo "FAILED: no share/uketsuke/$file" >&2; exit 1; }
done

# The rest runs with the source tree hidden. servers.sh is read into this shell first.
servers=$(cat "$source/scripts/lib/servers.sh")
flag=-rm
unshare -rm true 2>/dev/null || flag=-m
unshare "$flag" bash -c '
set -euo pipefail
source=$1 work=$2 prefix=$3 servers=$4
mount --bind "$work/empty" "$source"
[ -z "$(ls -A "$source")" ] || { echo "FAILED: the source tree is still visible" >&2; exit 1; }
eval "$servers"
trap stop_servers EXIT
failed() {
    echo "FAILED: $*" >&2
    for log in "$work"/*.log; do echo "--- $log" >&2; tail -n 30 "$log" >&2; done
    exit 1
}
cd "$work"
"$prefix/bin/uketsuke-sim" pki --out "$work/pki" >/dev/null
start_server gateway gateway "$work" "$prefix/bin/uketsuke-sim" gateway --pki "$work/pki" \
    --listen 127.0.0.1:0
start_server desk desk "$work" "$prefix/bin/uketsuke-desk" --pki "$work/pki" \
    --listen 127.0.0.1:0 --data "$work/desk"
"$prefix/bin/uketsuke-kiosk" --pki "$work/pki" --gateway "$gateway" --desk "$desk" \
    --data "$work/kiosk" --printer "sim:$work/slips" --headless \
    --script "$prefix/share/uketsuke/demo/checkin.script" 2>"$work/kiosk.log" ||
    failed "the installed kiosk did not check in"
count=$(sqlite3 "$work/desk/desk.sqlite3" "SELECT count(*) FROM checkins")
[ "$count" = 1 ] || failed "expected one check-in at the desk, found $count"
ls "$work/slips"/*.png >/dev/null 2>&1 || failed "no slip printed"
echo "install: the installed programs checked in with the source tree hidden"
' install "$source" "$work" "$prefix" "$servers"
# (not exec: the EXIT trap above removes the work folder)
