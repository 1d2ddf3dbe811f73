#!/usr/bin/env bash
# Builds a signed RAUC update bundle of the terminal's root file system (docs/image.md
# "Update"): the root slot image made by build.sh, for RAUC on the image to write into the
# other slot.
#
#   image/debian/bundle.sh IMAGE_DIR BUNDLE            (make bundle: build/image/update.raucb)
#
# IMAGE_DIR is build.sh's output (rootfs.ext4). Environment:
#   RAUC_KEY, RAUC_CERT   the signing key and certificate (default: the throw-away pair build.sh
#                         made in IMAGE_DIR/rauc-dev/); the certificate must chain to the
#                         keyring the image was built with (RAUC_KEYRING)
#   BUNDLE_VERSION        the bundle's version (default: the kiosk package's version and the
#                         date)
#   BUNDLE_ROOTFS         another root file system image to bundle (the RAUC test's broken one)
set -euo pipefail

image=$(cd "${1:?usage: bundle.sh IMAGE_DIR BUNDLE}" && pwd)
bundle=${2:?usage: bundle.sh IMAGE_DIR BUNDLE}
mkdir -p "$(dirname "$bundle")"
bundle=$(cd "$(dirname "$bundle")" && pwd)/$(basename "$bundle")
rootfs=${BUNDLE_ROOTFS:-$image/rootfs.ext4}
key=${RAUC_KEY:-$image/rauc-dev/key.pem}
cert=${RAUC_CERT:-$image/rauc-dev/cert.pem}
for f in "$rootfs" "$key" "$cert"; do
    [ -f "$f" ] || { echo "bundle.sh: $f missing (make image)" >&2; exit 2; }
done
for tool in rauc mksquashfs; do
    command -v "$tool" >/dev/null || {
        echo "bundle.sh: $tool missing: run scripts/install-image-deps.sh" >&2
        exit 2
    }
done
version=${BUNDLE_VERSION:-}
if [ -z "$version" ]; then
    version=$(debugfs -R 'cat /var/lib/dpkg/status' "$rootfs" 2>/dev/null |
        awk '/^Package: uketsuke-kiosk$/ { p = 1 } p && /^Version:/ && !v { v = $2 } END { print v }')
    version=${version:-unknown}+$(date -u +%Y%m%d%H%M)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-bundle.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/content"
# The image as it is: a hard link when it can be (1.5 GiB, sparse), else a sparse copy.
ln "$rootfs" "$work/content/rootfs.ext4" 2>/dev/null ||
    cp --sparse=always "$rootfs" "$work/content/rootfs.ext4"
cat >"$work/content/manifest.raucm" <<EOF
[update]
compatible=uketsuke-x86_64
version=$version
description=Uketsuke terminal root file system

[bundle]
format=verity

[image.rootfs]
filename=rootfs.ext4
EOF
rm -f "$bundle"
rauc bundle --cert="$cert" --key="$key" "$work/content" "$bundle"
echo "bundle.sh: $bundle ($version, $(($(stat -c %s "$bundle") >> 20)) MiB)"
