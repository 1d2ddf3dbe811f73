SUMMARY = "What an Uketsuke check-in terminal runs"
LICENSE = "CLOSED"

inherit packagegroup

RDEPENDS:${PN} = "uketsuke uketsuke-image-config pcsc-lite ccid \
                  source-han-sans-jp-fonts tzdata kernel-modules"
