# Every library comes from a Debian 12 package; nothing is downloaded at build time.
# scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(toml11 REQUIRED)
# Time zones from the system tz database (base/time.cpp); libstdc++ 12 has no chrono tzdb.
find_package(date REQUIRED)
pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(ZLIB REQUIRED)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
# The OQS XML of the 資格確認端末 (kiosk/model/oqs_xml.cpp).
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
# argon2id hashes of staff PINs and desk passwords (crypto/password.hpp)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
if(UKETSUKE_WITH_PCSC)
    pkg_check_modules(PCSC REQUIRED IMPORTED_TARGET libpcsclite)
endif()
if(UKETSUKE_WITH_UI)
    pkg_check_modules(SDL2 REQUIRED IMPORTED_TARGET sdl2)
    pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
    # Debian ships imgui_impl_sdlrenderer.cpp only as a documentation example; we compile it.
    find_file(UKETSUKE_IMGUI_SDLRENDERER_CPP imgui_impl_sdlrenderer.cpp
        PATHS /usr/share/doc/libimgui-dev/examples/backends NO_DEFAULT_PATH)
    if(NOT UKETSUKE_IMGUI_SDLRENDERER_CPP)
        message(FATAL_ERROR "imgui_impl_sdlrenderer.cpp not found in "
            "/usr/share/doc/libimgui-dev/examples/backends. A dpkg path-exclude for "
            "/usr/share/doc may have removed it: allow that folder and reinstall libimgui-dev.")
    endif()
endif()
if(UKETSUKE_BUILD_TESTS)
    find_package(Catch2 2.13 REQUIRED)
    include(Catch)
endif()
