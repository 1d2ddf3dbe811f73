#!/bin/sh
# uketsuke-provision.service: applies FILE (uketsuke-provision.toml on the boot partition) to
# /etc/uketsuke/kiosk.toml on the data partition when FILE is new or changed, then sets the
# provisioned time zone (the root is a RAM overlay, so at every boot). Keys, all optional:
#   clinic_code = "1312345678"            医療機関コード, 10 digits
#   terminal_id = "KIOSK-0001"            letters, digits, . _ -
#   desk_url    = "https://desk.lan:8444"
#   gateway_url = "https://gateway.lan:8443"
#   timezone    = "Asia/Tokyo"
# A file with a malformed value is refused as a whole (exit 1, nothing changed); the terminal
# starts with the configuration it had (not ready while it has no certificate).
# uketsuke-ca.pem next to FILE (the clinic's CA, docs/pki.md) is installed as
# /etc/uketsuke/pki/tls/ca.pem whenever it differs: the kiosk refuses to start without a CA,
# while a missing client certificate only makes it not ready.
# UKETSUKE_PROVISION_ROOT prefixes every path (tests/image/provision.sh).
set -eu
file=${1:-/boot/efi/uketsuke-provision.toml}
sysroot=${UKETSUKE_PROVISION_ROOT:-}
etc=$sysroot/etc/uketsuke
template=$sysroot/usr/share/uketsuke/examples/kiosk.toml
say() { echo "uketsuke-provision: $*"; }

value() { # KEY: the quoted value of KEY in $file, empty if absent
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\\([^\"]*\\)\"[[:space:]]*\\(#.*\\)\\{0,1\\}\$/\\1/p" "$file" | tail -n 1
}

apply() {
    clinic=$(value clinic_code); terminal=$(value terminal_id)
    desk=$(value desk_url); gateway=$(value gateway_url); tz=$(value timezone)
    bad=""
    [ -z "$clinic" ] || echo "$clinic" | grep -Eqx '[0-9]{10}' || bad="$bad clinic_code"
    [ -z "$terminal" ] || echo "$terminal" | grep -Eqx '[A-Za-z0-9._-]{1,32}' || bad="$bad terminal_id"
    for u in "$desk" "$gateway"; do
        [ -z "$u" ] || echo "$u" | grep -Eqx 'https://[][A-Za-z0-9.:-]+(/[A-Za-z0-9._/-]*)?' ||
            bad="$bad url"
    done
    [ -z "$tz" ] || { echo "$tz" | grep -Eqx '[A-Za-z0-9_+/-]+' && [ -f "$sysroot/usr/share/zoneinfo/$tz" ]; } ||
        bad="$bad timezone"
    if [ -n "$bad" ]; then
        say "refused $file: malformed$bad"
        return 1
    fi
    base=$etc/kiosk.toml
    [ -f "$base" ] || base=$template
    tmp=$etc/.kiosk.toml.new
    awk -v clinic="$clinic" -v terminal="$terminal" -v desk="$desk" -v gateway="$gateway" '
        /^\[/ { section = $0 }
        clinic != "" && /^#? *clinic_code *=/ && section == "" {
            print "clinic_code = \"" clinic "\"      # provisioned"; next }
        terminal != "" && /^#? *terminal_id *=/ && section == "" {
            print "terminal_id = \"" terminal "\"   # provisioned"; next }
        gateway != "" && /^url *=/ && section == "[gateway]" {
            print "url  = \"" gateway "\"   # provisioned"; next }
        desk != "" && /^url *=/ && section == "[desk]" {
            print "url  = \"" desk "\"   # provisioned"; next }
        { print }' "$base" >"$tmp"
    chmod 0644 "$tmp"
    mv "$tmp" "$etc/kiosk.toml"
    if [ -n "$tz" ]; then
        echo "$tz" >"$etc/timezone"
    fi
    sha256sum <"$file" | cut -d' ' -f1 >"$etc/provisioned.sha256"
    say "applied $file (clinic ${clinic:-unchanged}, terminal ${terminal:-unchanged})"
}

mkdir -p "$etc"
if [ -f "$file" ]; then
    sum=$(sha256sum <"$file" | cut -d' ' -f1)
    if [ "$sum" != "$(cat "$etc/provisioned.sha256" 2>/dev/null)" ]; then
        apply
    fi
elif [ ! -f "$etc/kiosk.toml" ]; then
    say "no $file: the terminal starts with the packaged configuration"
    cp "$template" "$etc/kiosk.toml"
fi
ca=$(dirname "$file")/uketsuke-ca.pem
if [ -f "$ca" ] && ! cmp -s "$ca" "$etc/pki/tls/ca.pem"; then
    if grep -q -- '-----BEGIN CERTIFICATE-----' "$ca"; then
        mkdir -p "$etc/pki/tls"
        cp "$ca" "$etc/pki/tls/.ca.pem.new"
        chmod 0644 "$etc/pki/tls/.ca.pem.new"
        mv "$etc/pki/tls/.ca.pem.new" "$etc/pki/tls/ca.pem"
        say "installed the CA from $ca"
    else
        say "refused $ca: no PEM certificate in it"
    fi
fi
if [ -f "$etc/timezone" ]; then
    tz=$(cat "$etc/timezone")
    ln -sf "/usr/share/zoneinfo/$tz" "$sysroot/etc/localtime"
    echo "$tz" >"$sysroot/etc/timezone"
fi
