#!/bin/sh
# uketsuke-trial-deadline.service (see there). UKETSUKE_CMDLINE replaces /proc/cmdline.
set -eu
boot=/usr/lib/uketsuke-image/rauc-boot.sh
limit=$(sed -n 's/^\(.* \)\{0,1\}uketsuke\.trial_s=\([0-9]\{1,\}\)\( .*\)\{0,1\}$/\2/p' \
    "${UKETSUKE_CMDLINE:-/proc/cmdline}")
limit=${limit:-900}
if ! "$boot" is-trial; then
    exit 0
fi
slot=$("$boot" get-current)
echo "uketsuke-trial-deadline: slot $slot is on trial: it must mark itself good within $limit s of boot"
while "$boot" is-trial; do
    up=$(cut -d. -f1 /proc/uptime)
    if [ "$up" -ge "$limit" ]; then
        echo "uketsuke-trial-deadline: slot $slot not good after $up s: rebooting into the previous slot"
        systemctl reboot
        exit 0
    fi
    sleep 5
done
echo "uketsuke-trial-deadline: slot $slot marked itself good"
