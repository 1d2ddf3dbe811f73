#!/usr/bin/env bash
# Installs what Uketsuke needs to build, test and run the demo on Debian 12, from Debian's
# packages only. Installs only what is missing; safe to run again. Uses sudo when not root.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build pkg-config git
    # libraries
    libsdl2-dev libimgui-dev libstb-dev libfreetype-dev libssl-dev libcurl4-openssl-dev
    libsqlite3-dev nlohmann-json3-dev libtoml11-dev libqrencode-dev
    libpcsclite-dev libxml2-dev libevdev-dev zlib1g-dev
    # argon2id hashes of staff PINs and desk passwords
    libsodium-dev
    # foundations: time zones (date/tz.h on the system tzdb), the event-driven HTTPS server
    # (Boost.Beast/Asio), systemd readiness and watchdog (sd_notify)
    libhowardhinnant-date-dev libboost-dev libsystemd-dev tzdata
    # fonts (located at run time, never copied into the repo)
    fonts-noto-cjk
    # tests: Catch2, the sqlite3 shell, clang for the fuzz targets
    catch2 sqlite3 clang-16 libclang-rt-16-dev
    # the fault harness jumps the terminal's clock with libfaketime (tests/faults/run.sh)
    faketime
    # the slip's QR code is decoded from the simulated printer's PNG in the tests
    zbar-tools
    # the card path's tests: each integration test runs its own pcscd with the vpcd driver in a
    # private namespace (never on a production image: vpcd listens on TCP); OpenSC is the
    # independent client; unshare comes from util-linux
    pcscd vsmartcard-vpcd opensc opensc-pkcs11 util-linux
    # the demo on a machine with a display server but no session, and image checks
    xvfb
    # the Debian packages (make packages) and their checks: dpkg-shlibdeps, lintian
    dpkg-dev lintian
    # the image's provisioning test makes a throw-away CA certificate
    openssl
    # the desk page's browser tests (tests/browser): headless Chromium and Firefox ESR, driven
    # by playwright-core from npm (below), which never downloads a browser of its own
    chromium firefox-esr
    # spoken guidance (docs/voice.md): Open JTalk and its dictionary for Japanese, espeak-ng
    # for the other languages; the Japanese voice is in contrib (enabled below)
    open-jtalk open-jtalk-mecab-naist-jdic espeak-ng hts-voice-nitech-jp-atr503-m001
)

# Packages of Debian's contrib component (the Open JTalk voice's licence is free, but it is
# built from data Debian does not rebuild). A machine with only main gets contrib for its
# release from the same mirror, in a file of its own; nothing else is changed.
contrib_packages=(hts-voice-nitech-jp-atr503-m001)
contrib_list=/etc/apt/sources.list.d/uketsuke-contrib.sources

# tests/browser's npm packages (playwright-core) exactly as package-lock.json pins them, again
# whenever the lock changes. Node.js and npm come with the machine; Debian's are the fallback.
browser_tests() {
    local dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
    [ -f "$dir/package-lock.json" ] || return 0
    if cmp -s "$dir/package-lock.json" "$dir/node_modules/.uketsuke-lock" 2>/dev/null; then
        return 0
    fi
    if ! command -v npm >/dev/null; then
        echo "install-deps: installing nodejs npm"
        $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
    echo "install-deps: npm ci in tests/browser"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$dir/package-lock.json" "$dir/node_modules/.uketsuke-lock"
}

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Debian's libimgui-dev ships imgui_impl_sdlrenderer.cpp under /usr/share/doc; slim images
# exclude that folder from dpkg. Reinstall with the exclusion lifted if the file is missing.
need_imgui_docs=0
if [ ! -f /usr/share/doc/libimgui-dev/examples/backends/imgui_impl_sdlrenderer.cpp ]; then
    need_imgui_docs=1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

if [ ${#missing[@]} -eq 0 ] && [ $need_imgui_docs -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    browser_tests
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]:-libimgui-dev examples}"
# apt-get's progress goes to a log, shown only when something fails.
log=$(mktemp "${TMPDIR:-/tmp}/uketsuke-install-deps.XXXXXX")
quietly() {
    if ! "$@" >>"$log" 2>&1; then
        echo "install-deps: failed: $*" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}
# Whether apt has a version of package $1 to install. `apt-cache show` is not enough: it exits 0,
# printing nothing, for a name that another package only refers to (open-jtalk suggests the voice).
installable() {
    apt-cache show "$1" 2>/dev/null | grep '^Package:' >/dev/null
}
# contrib for the missing contrib packages, unless apt can already see them.
enable_contrib() {
    local p need=0 uris signed suites
    for p in "${contrib_packages[@]}"; do
        [[ " ${missing[*]} " == *" $p "* ]] && need=1
    done
    [ $need -eq 1 ] || return 0
    [ -f "$contrib_list" ] && return 0
    installable "${contrib_packages[0]}" && return 0
    # The mirror and key of the system's main Debian source (deb822 or one-line format).
    uris=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
    signed=$(sed -n 's/^Signed-By: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
        head -n1)
    if [ -z "$uris" ]; then
        uris=$(awk '$1 == "deb" && $3 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
            /etc/apt/sources.list 2>/dev/null)
    fi
    uris=${uris:-http://deb.debian.org/debian}
    signed=${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}
    suites=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    echo "install-deps: enabling Debian contrib ($suites) in $contrib_list"
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: contrib\nSigned-By: %s\n' \
        "$uris" "$suites" "$suites" "$signed" | $SUDO tee "$contrib_list" >/dev/null
}
quietly $SUDO apt-get update -qq
enable_contrib
if [ -f "$contrib_list" ] && ! installable "${contrib_packages[0]}"; then
    quietly $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
    quietly $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ! -f /usr/share/doc/libimgui-dev/examples/backends/imgui_impl_sdlrenderer.cpp ]; then
    for f in /etc/dpkg/dpkg.cfg.d/*; do
        [ -f "$f" ] && grep -q 'path-exclude=/usr/share/doc' "$f" &&
            echo "path-include=/usr/share/doc/libimgui-dev/*" | $SUDO tee "$f-uketsuke-imgui" >/dev/null
    done
    quietly $SUDO apt-get install -y -qq --reinstall libimgui-dev
fi
rm -f "$log"
browser_tests
echo "install-deps: done"
