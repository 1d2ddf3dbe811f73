#!/usr/bin/env bash
# shellcheck disable=SC2016 # the hooks' "$1" is mmdebstrap's: single quotes on purpose
# Builds the boot benchmark's reference (docs/image.md "Benchmark"): a plain Debian 12 that
# boots to a login prompt on the serial console, made the way build.sh makes the terminal's
# image (mmdebstrap --mode=unshare, fakeroot + mke2fs -d, mtools, sfdisk; no root, no loop
# device) but with nothing of ours: the kernel flavour of Debian's genericcloud image
# (linux-image-cloud-amd64), systemd, and the genericcloud image's kernel command line.
#
#   image/debian/reference.sh OUT_DIR           (make reference-image: build/reference)
#
# It stands in for the stock debian-12-genericcloud-amd64 image from cloud.debian.org when that
# cannot be downloaded (the development machine cannot resolve cloud.debian.org); boot-test.py
# boots the stock one instead when UKETSUKE_REFERENCE_IMAGE names its .raw or .qcow2 file.
# What the stand-in leaves out: cloud-init, the network (ifupdown, DHCP), openssh-server and
# GRUB (it boots with systemd-boot, as our image does). OUT_DIR gets reference.img and
# build-times.txt. Environment: UKETSUKE_IMAGE_CACHE, UKETSUKE_IMAGE_MIRROR and
# UKETSUKE_IMAGE_SECURITY as for build.sh.
set -euo pipefail

mkdir -p "${1:?usage: reference.sh OUT_DIR}"
out=$(cd "$1" && pwd)
cache=${UKETSUKE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uketsuke-image/apt}
mirror=${UKETSUKE_IMAGE_MIRROR:-http://deb.debian.org/debian}
security=${UKETSUKE_IMAGE_SECURITY:-http://deb.debian.org/debian-security}
root_mib=1024 esp_mib=128
mkdir -p "$cache"
for tool in mmdebstrap fakeroot mke2fs mkfs.vfat mcopy sfdisk; do
    command -v "$tool" >/dev/null || {
        echo "reference.sh: $tool missing: run scripts/install-image-deps.sh" >&2
        exit 2
    }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-reference.XXXXXX")
cleanup() {
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)

mmdebstrap --mode=unshare --variant=minbase \
    --include=systemd-sysv,udev,kmod,dbus,linux-image-cloud-amd64,initramfs-tools,systemd-boot-efi,e2fsprogs \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    --skip=download/empty --skip=essential/unlink \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
    --customize-hook='echo debian > "$1"/etc/hostname' \
    --customize-hook='echo "LABEL=reference / ext4 defaults 0 1" > "$1"/etc/fstab' \
    bookworm "$work/rootfs.tar" "deb $mirror bookworm main" \
    "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
t1=$(date +%s)

# The genericcloud image's kernel command line (debian-cloud-images, GRUB_CMDLINE_LINUX):
# systemd's getty generator starts a login prompt on the last console, ttyS0.
cmdline="root=LABEL=reference ro console=tty0 console=ttyS0,115200 earlyprintk=ttyS0,115200"
cmdline="$cmdline consoleblank=0"
cd "$work"
fakeroot -- bash -euo pipefail -c '
    mkdir root
    tar --xattrs --xattrs-include="*" -xpf rootfs.tar -C root --numeric-owner
    rm rootfs.tar
    cp root/boot/vmlinuz-* vmlinuz
    cp root/boot/initrd.img-* initrd.img
    cp root/usr/lib/systemd/boot/efi/systemd-bootx64.efi bootx64.efi
    du -sm root | cut -f1 > root.mib
    mke2fs -q -t ext4 -L reference -d root root.ext4 '"$root_mib"'M
'
t2=$(date +%s)

export MTOOLS_SKIP_CHECK=1
mkfs.vfat -C -n ESP esp.vfat $((esp_mib * 1024)) >/dev/null
mmd -i esp.vfat ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
mcopy -i esp.vfat bootx64.efi ::/EFI/BOOT/BOOTX64.EFI
mcopy -i esp.vfat vmlinuz ::/vmlinuz
mcopy -i esp.vfat initrd.img ::/initrd.img
printf 'default debian.conf\ntimeout 0\neditor no\n' >loader.conf
printf 'title Debian 12\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n' "$cmdline" >debian.conf
mcopy -i esp.vfat loader.conf ::/loader/loader.conf
mcopy -i esp.vfat debian.conf ::/loader/entries/debian.conf

total=$((1 + esp_mib + root_mib + 1))
truncate -s "${total}M" reference.img
sfdisk -q reference.img <<SFDISK
label: gpt
start=1MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=root
SFDISK
dd if=esp.vfat of=reference.img bs=1M seek=1 conv=notrunc,sparse status=none
dd if=root.ext4 of=reference.img bs=1M seek=$((1 + esp_mib)) conv=notrunc,sparse status=none
mv reference.img "$out/"
{
    echo "rootfs_s=$((t1 - t0))"
    echo "filesystems_s=$((t2 - t1))"
    echo "total_s=$(($(date +%s) - t0))"
    echo "root_used_mib=$(cat root.mib)"
    echo "disk_mib=$total"
    echo "disk_allocated_mib=$(($(du -k "$out/reference.img" | cut -f1) / 1024))"
} >"$out/build-times.txt"
cat "$out/build-times.txt"
