#!/usr/bin/env bash
# Builds the terminal's bootable x86-64 disk image without root and without loop devices
# (docs/image.md): mmdebstrap --mode=unshare from Debian 12 plus our packages, fakeroot +
# mke2fs -d for the file systems, mtools for the EFI partition, sfdisk + dd on a plain file.
#
#   image/debian/build.sh PACKAGES_DIR OUT_DIR        (make image: build/packages, build/image)
#
# PACKAGES_DIR holds uketsuke-common_*.deb and uketsuke-kiosk_*.deb (make packages). OUT_DIR
# gets disk.img (GPT: esp, root-a, root-b, data), disk.img.bmap when bmaptool is there, the
# ESP's kernel and initrd (for direct-kernel boots), rootfs.ext4 (slot A's file system, what
# `make bundle` puts in an update bundle) and build-times.txt. Environment:
#   UKETSUKE_IMAGE_CACHE  apt's downloaded .debs are kept here between builds
#                         (default ~/.cache/uketsuke-image/apt); it must be outside the repo
#   UKETSUKE_IMAGE_MIRROR, UKETSUKE_IMAGE_SECURITY  Debian mirrors (default deb.debian.org)
#   ROOT_MIB, DATA_MIB, ESP_MIB  partition sizes (1536, 256, 256)
#   PROVISION             a uketsuke-provision.toml to put on the ESP (optional)
#   RAUC_KEYRING          the certificate (PEM) update bundles must chain to, as
#                         /etc/rauc/keyring.pem; without it a throw-away development key and
#                         certificate are made in OUT_DIR/rauc-dev/ (kept across builds)
#   UKETSUKE_IMAGE_ROOTFS a root tarball made by an earlier run's mmdebstrap step (kept in
#                         OUT_DIR/rootfs.tar when UKETSUKE_IMAGE_KEEP_ROOTFS=1): only the
#                         assembly runs, for work on the partitions and the boot loader
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pkgdir=$(cd "${1:?usage: build.sh PACKAGES_DIR OUT_DIR}" && pwd)
mkdir -p "${2:?usage: build.sh PACKAGES_DIR OUT_DIR}"
out=$(cd "$2" && pwd)
cache=${UKETSUKE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uketsuke-image/apt}
mirror=${UKETSUKE_IMAGE_MIRROR:-http://deb.debian.org/debian}
security=${UKETSUKE_IMAGE_SECURITY:-http://deb.debian.org/debian-security}
root_mib=${ROOT_MIB:-1536}
data_mib=${DATA_MIB:-256}
esp_mib=${ESP_MIB:-256}
mkdir -p "$cache"

shopt -s nullglob
debs=("$pkgdir"/uketsuke-common_*.deb "$pkgdir"/uketsuke-kiosk_*.deb)
shopt -u nullglob
if [ ${#debs[@]} -ne 2 ]; then
    echo "build.sh: need exactly one uketsuke-common and one uketsuke-kiosk .deb in $pkgdir" \
        "(make packages)" >&2
    exit 2
fi
for tool in mmdebstrap fakeroot mke2fs mkfs.vfat mcopy sfdisk openssl; do
    command -v "$tool" >/dev/null || {
        echo "build.sh: $tool missing: run scripts/install-image-deps.sh" >&2
        exit 2
    }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-image.XXXXXX")
cleanup() {
    # The extracted root holds files only fakeroot's owner may delete: chmod first.
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)

# The terminal's packages. Recommends stay out (mmdebstrap default); docs, man pages and
# translations are dropped. Mesa gives SDL's kmsdrm driver EGL/GBM (llvmpipe without a GPU);
# overlayroot + busybox make the root read-only with a RAM overlay; systemd-boot-efi only
# ships the EFI binary; rauc + rauc-service install update bundles into the other root slot.
# Never vsmartcard (a test reader listening on TCP).
include=(
    systemd-sysv udev kmod dbus libpam-systemd linux-image-amd64 initramfs-tools
    systemd-boot-efi busybox overlayroot e2fsprogs rauc rauc-service
    libgl1-mesa-dri libegl1 libgles2 libgbm1
    pcscd libccid tzdata
    "${debs[@]}"
)
if [ -n "${UKETSUKE_IMAGE_ROOTFS:-}" ]; then
    cp "$UKETSUKE_IMAGE_ROOTFS" "$work/rootfs.tar"
else
    mmdebstrap --mode=unshare --variant=minbase \
        --include="$(IFS=,; echo "${include[*]}")" \
        --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --skip=download/empty --skip=essential/unlink \
        --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
        --setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
        --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
        bookworm "$work/rootfs.tar" "deb $mirror bookworm main" \
        "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
fi
if [ "${UKETSUKE_IMAGE_KEEP_ROOTFS:-0}" = 1 ]; then
    cp "$work/rootfs.tar" "$out/rootfs.tar"
fi
t1=$(date +%s)

# The key update bundles are checked against (docs/image.md "Update"): the integrator's, or a
# throw-away one for development and the tests, never committed.
keyring=${RAUC_KEYRING:-}
if [ -z "$keyring" ]; then
    keyring=$out/rauc-dev/cert.pem
    if [ ! -f "$keyring" ] || [ ! -f "$out/rauc-dev/key.pem" ]; then
        mkdir -p "$out/rauc-dev"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -subj "/O=Uketsuke development/CN=uketsuke throw-away update signing" \
            -keyout "$out/rauc-dev/key.pem" -out "$keyring" 2>/dev/null
        chmod 0600 "$out/rauc-dev/key.pem"
    fi
    echo "build.sh: update bundles are checked against the throw-away $keyring" \
        "(RAUC_KEYRING=... for a real image)" >&2
fi
keyring=$(cd "$(dirname "$keyring")" && pwd)/$(basename "$keyring")

# Kernel command line of slot A (slot B's entry is written by the update, rauc-post-install.sh).
# "ro": overlayroot mounts the slot's file system read-only at /media/root-ro and / as an
# overlay with a tmpfs upper layer, which systemd-remount-fs then makes writable (its drop-in
# in the overlay); recurse=0 keeps /data writable. rauc.slot= tells RAUC the booted slot.
# consoleblank=0: the console never blanks.
cmdline="root=LABEL=root-a ro overlayroot=tmpfs:recurse=0 rauc.slot=A quiet loglevel=3"
cmdline="$cmdline consoleblank=0 vt.global_cursor_default=0 console=ttyS0,115200 console=tty1"

# One fakeroot session: extract with owners, add the image's files and enable its units, split
# off the data partition, make both file systems, so owners, modes and device nodes survive.
cd "$work"
fakeroot -- bash -euo pipefail -c '
    mkdir root data
    tar --xattrs --xattrs-include="*" -xpf rootfs.tar -C root --numeric-owner
    rm rootfs.tar
    # The image'"'"'s own files, owned by root; existing directories (and /lib -> usr/lib) kept.
    tar -C "'"$here"'/overlay" -c --owner=0 --group=0 --mode=go-w . |
        tar -C root -x --keep-directory-symlink --no-overwrite-dir
    echo uketsuke > root/etc/hostname
    cp "'"$keyring"'" root/etc/rauc/keyring.pem
    chmod 0644 root/etc/rauc/keyring.pem
    mkdir -p root/data root/boot/efi root/media/root-ro root/media/root-rw
    systemctl --root=root --quiet enable uketsuke-kiosk.service uketsuke-provision.service \
        uketsuke-trial-deadline.service
    # Remounts the overlay / writable (its drop-in); fstab has no line for / to pull it in.
    mkdir -p root/etc/systemd/system/local-fs.target.wants
    ln -sf /lib/systemd/system/systemd-remount-fs.service \
        root/etc/systemd/system/local-fs.target.wants/systemd-remount-fs.service
    systemctl --root=root --quiet mask getty@tty1.service
    systemctl --root=root --quiet set-default graphical.target
    # What is written after flashing lives on the data partition (bind-mounted, etc/fstab).
    mkdir -p data/etc data/var/lib data/rauc
    mv root/etc/uketsuke data/etc/uketsuke
    mv root/var/lib/uketsuke data/var/lib/uketsuke
    mkdir -m 0755 root/etc/uketsuke
    mkdir -m 0700 root/var/lib/uketsuke
    cp root/boot/vmlinuz-* vmlinuz
    cp root/boot/initrd.img-* initrd.img
    cp root/usr/lib/systemd/boot/efi/systemd-bootx64.efi bootx64.efi
    du -sm root | cut -f1 > root.mib
    mke2fs -q -t ext4 -L root-a -d root root-a.ext4 '"$root_mib"'M
    mke2fs -q -t ext4 -L uketsuke-data -d data data.ext4 '"$data_mib"'M
'
t2=$(date +%s)

# The EFI system partition: systemd-boot as the removable-media loader (no NVRAM entry
# needed), slot A's kernel and initrd, the provisioning file or its example.
export MTOOLS_SKIP_CHECK=1
mkfs.vfat -C -n ESP esp.vfat $((esp_mib * 1024)) >/dev/null
mmd -i esp.vfat ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/A ::/B
mcopy -i esp.vfat bootx64.efi ::/EFI/BOOT/BOOTX64.EFI
mcopy -i esp.vfat vmlinuz ::/A/vmlinuz
mcopy -i esp.vfat initrd.img ::/A/initrd.img
printf 'default a.conf\ntimeout 0\neditor no\nconsole-mode keep\n' >loader.conf
printf 'title Uketsuke (slot A)\nlinux /A/vmlinuz\ninitrd /A/initrd.img\noptions %s\n' \
    "$cmdline" >a.conf
mcopy -i esp.vfat loader.conf ::/loader/loader.conf
mcopy -i esp.vfat a.conf ::/loader/entries/a.conf
mcopy -i esp.vfat "$here/uketsuke-provision.toml.example" ::/uketsuke-provision.toml.example
if [ -n "${PROVISION:-}" ]; then
    mcopy -i esp.vfat "$PROVISION" ::/uketsuke-provision.toml
fi

# The disk: GPT with the partition types of the Discoverable Partitions Specification.
total=$((1 + esp_mib + 2 * root_mib + data_mib + 1))
rm -f disk.img
truncate -s "${total}M" disk.img
sfdisk -q disk.img <<SFDISK
label: gpt
start=1MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=root-a
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=root-b
size=${data_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data
SFDISK
dd if=esp.vfat of=disk.img bs=1M seek=1 conv=notrunc,sparse status=none
dd if=root-a.ext4 of=disk.img bs=1M seek=$((1 + esp_mib)) conv=notrunc,sparse status=none
dd if=data.ext4 of=disk.img bs=1M seek=$((1 + esp_mib + 2 * root_mib)) conv=notrunc,sparse \
    status=none
t3=$(date +%s)

mv disk.img vmlinuz initrd.img "$out/"
mv root-a.ext4 "$out/rootfs.ext4"
printf '%s\n' "$cmdline" >"$out/cmdline.txt"
if command -v bmaptool >/dev/null; then
    bmaptool create -o "$out/disk.img.bmap" "$out/disk.img"
fi
{
    echo "rootfs_s=$((t1 - t0))"
    echo "filesystems_s=$((t2 - t1))"
    echo "disk_s=$((t3 - t2))"
    echo "total_s=$(($(date +%s) - t0))"
    echo "root_used_mib=$(cat root.mib)"
    echo "disk_mib=$total"
    echo "disk_allocated_mib=$(($(du -k "$out/disk.img" | cut -f1) / 1024))"
} >"$out/build-times.txt"
cat "$out/build-times.txt"
