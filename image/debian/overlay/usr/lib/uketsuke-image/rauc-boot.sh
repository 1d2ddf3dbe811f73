#!/bin/sh
# RAUC's custom boot loader backend (/etc/rauc/system.conf, bootloader=custom) for systemd-boot
# on the EFI partition (docs/image.md "Update"). Slot X boots through loader/entries/x.conf
# (kernel and initrd under X/, root=LABEL=root-x, rauc.slot=X).
#
# - The known-good slot is loader.conf's `default`: what every boot starts unless told otherwise.
# - A newly installed slot is only tried: set-primary writes systemd-boot's one-shot EFI variable
#   LoaderEntryOneShot, which the boot loader uses for the next boot and deletes. If that boot
#   never marks itself good (`rauc status mark-good`, uketsuke-mark-good.service once the kiosk
#   is ready), the boot after it (a reset, the watchdog, uketsuke-trial-deadline.service) starts
#   the default again: the rollback.
# - mark-good of the booted slot makes it the default (set-state X good while X is booted).
# - loader/slot-states keeps "A=good" / "B=bad" for get-state.
#
#   rauc-boot.sh get-primary | get-current | set-primary X | get-state X | set-state X good|bad
#   rauc-boot.sh is-trial      (not RAUC's: exit 0 when the booted slot is not yet the default)
#
# UKETSUKE_ESP, UKETSUKE_EFIVARS and UKETSUKE_CMDLINE replace /boot/efi,
# /sys/firmware/efi/efivars and /proc/cmdline (tests/image/rauc-boot.sh).
set -eu
esp=${UKETSUKE_ESP:-/boot/efi}
efivars=${UKETSUKE_EFIVARS:-/sys/firmware/efi/efivars}
cmdline=${UKETSUKE_CMDLINE:-/proc/cmdline}
oneshot=$efivars/LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
loader=$esp/loader/loader.conf
states=$esp/loader/slot-states

die() { echo "rauc-boot: $*" >&2; exit 1; }
slot_arg() {
    case "${1:-}" in
    A | B) echo "$1" ;;
    *) die "no such slot: '${1:-}' (A or B)" ;;
    esac
}
lower() { echo "$1" | tr AB ab; }
upper() { echo "$1" | tr ab AB; }
other() { if [ "$1" = A ]; then echo B; else echo A; fi; }

booted() {
    sed -n 's/^\(.* \)\{0,1\}rauc\.slot=\([AB]\)\( .*\)\{0,1\}$/\2/p' "$cmdline"
}
default_slot() {
    upper "$(sed -n 's/^default[[:space:]]\{1,\}\([ab]\)\.conf[[:space:]]*$/\1/p' "$loader")"
}
oneshot_slot() {
    [ -f "$oneshot" ] || return 0
    # 4 bytes of attributes, then the entry's id in UTF-16LE. Through cat: efivarfs files
    # cannot seek (no_llseek), and `tail -c +5 FILE` seeks, fails and prints nothing.
    upper "$(cat "$oneshot" | tail -c +5 | tr -d '\000' | sed -n 's/^\([ab]\)\.conf$/\1/p')"
}
# Writes (or, without an argument, deletes) the one-shot entry. efivarfs takes a variable in
# one write and marks it immutable.
set_oneshot() {
    if [ -f "$oneshot" ]; then
        chattr -i "$oneshot" 2>/dev/null || true
        rm -f "$oneshot"
    fi
    [ -n "${1:-}" ] || return 0
    tmp=$(mktemp)
    # attributes NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS, then "x.conf" + NUL
    printf '\007\000\000\000' >"$tmp"
    printf '%s.conf' "$(lower "$1")" | sed 's/./&\n/g' | while IFS= read -r c; do
        [ -n "$c" ] && printf '%s\000' "$c"
    done >>"$tmp"
    printf '\000\000' >>"$tmp"
    dd if="$tmp" of="$oneshot" bs=4096 status=none
    rm -f "$tmp"
}
# Atomic enough on FAT: a new file renamed over the old one, then synced.
set_default() {
    sed "s/^default[[:space:]].*/default $(lower "$1").conf/" "$loader" >"$loader.new"
    grep -q '^default ' "$loader.new" || echo "default $(lower "$1").conf" >>"$loader.new"
    mv "$loader.new" "$loader"
    sync
}
get_state() {
    s=$(sed -n "s/^$1=\\(good\\|bad\\)\$/\\1/p" "$states" 2>/dev/null | tail -n 1)
    if [ -z "$s" ]; then
        # Never recorded: the slot the image was flashed with is good, the empty one bad.
        if [ "$1" = "$(default_slot)" ]; then s=good; else s=bad; fi
    fi
    echo "$s"
}
set_state_file() {
    { grep -v "^$1=" "$states" 2>/dev/null || true; echo "$1=$2"; } >"$states.new"
    mv "$states.new" "$states"
    sync
}

op=${1:-}
case "$op" in
get-current)
    b=$(booted)
    [ -n "$b" ] || die "no rauc.slot= on the kernel command line"
    echo "$b"
    ;;
get-primary)
    p=$(oneshot_slot)
    [ -n "$p" ] || p=$(default_slot)
    [ -n "$p" ] || die "no default entry in $loader"
    echo "$p"
    ;;
set-primary)
    x=$(slot_arg "${2:-}")
    # The slot's entry may not be there yet (the post-install handler writes it): a one-shot
    # entry that does not exist is ignored by the boot loader, which boots the default.
    if [ "$x" = "$(default_slot)" ]; then
        set_oneshot # the default boots anyway: no try pending
    else
        set_oneshot "$x"
    fi
    ;;
get-state)
    x=$(slot_arg "${2:-}")
    get_state "$x"
    ;;
set-state)
    x=$(slot_arg "${2:-}")
    case "${3:-}" in
    good)
        set_state_file "$x" good
        d=$(default_slot)
        if [ "$x" = "$(booted)" ] && [ -n "$d" ] && [ "$x" != "$d" ]; then
            set_default "$x" # the tried slot started: it is the known-good one now
            echo "rauc-boot: slot $x is good and now the default"
        fi
        ;;
    bad)
        set_state_file "$x" bad
        if [ "$(oneshot_slot)" = "$x" ]; then
            set_oneshot
        fi
        o=$(other "$x")
        if [ "$x" = "$(default_slot)" ] && [ "$(get_state "$o")" = good ]; then
            set_default "$o"
        fi
        ;;
    *) die "set-state $x: good or bad, not '${3:-}'" ;;
    esac
    ;;
is-trial)
    # Only between two slot entries: a default that is no slot's entry (a test's own) is left
    b=$(booted)
    d=$(default_slot)
    [ -n "$b" ] && [ -n "$d" ] && [ "$b" != "$d" ]
    ;;
*)
    die "usage: rauc-boot.sh get-primary|get-current|set-primary X|get-state X|set-state X good|bad|is-trial"
    ;;
esac
