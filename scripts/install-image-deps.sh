#!/usr/bin/env bash
# Installs what `make image` and `make image-test` need on Debian 12, on top of
# scripts/install-deps.sh (which CI runs; the image tools are not in it): the rootless image
# pipeline (mmdebstrap in unshare mode, fakeroot, mke2fs -d, sfdisk, mtools), bmaptool, RAUC
# for bundles, and QEMU with OVMF plus netpbm for the boot test (docs/image.md).
set -euo pipefail

packages=(
    # the root file system without root: mmdebstrap --mode=unshare (newuidmap from uidmap)
    mmdebstrap uidmap fakeroot arch-test
    # file systems and the partition table on plain files, no loop devices
    e2fsprogs dosfstools mtools fdisk
    # flashing with a block map, A/B update bundles
    bmap-tools rauc squashfs-tools openssl
    # the Yocto layer's kas file checked against kas's schema (image: yocto)
    kas
    # the boot test: UEFI firmware, the VM, the screenshot as PNG
    qemu-system-x86 qemu-utils ovmf netpbm
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-image-deps: all ${#packages[@]} packages present"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-image-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-image-deps: done"
