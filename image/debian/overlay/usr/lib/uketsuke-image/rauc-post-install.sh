#!/bin/sh
# RAUC's post-install handler (/etc/rauc/system.conf): after a root slot X was written, its file
# system is labelled root-x (the bundle's image carries the label of the slot it was built as),
# its kernel and initrd are copied to X/ on the EFI partition, and loader/entries/x.conf is the
# booted slot's entry with the slot's names changed (same kernel options). RAUC then makes X
# primary (rauc-boot.sh set-primary: tried once at the next boot). docs/image.md "Update".
# RAUC sets RAUC_TARGET_SLOTS and, per slot N, RAUC_SLOT_CLASS_N, _DEVICE_N and _BOOTNAME_N.
set -eu
esp=${UKETSUKE_ESP:-/boot/efi}
say() { echo "uketsuke-post-install: $*"; }
lower() { echo "$1" | tr AB ab; }

booted=$(/usr/lib/uketsuke-image/rauc-boot.sh get-current)
template=$esp/loader/entries/$(lower "$booted").conf
for n in ${RAUC_TARGET_SLOTS:-}; do
    eval class=\${RAUC_SLOT_CLASS_$n:-} dev=\${RAUC_SLOT_DEVICE_$n:-} slot=\${RAUC_SLOT_BOOTNAME_$n:-}
    [ "$class" = rootfs ] || continue
    x=$(lower "$slot")
    e2label "$dev" "root-$x"
    mnt=$(mktemp -d /run/uketsuke-slot.XXXXXX)
    mount -o ro "$dev" "$mnt"
    set -- "$mnt"/boot/vmlinuz-*
    kernel=$1
    set -- "$mnt"/boot/initrd.img-*
    initrd=$1
    if [ ! -f "$kernel" ] || [ ! -f "$initrd" ]; then
        umount "$mnt"
        rmdir "$mnt"
        say "slot $slot has no /boot/vmlinuz-* and initrd.img-*"
        exit 1
    fi
    mkdir -p "$esp/$slot"
    cp "$kernel" "$esp/$slot/vmlinuz.new"
    cp "$initrd" "$esp/$slot/initrd.img.new"
    umount "$mnt"
    rmdir "$mnt"
    mv "$esp/$slot/vmlinuz.new" "$esp/$slot/vmlinuz"
    mv "$esp/$slot/initrd.img.new" "$esp/$slot/initrd.img"
    b=$(lower "$booted")
    sed -e "s|/$booted/|/$slot/|g" -e "s|root=LABEL=root-$b|root=LABEL=root-$x|" \
        -e "s|rauc\\.slot=$booted|rauc.slot=$slot|" -e "s|(slot $booted)|(slot $slot)|" \
        "$template" >"$esp/loader/entries/$x.conf.new"
    mv "$esp/loader/entries/$x.conf.new" "$esp/loader/entries/$x.conf"
    sync
    say "slot $slot: label root-$x, kernel $(basename "$kernel"), loader entry $x.conf"
done
