SUMMARY = "Uketsuke check-in terminal image"
DESCRIPTION = "core-image-minimal with the terminal started as the session on tty1 \
(SDL on KMS/DRM), read-only root."
LICENSE = "CLOSED"

require recipes-core/images/core-image-minimal.bb

IMAGE_INSTALL += "packagegroup-uketsuke"
IMAGE_FEATURES += "read-only-rootfs"
IMAGE_FSTYPES = "wic ext4"

# SDL's KMS/DRM video driver is not in libsdl2's default PACKAGECONFIG.
PACKAGECONFIG:append:pn-libsdl2 = " kmsdrm"
