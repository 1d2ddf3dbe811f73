# Debian packages with CPack (packaging/README.md): `cpack --config build/dev/CPackConfig.cmake`
# or `make packages` packs what the build tree holds, one .deb per group below.
#
#   uketsuke-common  (all)  the string tables, the uketsuke user and /var/lib/uketsuke
#   uketsuke-kiosk          the terminal, /etc/uketsuke/kiosk.toml, its unit, udev rules and
#                           journald limits
#   uketsuke-desk           the desk, /etc/uketsuke/desk.toml, its unit
#   uketsuke-sim            the simulators, personas and demo scripts (test rigs, never a terminal)
#
# The components kiosk, desk, sim and common are what `cmake --install` installs by default
# (docs/install.md). kiosk_system and desk_system hold the absolute paths (/etc, /lib/systemd,
# /lib/udev), the *_doc components the Debian files under /usr/share; both are EXCLUDE_FROM_ALL:
# only the packages install them.

set(pkg "${CMAKE_SOURCE_DIR}/packaging")

# The files each package ships under /usr/share/doc/<package>/ (Debian policy 12.5, 12.7).
set(UKETSUKE_CHANGELOG_GZ "${CMAKE_BINARY_DIR}/packaging/changelog.gz")
configure_file(${pkg}/debian/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
execute_process(COMMAND gzip -9nc ${CMAKE_BINARY_DIR}/packaging/changelog
    OUTPUT_FILE ${UKETSUKE_CHANGELOG_GZ} COMMAND_ERROR_IS_FATAL ANY)

foreach(group kiosk desk sim common)
    set(doc /usr/share/doc/uketsuke-${group})
    install(FILES ${pkg}/debian/copyright ${UKETSUKE_CHANGELOG_GZ}
        DESTINATION ${doc} COMPONENT ${group}_doc EXCLUDE_FROM_ALL)
    install(FILES ${pkg}/README.md DESTINATION ${doc} RENAME README.packaging
        COMPONENT ${group}_doc EXCLUDE_FROM_ALL)
    install(FILES ${pkg}/debian/uketsuke-${group}/lintian-overrides
        DESTINATION /usr/share/lintian/overrides RENAME uketsuke-${group}
        COMPONENT ${group}_doc EXCLUDE_FROM_ALL)
endforeach()

install(FILES ${CMAKE_SOURCE_DIR}/assets/examples/kiosk.toml DESTINATION /etc/uketsuke
    COMPONENT kiosk_system EXCLUDE_FROM_ALL)
install(FILES ${pkg}/systemd/uketsuke-kiosk.service DESTINATION /lib/systemd/system
    COMPONENT kiosk_system EXCLUDE_FROM_ALL)
install(FILES ${pkg}/udev/70-uketsuke.rules DESTINATION /lib/udev/rules.d
    COMPONENT kiosk_system EXCLUDE_FROM_ALL)
install(FILES ${pkg}/journald/uketsuke.conf DESTINATION /usr/lib/systemd/journald.conf.d
    RENAME 60-uketsuke.conf COMPONENT kiosk_system EXCLUDE_FROM_ALL)

install(FILES ${CMAKE_SOURCE_DIR}/assets/examples/desk.toml DESTINATION /etc/uketsuke
    COMPONENT desk_system EXCLUDE_FROM_ALL)
install(FILES ${pkg}/systemd/uketsuke-desk.service DESTINATION /lib/systemd/system
    COMPONENT desk_system EXCLUDE_FROM_ALL)

set(CPACK_PACKAGE_NAME uketsuke)
set(CPACK_PACKAGE_VENDOR "Uketsuke developers")
set(CPACK_PACKAGE_CONTACT "Uketsuke developers <uketsuke@example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
# Absolute destinations (/etc, /lib) go into the package, never onto this machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 0)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_COMPONENTS_ALL kiosk kiosk_system kiosk_doc desk desk_system desk_doc sim sim_doc
    common common_doc)
foreach(group kiosk desk sim common)
    string(TOUPPER ${group} G)
    foreach(part "" _system _doc)
        string(TOUPPER "${group}${part}" C)
        set(CPACK_COMPONENT_${C}_GROUP ${group})
    endforeach()
    set(CPACK_DEBIAN_${G}_PACKAGE_NAME uketsuke-${group})
endforeach()

set(deb ${pkg}/debian)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "uketsuke-common (= ${PROJECT_VERSION}), fonts-noto-cjk, pcscd")
# Spoken guidance (docs/voice.md): the engines are in main; the Japanese voice is in contrib.
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS
    "libccid, open-jtalk, open-jtalk-mecab-naist-jdic, espeak-ng")
set(CPACK_DEBIAN_KIOSK_PACKAGE_SUGGESTS "hts-voice-nitech-jp-atr503-m001")
set(CPACK_DEBIAN_KIOSK_DESCRIPTION "Uketsuke self check-in terminal
The check-in terminal of a Japanese clinic: reads the My Number card through
PC/SC, asks the eligibility gateway, prints the slip and hands the check-in to
the reception desk. Runs as the systemd service uketsuke-kiosk (not enabled by
the package), configured in /etc/uketsuke/kiosk.toml.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${deb}/uketsuke-kiosk/postrm;${deb}/uketsuke-kiosk/conffiles")

set(CPACK_DEBIAN_DESK_PACKAGE_DEPENDS "uketsuke-common (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DESK_DESCRIPTION "Uketsuke reception desk
The reception desk of the Uketsuke check-in terminals: an HTTPS server with
mutual TLS that takes the terminals' check-ins and shows them to the staff.
Runs as the systemd service uketsuke-desk (not enabled by the package),
configured in /etc/uketsuke/desk.toml.")
set(CPACK_DEBIAN_DESK_PACKAGE_CONTROL_EXTRA
    "${deb}/uketsuke-desk/postrm;${deb}/uketsuke-desk/conffiles")

set(CPACK_DEBIAN_SIM_PACKAGE_DEPENDS "uketsuke-common (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_SIM_DESCRIPTION "Uketsuke simulators for test rigs
The eligibility gateway, a virtual My Number card, a PKI and a printer
simulator with the demo's personas and scripts. For development and test
rigs only: never install it on a terminal.")

set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_COMMON_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_COMMON_DESCRIPTION "Uketsuke check-in: shared files
The screens' and slips' string tables of the Uketsuke terminal and desk, the
uketsuke system user and its data folder /var/lib/uketsuke.")
set(CPACK_DEBIAN_COMMON_PACKAGE_CONTROL_EXTRA
    "${deb}/uketsuke-common/postinst;${deb}/uketsuke-common/postrm")

include(CPack)
