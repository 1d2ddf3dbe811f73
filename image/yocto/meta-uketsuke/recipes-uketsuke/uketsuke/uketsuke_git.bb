SUMMARY = "Uketsuke self check-in terminal and reception desk"
DESCRIPTION = "The check-in terminal of a Japanese clinic (My Number card through PC/SC, \
eligibility gateway, slip printer) and the reception desk that takes its check-ins."
HOMEPAGE = "https://example.org/uketsuke"
SECTION = "apps"
# The project has not chosen its licence yet (packaging/debian/copyright).
LICENSE = "CLOSED"

# The project's repository: point this at your mirror (or use externalsrc for a checkout).
SRC_URI = "git://example.org/uketsuke.git;protocol=https;branch=main"
SRCREV = "${AUTOREV}"
PV = "0.1.0+git"
S = "${WORKDIR}/git"

inherit cmake pkgconfig systemd useradd

DEPENDS = "libsdl2 imgui freetype pcsc-lite curl openssl sqlite3 nlohmann-json toml11 \
           libqrencode libxml2 libsodium zlib date boost systemd libevdev"

EXTRA_OECMAKE = "-DUKETSUKE_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo"

PACKAGES =+ "${PN}-desk"

USERADD_PACKAGES = "${PN} ${PN}-desk"
USERADD_PARAM:${PN} = "--system --home-dir /var/lib/uketsuke --create-home \
                       --shell /sbin/nologin --groups video,input,lp uketsuke"
USERADD_PARAM:${PN}-desk = "--system --home-dir /var/lib/uketsuke --create-home \
                            --shell /sbin/nologin uketsuke"

SYSTEMD_PACKAGES = "${PN} ${PN}-desk"
SYSTEMD_SERVICE:${PN} = "uketsuke-kiosk.service"
SYSTEMD_SERVICE:${PN}-desk = "uketsuke-desk.service"
SYSTEMD_AUTO_ENABLE:${PN} = "enable"
SYSTEMD_AUTO_ENABLE:${PN}-desk = "disable"

# The CMake rules install the programs and /usr/share/uketsuke; the units, udev rules,
# journald limits and /etc configuration are the Debian packages' components, installed here.
do_install:append() {
    install -d ${D}${systemd_system_unitdir} ${D}${sysconfdir}/uketsuke \
        ${D}${nonarch_base_libdir}/udev/rules.d ${D}${nonarch_libdir}/systemd/journald.conf.d
    install -m 0644 ${S}/packaging/systemd/uketsuke-kiosk.service ${D}${systemd_system_unitdir}/
    install -m 0644 ${S}/packaging/systemd/uketsuke-desk.service ${D}${systemd_system_unitdir}/
    install -m 0644 ${S}/packaging/udev/70-uketsuke.rules ${D}${nonarch_base_libdir}/udev/rules.d/
    install -m 0644 ${S}/packaging/journald/uketsuke.conf \
        ${D}${nonarch_libdir}/systemd/journald.conf.d/60-uketsuke.conf
    install -m 0644 ${S}/assets/examples/kiosk.toml ${D}${sysconfdir}/uketsuke/
    install -m 0644 ${S}/assets/examples/desk.toml ${D}${sysconfdir}/uketsuke/
    # The programs run from /usr/bin; the unit files name /usr/bin already.
    rm -f ${D}${bindir}/uketsuke-sim
    rm -rf ${D}${datadir}/uketsuke/personas ${D}${datadir}/uketsuke/demo
}

FILES:${PN} = "${bindir}/uketsuke-kiosk ${datadir}/uketsuke \
               ${sysconfdir}/uketsuke/kiosk.toml \
               ${systemd_system_unitdir}/uketsuke-kiosk.service \
               ${nonarch_base_libdir}/udev/rules.d/70-uketsuke.rules \
               ${nonarch_libdir}/systemd/journald.conf.d/60-uketsuke.conf"
FILES:${PN}-desk = "${bindir}/uketsuke-desk ${sysconfdir}/uketsuke/desk.toml \
                    ${systemd_system_unitdir}/uketsuke-desk.service"
CONFFILES:${PN} = "${sysconfdir}/uketsuke/kiosk.toml"
CONFFILES:${PN}-desk = "${sysconfdir}/uketsuke/desk.toml"

RDEPENDS:${PN} = "pcsc-lite ccid source-han-sans-jp-fonts"
RDEPENDS:${PN}-desk = "${PN}"
