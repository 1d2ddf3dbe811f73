#!/bin/sh
# Test only (uketsuke-image-test.service, pulled in by the boot test's kernel argument
# systemd.wants=uketsuke-image-test.service). Speaks line by line with
# image/debian/boot-test.py and rauc-test.py over TTY (the VM's second serial port):
#   VM -> host  UKT-BOOT slot=X trial=yes|no uptime=S      this boot's root slot (RAUC)
#   VM -> host  UKT-ACTIVE pid=N uptime=S status=...     the kiosk unit is active (READY=1)
#   VM -> host  UKT-FACT key=value                        what the image looks like inside
#   VM -> host  UKT-LOG text                              the kiosk's journal, a command's output
#   VM -> host  UKT-WAIT                                  ready for a command
#   host -> VM  kill                                      SIGKILL the kiosk's main process
#   VM -> host  UKT-RESTARTED pid=N restarts=N uptime=S   systemd started it again
#   host -> VM  reference                                 the kiosk's headless render of the
#   VM -> host  UKT-B64 ... UKT-B64-END                   not-ready screen (same binary and
#                                                         configuration, software renderer), a PNG
#   host -> VM  install DEVICE                            rauc install DEVICE's update.raucb
#   VM -> host  UKT-INSTALLED rc=N                        (its output as UKT-LOG lines)
#   host -> VM  trial SECONDS                             the booted entry's uketsuke.trial_s=
#   host -> VM  reboot                                    UKT-BYE, then a reboot
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

slot=$(sed -n 's/^\(.* \)\{0,1\}rauc\.slot=\([AB]\)\( .*\)\{0,1\}$/\2/p' /proc/cmdline)
trial=no
if /usr/lib/uketsuke-image/rauc-boot.sh is-trial 2>/dev/null; then
    trial=yes
fi
say "UKT-BOOT slot=$slot trial=$trial uptime=$(uptime_s)"

if ! wait_active none; then
    say "UKT-FAIL $unit is $(systemctl is-active "$unit") after 600 s"
    systemctl --no-pager --failed >&3
    journalctl --no-pager -b -u "$unit" -n 30 >&3
    exit 1
fi
say "UKT-ACTIVE pid=$(prop MainPID) uptime=$(uptime_s) status=$(prop StatusText)"
say "UKT-FACT root=$(findmnt -n -o FSTYPE,OPTIONS / | cut -c1-60)"
say "UKT-FACT lower=$(findmnt -n -o SOURCE,OPTIONS /media/root-ro 2>/dev/null | cut -c1-40)"
say "UKT-FACT lower_label=$(findmnt -n -o LABEL /media/root-ro 2>/dev/null)"
say "UKT-FACT root_writable=$(touch /etc/.ukt-write-test 2>/dev/null && rm /etc/.ukt-write-test && echo yes || echo no)"
say "UKT-FACT data=$(findmnt -n -o SOURCE /data)"
say "UKT-FACT var_lib=$(findmnt -n -o SOURCE /var/lib/uketsuke)"
say "UKT-FACT clinic=$(sed -n 's/^clinic_code *= *"\([0-9]*\)".*/\1/p' /etc/uketsuke/kiosk.toml)"
say "UKT-FACT terminal=$(sed -n 's/^terminal_id *= *"\([^"]*\)".*/\1/p' /etc/uketsuke/kiosk.toml)"
say "UKT-FACT timezone=$(readlink /etc/localtime | sed 's|.*/zoneinfo/||')"
say "UKT-FACT vpcd=$(dpkg-query -W -f='${Status}' vsmartcard-vpcd 2>/dev/null || echo absent)"
say "UKT-FACT nfc_blacklist=$(modprobe -c | grep -c '^blacklist \(pn533_usb\|pn533\|nfc\)$')"
say "UKT-FACT gettys=$(systemctl list-units --no-legend 'getty@*' 'autovt@*' | wc -l)"
pid=$(prop MainPID)
say "UKT-FACT kiosk_rss_kib=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")"
say "UKT-FACT kiosk_cgroup=$(cut -d: -f3 "/proc/$pid/cgroup")"
say "UKT-FACT mem_used_mib=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { print int((t - a) / 1024) }' /proc/meminfo)"
# RAUC's view, once the mark-good after this start has run (or failed).
i=0
while [ $i -lt 240 ]; do
    case "$(systemctl is-active uketsuke-mark-good.service)" in
    active | failed) break ;;
    esac
    i=$((i + 1))
    sleep 0.5
done
say "UKT-FACT mark_good=$(systemctl is-active uketsuke-mark-good.service)"
rauc status --output-format=shell 2>/dev/null |
    grep -E '^RAUC_(SYSTEM_BOOTED_BOOTNAME|BOOT_PRIMARY|SLOT_BOOTNAME_[0-9]+|SLOT_BOOT_STATUS_[0-9]+)=' |
    tr -d "'\"" | while IFS= read -r line; do say "UKT-FACT rauc.$line"; done
say "UKT-FACT failed=$(systemctl list-units --failed --no-legend --plain | cut -d' ' -f1 | tr '\n' ' ')"
# The kiosk's own lines carry its identifier: pam_systemd moves it into a session scope, so
# "-u" finds only systemd's lines about the unit.
journalctl --no-pager -b -t uketsuke-kiosk -o cat -n 40 | while IFS= read -r line; do say "UKT-LOG $line"; done
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
    reference)
        ref=/run/ukt-reference
        rm -rf "$ref"
        mkdir -p "$ref/data"
        printf 'expect-screen not_ready\nscreenshot reference\n' >"$ref/script"
        chown -R uketsuke:uketsuke "$ref"
        runuser -u uketsuke -- /usr/bin/uketsuke-kiosk --config /etc/uketsuke/kiosk.toml \
            --data "$ref/data" --headless --script "$ref/script" --screenshots "$ref/shots" \
            >"$ref/log" 2>&1
        rc=$?
        if [ -f "$ref/shots/02-reference.png" ]; then
            base64 -w 76 "$ref/shots/02-reference.png" | while IFS= read -r line; do
                say "UKT-B64 $line"
            done
        else
            tail -n 20 "$ref/log" | while IFS= read -r line; do say "UKT-LOG $line"; done
        fi
        say "UKT-B64-END rc=$rc"
        say "UKT-WAIT"
        ;;
    install\ /dev/*)
        dev=${cmd#install }
        mkdir -p /run/ukt-bundle
        if mount -o ro "$dev" /run/ukt-bundle; then
            rauc install /run/ukt-bundle/update.raucb >/run/ukt-install.log 2>&1
            rc=$?
            umount /run/ukt-bundle
        else
            rc=99
            echo "cannot mount $dev" >/run/ukt-install.log
        fi
        tail -n 20 /run/ukt-install.log | while IFS= read -r line; do say "UKT-LOG $line"; done
        say "UKT-INSTALLED rc=$rc primary=$(/usr/lib/uketsuke-image/rauc-boot.sh get-primary)"
        say "UKT-WAIT"
        ;;
    trial\ *)
        entry=/boot/efi/loader/entries/$(echo "$slot" | tr AB ab).conf
        sed -i "s/ uketsuke\.trial_s=[0-9]*//; /^options /s/\$/ uketsuke.trial_s=${cmd#trial }/" "$entry"
        say "UKT-LOG $(grep '^options' "$entry")"
        say "UKT-WAIT"
        ;;
    reboot)
        say "UKT-BYE"
        touch /run/ukt-reboot
        systemctl reboot
        exit 0
        ;;
    poweroff)
        say "UKT-BYE"
        exit 0
        ;;
    "") ;;
    *) say "UKT-WAIT unknown command" ;;
    esac
done
