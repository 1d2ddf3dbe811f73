#!/usr/bin/env bash
# Packages: cpack packs what the build tree holds (no rebuild) into a scratch folder, then the
# .deb files are checked with dpkg-deb (contents, conffiles, dependencies, maintainer scripts),
# lintian (clean but for the shipped overrides) and systemd-analyze verify (the units).
#   check.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2

for tool in cpack dpkg-deb lintian; do
    command -v "$tool" >/dev/null ||
        { echo "FAILED: $tool missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
for program in ui/uketsuke-kiosk desk/uketsuke-desk sim/uketsuke-sim; do
    [ -x "$build/$program" ] || { echo "FAILED: $build/$program not built" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-package.XXXXXX")
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

failures=0
fail() { echo "FAILED: $*" >&2; failures=$((failures + 1)); }

SECONDS=0
cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; echo "FAILED: cpack" >&2; exit 1; }
echo "cpack: ${SECONDS} s"

deb() { ls "$work"/"$1"_*.deb; }
kiosk=$(deb uketsuke-kiosk) desk=$(deb uketsuke-desk) sim=$(deb uketsuke-sim)
common=$(deb uketsuke-common)
contents() { dpkg-deb --contents "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
field() { dpkg-deb --field "$1" "$2"; }
has() { # PACKAGE FILE...
    local package=$1 list
    list=$(contents "$package")
    shift
    for f in "$@"; do grep -qx -- "$f" <<<"$list" || fail "$(basename "$package") lacks $f"; done
}
lacks() { # PACKAGE REGEX
    if contents "$1" | grep -E -- "$2"; then fail "$(basename "$1") has $2"; fi
}

# The terminal: its program, units, rules, conffile, no simulator and nothing of vsmartcard.
has "$kiosk" /usr/bin/uketsuke-kiosk /etc/uketsuke/kiosk.toml \
    /lib/systemd/system/uketsuke-kiosk.service /lib/udev/rules.d/70-uketsuke.rules \
    /usr/lib/systemd/journald.conf.d/60-uketsuke.conf /usr/share/uketsuke/examples/kiosk.toml \
    /usr/share/doc/uketsuke-kiosk/copyright /usr/share/doc/uketsuke-kiosk/changelog.gz \
    /usr/share/lintian/overrides/uketsuke-kiosk
lacks "$kiosk" 'uketsuke-sim|uketsuke-desk|personas|/demo/|vpcd|vsmartcard|reader\.conf'
[ "$(dpkg-deb --ctrl-tarfile "$kiosk" | tar -xO ./conffiles)" = /etc/uketsuke/kiosk.toml ] ||
    fail "uketsuke-kiosk: conffiles is not /etc/uketsuke/kiosk.toml"
for dep in 'uketsuke-common (= ' fonts-noto-cjk pcscd libsdl2-2.0-0 libpcsclite1; do
    grep -qF -- "$dep" <<<"$(field "$kiosk" Depends)" ||
        fail "uketsuke-kiosk does not depend on $dep"
done
grep -qiE 'vsmartcard|vpcd|uketsuke-sim' <<<"$(field "$kiosk" Depends)" &&
    fail "uketsuke-kiosk depends on a test-only package"

# The desk.
has "$desk" /usr/bin/uketsuke-desk /etc/uketsuke/desk.toml \
    /lib/systemd/system/uketsuke-desk.service /usr/share/uketsuke/examples/desk.toml
lacks "$desk" 'uketsuke-sim|uketsuke-kiosk|vsmartcard'
[ "$(dpkg-deb --ctrl-tarfile "$desk" | tar -xO ./conffiles)" = /etc/uketsuke/desk.toml ] ||
    fail "uketsuke-desk: conffiles is not /etc/uketsuke/desk.toml"

# The shared files and the user; the simulators on their own.
has "$common" /usr/share/uketsuke/i18n/ja.json /usr/share/uketsuke/i18n/en.json \
    /usr/share/uketsuke/desk/queue.js /usr/share/uketsuke/desk/desk.css
[ "$(field "$common" Architecture)" = all ] || fail "uketsuke-common is not Architecture: all"
dpkg-deb --ctrl-tarfile "$common" | tar -xO ./postinst | grep -q 'adduser --system' ||
    fail "uketsuke-common's postinst does not create the system user"
has "$sim" /usr/bin/uketsuke-sim /usr/share/uketsuke/personas/personas.json
lacks "$sim" '^/etc/|systemd'
# The maintainer scripts parse as POSIX sh.
for p in "$kiosk" "$desk" "$common"; do
    for script in postinst postrm; do
        text=$(dpkg-deb --ctrl-tarfile "$p" | tar -xO "./$script" 2>/dev/null) || continue
        sh -n <<<"$text" || fail "$(basename "$p"): $script does not parse"
    done
done
# No file in two packages (dpkg would refuse the second).
all=$(for p in "$kiosk" "$desk" "$sim" "$common"; do contents "$p" | grep -v '/$'; done)
dupes=$(sort <<<"$all" | uniq -d)
[ -z "$dupes" ] || fail "files in more than one package: $dupes"

# lintian: no error or warning beyond the overrides the packages ship.
if ! lintian --tag-display-limit 0 --fail-on error,warning "$kiosk" "$desk" "$sim" "$common" \
    >"$work/lintian.log" 2>&1; then
    cat "$work/lintian.log" >&2
    fail "lintian"
fi

# The units, as systemd reads them (where systemd-analyze can run here).
units="$source/packaging/systemd"
if ! command -v systemd-analyze >/dev/null; then
    echo "systemd-analyze verify: skipped (no systemd-analyze)"
else
    root="$work/root"
    mkdir -p "$root"
    dpkg-deb -x "$kiosk" "$root" && dpkg-deb -x "$desk" "$root"
    # verify checks that ExecStart exists: point it at the unpacked programs.
    for unit in uketsuke-kiosk uketsuke-desk; do
        sed "s|/usr/bin/|$root/usr/bin/|" "$units/$unit.service" >"$work/$unit.service"
    done
    if SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no \
        "$work/uketsuke-kiosk.service" "$work/uketsuke-desk.service" >"$work/verify.log" 2>&1; then
        echo "systemd-analyze verify: ok"
    elif grep -qE 'Failed to (initialize|connect|create)|not been booted|Permission denied' \
        "$work/verify.log"; then
        echo "systemd-analyze verify: skipped ($(head -n 1 "$work/verify.log"))"
    else
        cat "$work/verify.log" >&2
        fail "systemd-analyze verify"
    fi
fi

[ "$failures" -eq 0 ] || exit 1
names=$(for p in "$kiosk" "$desk" "$sim" "$common"; do basename "$p"; done)
echo "packages ok:" $names
