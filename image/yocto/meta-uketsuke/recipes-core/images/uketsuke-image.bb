SUMMARY = "Uketsuke check-in terminal image"
DESCRIPTION = "core-image-minimal with the terminal started as the session on tty1 \
(SDL on KMS/DRM), read-only root."
LICENSE = "CLOSED"

require recipes-core/images/core-image-minimal.bb

IMAGE_INSTALL += "packagegroup-uketsuke"
IMAGE_FEATURES += "read-only-rootfs"
IMAGE_FSTYPES = "wic ext4"

# SDL's KMS/DRM video driver is not in libsdl2's default PACKAGECONFIG, and the kiosk's unit
# asks for SDL's GLES 2 renderer there (SDL_RENDER_DRIVER=opengles2, packaging/README.md).
PACKAGECONFIG:append:pn-libsdl2 = " kmsdrm gles2"
