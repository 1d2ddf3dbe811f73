#!/usr/bin/env bash
# Runs the demo: a fresh test PKI, the eligibility gateway simulator and the desk on loopback,
# a simulated 資格確認端末 on folders under $OUT/oqs, then the terminal with its simulated card
# reader and printer, using both eligibility sources (gateway+oqs-files). Without a display it
# runs the demo script headless and says where the screenshots and the slip are.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/dev}
OUT=${OUT:-out/demo}
mkdir -p "$OUT"

# shellcheck source=lib/servers.sh
. scripts/lib/servers.sh
trap stop_servers EXIT INT TERM

# A fresh PKI when there is none, or when the personas changed (new personas need cards).
if [ ! -f "$OUT/pki/tls/ca.pem" ] ||
    ! cmp -s assets/personas/personas.json "$OUT/pki/personas.json"; then
    rm -rf "$OUT/pki"
    "$BUILD/sim/uketsuke-sim" pki --out "$OUT/pki" >/dev/null
fi

start_server gateway gateway "$OUT" "$BUILD/sim/uketsuke-sim" gateway --pki "$OUT/pki" \
    --listen 127.0.0.1:0
# A staff account for the desk page (docs/desk-staff.md), with a fresh password each run: the
# page needs a log-in, also on the desk computer itself.
staff_password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | cut -c1-12)
accounts=$("$BUILD/desk/uketsuke-desk" user list --data "$OUT/desk")
if grep -q '^staff ' <<<"$accounts"; then
    printf '%s\n' "$staff_password" |
        "$BUILD/desk/uketsuke-desk" user passwd staff --data "$OUT/desk" >/dev/null
else
    printf '%s\n' "$staff_password" |
        "$BUILD/desk/uketsuke-desk" user add staff --data "$OUT/desk" >/dev/null
fi
# The desk shows days and times in its time_zone (Asia/Tokyo by default), like the slips, whatever
# the machine's TZ (docs/programs/uketsuke-desk.md).
# The simulated 資格確認端末 answers lookups by insurance card data through two folders; fresh
# ones each run, so no request or answer of an earlier run is left in them. The terminal's
# insurance-card form and the desk page's 資格の再確認 both ask it.
rm -rf "$OUT/oqs"
mkdir -p "$OUT/oqs/req" "$OUT/oqs/res"
start_background oqs-terminal "$OUT" "watching " "$BUILD/sim/uketsuke-sim" oqs-terminal \
    --req "$OUT/oqs/req" --res "$OUT/oqs/res"
oqs_dir=$(cd "$OUT/oqs" && pwd) # absolute: the config file's paths are relative to its folder
cat >"$OUT/desk.toml" <<EOF
clinic_code = "1312345678"
[oqs]
req_dir = "$oqs_dir/req"
res_dir = "$oqs_dir/res"
EOF
start_server desk desk "$OUT" "$BUILD/desk/uketsuke-desk" --pki "$OUT/pki" \
    --listen 127.0.0.1:0 --data "$OUT/desk" --config "$OUT/desk.toml"

echo
echo "  Eligibility gateway (simulated): $gateway"
echo "  資格確認端末 (simulated):        $OUT/oqs/req and $OUT/oqs/res"
echo "  Reception desk page:             $desk/"
echo "    log in as staff / $staff_password (more accounts: uketsuke-desk user add NAME"
echo "    --data $OUT/desk; docs/desk-staff.md)"
echo "    (the test PKI's CA signs it: accept the certificate warning, or trust"
echo "     $OUT/pki/tls/ca.pem in the browser)"
echo

kiosk=("$BUILD/ui/uketsuke-kiosk" --pki "$OUT/pki" --gateway "$gateway" --desk "$desk"
       --eligibility gateway+oqs-files --oqs-req "$OUT/oqs/req" --oqs-res "$OUT/oqs/res"
       --data "$OUT/kiosk" --printer "sim:$OUT/slips")

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "  Terminal: a window opens. Use the demo bar to place and remove the virtual card."
    echo "  Personas and their PINs: docs/personas.md (the default card's PIN is 1234)."
    echo "  Without a My Number card, look a patient up by insurance card data, e.g. 保険者番号"
    echo "  06139999, 記号 12, 番号 345, 枝番 01, born 1980-01-01 = 昭和55年 (docs/oqs-files.md)."
    "${kiosk[@]}" --windowed --demo
else
    echo "  No display found: running the demo scripts headless instead: a check-in with the"
    echo "  My Number card, then one with 資格確認書 data typed on the screen."
    rm -rf "$OUT/screens"
    "${kiosk[@]}" --headless --script assets/demo/checkin.script --screenshots "$OUT/screens/card"
    "${kiosk[@]}" --headless --script assets/demo/insurance-card.script \
        --screenshots "$OUT/screens/insurance-card"
    echo
    for dir in "$OUT/screens"/*; do
        echo "  Screenshots: $dir/"
        ls "$dir" | sed 's/^/    /'
    done
    echo "  Slips:       $OUT/slips/"
    ls "$OUT/slips" 2>/dev/null | sed 's/^/    /'
    echo "  Desk:        $OUT/desk/desk.sqlite3"
    echo
    if [ -t 0 ]; then
        echo "  What to try next, while the gateway and the desk keep running:"
        echo "    - open the desk page ($desk/) in a browser and log in as staff /"
        echo "      $staff_password: today's check-ins are there;"
        echo "    - look at the screenshots and the slip images listed above;"
        echo "    - a check-in that goes wrong (a wrong PIN: the screen says how many tries are left):"
        echo "        $BUILD/ui/uketsuke-kiosk --pki $OUT/pki --gateway $gateway --desk $desk \\"
        echo "          --data $OUT/kiosk --printer sim:$OUT/slips --headless \\"
        echo "          --script tests/e2e/wrong-pin.script --screenshots $OUT/screens/wrong-pin"
        echo "      (personas and their PINs: docs/personas.md; scripts: docs/headless-script.md)."
        echo
        echo "  Press Ctrl-C to stop the gateway and the desk."
        # Waits for Ctrl-C (the EXIT trap stops the servers); the servers' own exit ends it too.
        wait "${SERVER_PIDS[@]}" || true
    else
        echo "  The gateway and the desk have stopped (the demo was not run from a terminal); the"
        echo "  desk's database above keeps the check-ins. Run make demo from a terminal to keep"
        echo "  the desk page up until Ctrl-C."
    fi
fi
