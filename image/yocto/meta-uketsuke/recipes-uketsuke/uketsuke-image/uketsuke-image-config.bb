SUMMARY = "Uketsuke terminal image settings"
DESCRIPTION = "The NFC kernel stack blacklisted (pcscd drives the readers), no getty on \
other VTs, a small volatile journal: the same files as the Debian image."
LICENSE = "CLOSED"

SRC_URI = "file://uketsuke-nfc.conf \
           file://logind-uketsuke.conf \
           file://journald-uketsuke-image.conf"
S = "${WORKDIR}"

do_install() {
    install -d ${D}${sysconfdir}/modprobe.d ${D}${sysconfdir}/systemd/logind.conf.d \
        ${D}${sysconfdir}/systemd/journald.conf.d
    install -m 0644 ${S}/uketsuke-nfc.conf ${D}${sysconfdir}/modprobe.d/
    install -m 0644 ${S}/logind-uketsuke.conf ${D}${sysconfdir}/systemd/logind.conf.d/uketsuke.conf
    install -m 0644 ${S}/journald-uketsuke-image.conf \
        ${D}${sysconfdir}/systemd/journald.conf.d/50-uketsuke-image.conf
}

FILES:${PN} = "${sysconfdir}/modprobe.d ${sysconfdir}/systemd"
