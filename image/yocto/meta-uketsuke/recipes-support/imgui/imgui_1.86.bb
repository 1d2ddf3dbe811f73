SUMMARY = "Dear ImGui, immediate-mode GUI library"
DESCRIPTION = "Dear ImGui 1.86 built as a static library with its SDL2 and SDL_Renderer \
backends, laid out as Debian's libimgui-dev (headers in ${includedir}/imgui, imgui.pc)."
HOMEPAGE = "https://github.com/ocornut/imgui"
LICENSE = "MIT"
# Sum of LICENSE.txt at v1.88 (meta-tegra); v1.86's copyright line may differ: if it does,
# do_populate_lic prints the sum to put here (never checked with bitbake).
LIC_FILES_CHKSUM = "file://LICENSE.txt;md5=2c45028b0f14d9585774c12615de461b"

SRC_URI = "git://github.com/ocornut/imgui.git;protocol=https;nobranch=1"
# tag v1.86
SRCREV = "v1.86"
S = "${WORKDIR}/git"

DEPENDS = "libsdl2 freetype"

inherit pkgconfig

SOURCES = "imgui.cpp imgui_demo.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp \
           backends/imgui_impl_sdl.cpp misc/freetype/imgui_freetype.cpp"

do_compile() {
    for f in ${SOURCES}; do
        ${CXX} ${CXXFLAGS} -fPIC -I${S} -I${S}/backends \
            $(pkg-config --cflags sdl2 freetype2) -c ${S}/$f -o $(basename $f .cpp).o
    done
    ${AR} rcs libimgui.a *.o
}

do_install() {
    install -d ${D}${includedir}/imgui/backends ${D}${libdir}/pkgconfig \
        ${D}${datadir}/imgui/backends
    install -m 0644 ${S}/*.h ${D}${includedir}/imgui/
    install -m 0644 ${S}/backends/*.h ${D}${includedir}/imgui/backends/
    install -m 0644 ${S}/misc/freetype/imgui_freetype.h ${D}${includedir}/imgui/
    # The SDL_Renderer backend is compiled by the application, as with Debian's package.
    install -m 0644 ${S}/backends/imgui_impl_sdlrenderer.cpp ${D}${datadir}/imgui/backends/
    install -m 0644 ${B}/libimgui.a ${D}${libdir}/
    printf 'prefix=%s\nlibdir=%s\nincludedir=%s/imgui\n\nName: imgui\nDescription: %s\nVersion: %s\nLibs: -L${libdir} -limgui\nCflags: -I${includedir}\n' \
        "${prefix}" "${libdir}" "${includedir}" "${SUMMARY}" "${PV}" > ${D}${libdir}/pkgconfig/imgui.pc
}

FILES:${PN}-dev += "${datadir}/imgui"
ALLOW_EMPTY:${PN} = "1"
