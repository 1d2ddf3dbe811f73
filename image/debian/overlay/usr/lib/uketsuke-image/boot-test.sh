#!/bin/sh
# Test only (uketsuke-image-test.service, pulled in by the boot test's kernel argument
# systemd.wants=uketsuke-image-test.service). Speaks line by line with
# image/debian/boot-test.py over TTY (the VM's second serial port):
#   VM -> host  UKT-ACTIVE pid=N uptime=S status=...     the kiosk unit is active (READY=1)
#   VM -> host  UKT-FACT key=value                        what the image looks like inside
#   VM -> host  UKT-WAIT                                  ready for a command
#   host -> VM  kill                                      SIGKILL the kiosk's main process
#   VM -> host  UKT-RESTARTED pid=N restarts=N uptime=S   systemd started it again
#   host -> VM  poweroff                                  end of the test
set -u
tty=${1:-/dev/ttyS1}
unit=uketsuke-kiosk.service
stty -F "$tty" raw -echo 115200
exec 3<>"$tty"
say() { printf '%s\n' "$*" >&3; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
prop() { systemctl show -P "$1" "$unit"; }

# Waits (bounded) until the unit is active with a main process other than $1.
wait_active() {
    i=0
    while [ $i -lt 1200 ]; do
        if [ "$(systemctl is-active "$unit")" = active ] && [ "$(prop MainPID)" != 0 ] &&
            [ "$(prop MainPID)" != "$1" ]; then
            return 0
        fi
        i=$((i + 1))
        sleep 0.5
    done
    return 1
}

if ! wait_active none; then
    say "UKT-FAIL $unit is $(systemctl is-active "$unit") after 600 s"
    systemctl --no-pager --failed >&3
    journalctl --no-pager -b -u "$unit" -n 30 >&3
    exit 1
fi
say "UKT-ACTIVE pid=$(prop MainPID) uptime=$(uptime_s) status=$(prop StatusText)"
say "UKT-FACT root=$(findmnt -n -o FSTYPE,OPTIONS / | cut -c1-60)"
say "UKT-FACT lower=$(findmnt -n -o SOURCE,OPTIONS /media/root-ro 2>/dev/null | cut -c1-40)"
say "UKT-FACT data=$(findmnt -n -o SOURCE /data)"
say "UKT-FACT var_lib=$(findmnt -n -o SOURCE /var/lib/uketsuke)"
say "UKT-FACT clinic=$(sed -n 's/^clinic_code *= *"\([0-9]*\)".*/\1/p' /etc/uketsuke/kiosk.toml)"
say "UKT-FACT terminal=$(sed -n 's/^terminal_id *= *"\([^"]*\)".*/\1/p' /etc/uketsuke/kiosk.toml)"
say "UKT-FACT timezone=$(readlink /etc/localtime | sed 's|.*/zoneinfo/||')"
say "UKT-FACT vpcd=$(dpkg-query -W -f='${Status}' vsmartcard-vpcd 2>/dev/null || echo absent)"
say "UKT-FACT nfc_blacklist=$(modprobe -c | grep -c '^blacklist \(pn533_usb\|pn533\|nfc\)$')"
say "UKT-FACT gettys=$(systemctl list-units --no-legend 'getty@*' 'autovt@*' | wc -l)"
say "UKT-FACT failed=$(systemctl list-units --failed --no-legend --plain | cut -d' ' -f1 | tr '\n' ' ')"
say "UKT-WAIT"
while IFS= read -r cmd <&3; do
    cmd=$(printf '%s' "$cmd" | tr -d '\r')
    case "$cmd" in
    kill)
        pid=$(prop MainPID)
        before=$(prop NRestarts)
        kill -KILL "$pid"
        if wait_active "$pid"; then
            say "UKT-RESTARTED pid=$(prop MainPID) restarts=$before->$(prop NRestarts) uptime=$(uptime_s)"
        else
            say "UKT-FAIL no restart after kill: $(systemctl is-active "$unit")"
        fi
        say "UKT-WAIT"
        ;;
    poweroff)
        say "UKT-BYE"
        exit 0
        ;;
    "") ;;
    *) say "UKT-WAIT unknown command" ;;
    esac
done
