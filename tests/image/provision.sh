#!/usr/bin/env bash
# image: provision — the image's first-boot provisioning (image/debian/overlay/usr/lib/
# uketsuke-image/provision.sh) applied to a scratch root: a good file lands in kiosk.toml's
# right sections and the time zone, an unchanged file is not applied twice, a malformed one
# changes nothing; the result passes `uketsuke-kiosk doctor config` when KIOSK is given.
#   tests/image/provision.sh SOURCE_DIR [KIOSK]
set -euo pipefail
src=$(cd "$1" && pwd)
kiosk=${2:-}
script=$src/image/debian/overlay/usr/lib/uketsuke-image/provision.sh
scratch=$(mktemp -d "${TMPDIR:-/tmp}/uketsuke-provision.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

root=$scratch/root
mkdir -p "$root/etc" "$root/usr/share/uketsuke/examples" "$scratch/esp"
cp "$src/assets/examples/kiosk.toml" "$root/usr/share/uketsuke/examples/kiosk.toml"
ln -s /usr/share/zoneinfo "$root/usr/share/zoneinfo"
export UKETSUKE_PROVISION_ROOT=$root
toml=$root/etc/uketsuke/kiosk.toml

# No file and no configuration: the packaged one.
sh "$script" "$scratch/esp/none.toml" >/dev/null
cmp -s "$toml" "$src/assets/examples/kiosk.toml" || fail "without a file: not the template"

# The shipped example.
cp "$src/image/debian/uketsuke-provision.toml.example" "$scratch/esp/p.toml"
sed -i 's/1399999999/1312345678/; s/KIOSK-0001/KIOSK-0042/' "$scratch/esp/p.toml"
out=$(sh "$script" "$scratch/esp/p.toml") || fail "provisioning failed"
[[ $out == *"applied"*"1312345678"*"KIOSK-0042"* ]] || fail "not applied: $out"
grep -qx 'clinic_code = "1312345678" .*' "$toml" || fail "clinic_code"
grep -qx 'terminal_id = "KIOSK-0042" .*' "$toml" || fail "terminal_id"
section() { awk -v s="[$1]" '/^\[/ { in_s = ($0 == s) } in_s && /^url/' "$toml"; }
[[ $(section gateway) == 'url  = "https://gateway.example:8443"'* ]] || fail "gateway url"
[[ $(section desk) == 'url  = "https://desk.clinic.lan:8444"'* ]] || fail "desk url"
[ "$(readlink "$root/etc/localtime")" = /usr/share/zoneinfo/Asia/Tokyo ] || fail "localtime"
[ "$(cat "$root/etc/uketsuke/timezone")" = Asia/Tokyo ] || fail "timezone kept"
[ "$(grep -c provisioned "$toml")" = 4 ] || fail "four provisioned lines"

# The same file again: not applied again (an integrator's later edit stays).
echo '# edited on site' >>"$toml"
out=$(sh "$script" "$scratch/esp/p.toml") || fail "provisioning failed"
[ -z "$out" ] || fail "applied twice: $out"
tail -n 1 "$toml" | grep -q 'edited on site' || fail "site edit lost"

# A malformed value refuses the whole file.
before=$(sha256sum <"$toml")
printf 'clinic_code = "13123"\nterminal_id = "KIOSK-9"\n' >"$scratch/esp/bad.toml"
if out=$(sh "$script" "$scratch/esp/bad.toml"); then
    fail "malformed file accepted"
fi
[[ $out == *"malformed clinic_code"* ]] || fail "no reason: $out"
[ "$(sha256sum <"$toml")" = "$before" ] || fail "malformed file changed kiosk.toml"
printf 'timezone = "../../etc/passwd"\n' >"$scratch/esp/bad.toml"
! sh "$script" "$scratch/esp/bad.toml" >/dev/null || fail "time zone outside zoneinfo accepted"
printf 'desk_url = "http://desk:1"\n' >"$scratch/esp/bad.toml"
! sh "$script" "$scratch/esp/bad.toml" >/dev/null || fail "plain http accepted"

# A changed file is applied again, on top of the site's file.
sed -i 's/KIOSK-0042/KIOSK-0043/' "$scratch/esp/p.toml"
sh "$script" "$scratch/esp/p.toml" >/dev/null
grep -qx 'terminal_id = "KIOSK-0043" .*' "$toml" || fail "changed file not applied"
tail -n 1 "$toml" | grep -q 'edited on site' || fail "site edit lost on re-provisioning"

# The clinic's CA next to the file: installed (the kiosk does not start without one).
printf 'not a certificate\n' >"$scratch/esp/uketsuke-ca.pem"
sh "$script" "$scratch/esp/p.toml" | grep -q 'refused.*uketsuke-ca.pem' || fail "bad CA not refused"
[ ! -e "$root/etc/uketsuke/pki/tls/ca.pem" ] || fail "bad CA installed"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=test-ca -keyout "$scratch/ca.key" -out "$scratch/esp/uketsuke-ca.pem" 2>/dev/null
sh "$script" "$scratch/esp/p.toml" | grep -q 'installed the CA' || fail "CA not installed"
cmp -s "$scratch/esp/uketsuke-ca.pem" "$root/etc/uketsuke/pki/tls/ca.pem" || fail "CA differs"

if [ -n "$kiosk" ]; then
    # The CA path in kiosk.toml is absolute: point it at the scratch root for the doctor.
    sed -i "s|\"/etc/uketsuke/pki|\"$root/etc/uketsuke/pki|" "$toml"
    "$kiosk" doctor config --config "$toml" >"$scratch/doctor.txt" 2>&1 || true
    # Everything valid; only the terminal's certificate and key are missing: not ready.
    grep -q '"mode": "not-ready"' "$scratch/doctor.txt" ||
        { cat "$scratch/doctor.txt"; fail "doctor config: the provisioned file is not 'not ready'"; }
    ! grep -q '"status": "invalid"' "$scratch/doctor.txt" ||
        { cat "$scratch/doctor.txt"; fail "doctor config: an invalid key"; }
fi
echo "provision: ok"
