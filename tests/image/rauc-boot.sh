#!/usr/bin/env bash
# image: rauc-boot — RAUC's custom boot loader backend of the image (image/debian/overlay/usr/
# lib/uketsuke-image/rauc-boot.sh) on a scratch EFI partition, EFI variable directory and kernel
# command line, through an update's life: installed slot tried once (systemd-boot's one-shot
# entry, in the format the boot loader reads), made the default when it marks itself good, the
# previous slot booted again when it does not.
#   tests/image/rauc-boot.sh SOURCE_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
backend=$src/image/debian/overlay/usr/lib/uketsuke-image/rauc-boot.sh
scratch=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-rauc-boot.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

export UKETSUKE_ESP=$scratch/esp UKETSUKE_EFIVARS=$scratch/efivars
export UKETSUKE_CMDLINE=$scratch/cmdline
mkdir -p "$UKETSUKE_ESP/loader/entries" "$UKETSUKE_EFIVARS"
printf 'default a.conf\ntimeout 0\neditor no\n' >"$UKETSUKE_ESP/loader/loader.conf"
for s in a b; do
    printf 'title Uketsuke\nlinux /X/vmlinuz\noptions root=LABEL=root-%s ro\n' "$s" \
        >"$UKETSUKE_ESP/loader/entries/$s.conf"
done
oneshot=$UKETSUKE_EFIVARS/LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
b() { sh "$backend" "$@"; }
boot() { # SLOT: what systemd-boot and the kernel do at a boot of SLOT
    rm -f "$oneshot"
    echo "BOOT_IMAGE=/x initrd=\\X\\initrd.img root=LABEL=root-$1 ro rauc.slot=$2 quiet" \
        >"$UKETSUKE_CMDLINE"
}
expect() { # WHAT EXPECTED ACTUAL
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}
default() { sed -n 's/^default //p' "$UKETSUKE_ESP/loader/loader.conf"; }

# As flashed: slot A boots, is good and primary; B is empty, bad; no trial.
boot a A
expect "current" A "$(b get-current)"
expect "primary" A "$(b get-primary)"
expect "state A" good "$(b get-state A)"
expect "state B" bad "$(b get-state B)"
b is-trial && fail "a flashed image is not on trial"

# RAUC installs into B: marks it bad while writing, then primary.
b set-state B bad
b set-primary B
[ -f "$oneshot" ] || fail "set-primary B wrote no one-shot entry"
# attributes 7 (non-volatile, boot and runtime access), "b.conf" in UTF-16LE, a NUL
expected=$(printf '\007\000\000\000b\000.\000c\000o\000n\000f\000\000\000' | od -An -tx1)
expect "one-shot variable" "$expected" "$(od -An -tx1 <"$oneshot")"
expect "primary after install" B "$(b get-primary)"
expect "default untouched" a.conf "$(default)"
# The kiosk restarts in A before the reboot: marking A good keeps the pending try.
b set-state A good
expect "try kept" B "$(b get-primary)"
expect "default still A" a.conf "$(default)"

# The boot loader tries B once; B's kiosk starts and marks it good: B is the default.
boot b B
b is-trial || fail "B's first boot is a trial"
expect "primary during the trial" A "$(b get-primary)"
expect "state B during the trial" bad "$(b get-state B)"
out=$(b set-state B good)
[[ $out == *"now the default"* ]] || fail "mark-good said: $out"
expect "default after mark-good" b.conf "$(default)"
expect "primary after mark-good" B "$(b get-primary)"
expect "state B" good "$(b get-state B)"
b is-trial && fail "B is no longer on trial"
[ "$(sed -n 's/^timeout //p' "$UKETSUKE_ESP/loader/loader.conf")" = 0 ] ||
    fail "loader.conf lost its other lines"

# A broken update into A: tried once, never marked good, the next boot is B again.
b set-state A bad
b set-primary A
expect "primary after the second install" A "$(b get-primary)"
boot a A
b is-trial || fail "A's trial"
boot b B # the trial deadline (or a reset) rebooted: the one-shot entry is gone
expect "rolled back: primary" B "$(b get-primary)"
expect "rolled back: default" b.conf "$(default)"
expect "rolled back: A" bad "$(b get-state A)"
b is-trial && fail "back on the default: no trial"

# Choosing the default slot again cancels a pending try; mark-bad moves the default.
b set-primary A
[ -f "$oneshot" ] || fail "try of A"
b set-primary B
[ -f "$oneshot" ] && fail "set-primary of the default must cancel the try"
b set-state A good
b set-state B bad
expect "default after mark-bad" a.conf "$(default)"
expect "state B after mark-bad" bad "$(b get-state B)"

# A default that is no slot's entry (the boot test's own): no trial, and mark-good keeps it.
sed -i 's/^default .*/default boottest.conf/' "$UKETSUKE_ESP/loader/loader.conf"
boot a A
b is-trial && fail "a test entry as the default is no trial"
b set-state A good
expect "a test entry as the default is kept" boottest.conf "$(default)"

# Refusals.
b get-state C 2>/dev/null && fail "slot C accepted"
b set-state A maybe 2>/dev/null && fail "state maybe accepted"
echo "rauc-boot: ok"
