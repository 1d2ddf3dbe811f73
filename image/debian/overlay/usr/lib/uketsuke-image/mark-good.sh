#!/bin/sh
# uketsuke-mark-good.service: `rauc status mark-good` for the booted slot, only when the kiosk
# is active (the unit is ordered after its start, which may also have failed).
set -eu
unit=uketsuke-kiosk.service
state=$(systemctl is-active "$unit" || true)
if [ "$state" != active ]; then
    echo "uketsuke-mark-good: $unit is $state: slot not marked good"
    exit 1
fi
exec rauc status mark-good booted
