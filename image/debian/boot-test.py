#!/usr/bin/env python3
"""Boots the terminal's disk image in QEMU (TCG, OVMF, virtio-vga) and checks it works.

    image/debian/boot-test.py IMAGE_DIR [--keep DIR]          (make image-test)

IMAGE_DIR is build.sh's output (disk.img). The disk is copied (sparse), a provisioning file
is put on the copy's ESP and `systemd.wants=uketsuke-image-test.service` added to slot A's
loader entry, and the VM boots it through OVMF and systemd-boot. The test unit inside speaks over the
second serial port (image/debian/overlay/usr/lib/uketsuke-image/boot-test.sh). Checks: the
kiosk unit becomes active; the image facts (read-only overlay root, data partition, the
provisioned clinic and time zone, no vsmartcard, the NFC blacklist, no getty, the root slot
mounted read-only under a writable overlay, the slot marked good); a screenshot (QEMU monitor
`screendump`) that shows the not-ready screen: compared block by block with the kiosk's own
headless render of that screen made inside the VM (same binary and configuration, software
renderer); SIGKILL of the kiosk and systemd starting it again, with the screen again. Prints
the times (power-on to active, to first frame, restart) and the kiosk's memory as bench lines.
With --reference IMAGE (or UKETSUKE_REFERENCE_IMAGE) it then boots that image in the same QEMU
machine and prints its power-on to login prompt as the benchmark's reference: the stock
debian-12-genericcloud-amd64 .raw/.qcow2 when you have it, else reference.sh's stand-in.
Exit 0 when every check passed, 1 otherwise, 77 when there is no image.
"""
import argparse
import base64
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from qemu_vm import (OVMF_CODE, BOOT_TIMEOUT_S, Failed, Vm, boot_to_login, compare_screens,
                     esp_write, lit, prepare, read_png, read_ppm, run, wait_frame)

FRAME_TIMEOUT_S = 180


def reference(vm, work):
    """The kiosk's headless render of the not-ready screen, made in the VM, as a PNG here."""
    vm.send("reference")
    data = []
    while True:
        line = vm.serial.until(("UKT-B64", "UKT-LOG"), 600)
        if line.startswith("UKT-B64-END"):
            break
        if line.startswith("UKT-LOG"):
            print(line)
            continue
        data.append(line[len("UKT-B64 "):])
    vm.serial.until(("UKT-WAIT",), 30)
    if not data:
        raise Failed(f"no reference render: {line}")
    path = work / "reference.png"
    path.write_bytes(base64.b64decode("".join(data)))
    return path


def shows_screen(vm, work, name, ref, timeout):
    """Screenshots until one matches the reference (90 % of its blocks agree, at least 8
    inked); returns (agreeing share or None, message, last screenshot)."""
    start = time.monotonic()
    n, msg, last = 0, "no screenshot", None
    while True:
        n += 1
        shot = work / f"{name}-{n}.ppm"
        vm.mon.command(f"screendump {shot}")
        if shot.exists():
            if last is not None:
                last.unlink()
            last = shot
            agree, total, inked, msg = compare_screens(read_ppm(shot), ref)
            if inked >= 8 and agree >= 0.9 * total:
                return agree / total, msg, shot
        if time.monotonic() - start > timeout:
            return None, msg, last
        time.sleep(2)  # a screenshot costs the TCG guest time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image_dir")
    ap.add_argument("--keep", help="copy console log, serial log and screenshots here")
    ap.add_argument("--reference", default=os.environ.get("UKETSUKE_REFERENCE_IMAGE"),
                    help="an image booted after ours to a login prompt, as the reference")
    args = ap.parse_args()
    image = pathlib.Path(args.image_dir) / "disk.img"
    if not image.exists():
        print(f"skipped: no {image} (make image)")
        return 77
    for tool in ("qemu-system-x86_64", "mcopy", "pnmtopng", "pngtopnm", "openssl"):
        if not shutil.which(tool):
            print(f"skipped: {tool} missing (scripts/install-image-deps.sh)")
            return 77
    if not os.path.exists(OVMF_CODE):
        print(f"skipped: {OVMF_CODE} missing (ovmf)")
        return 77

    work = pathlib.Path(tempfile.mkdtemp(prefix="uketsuke-boot-test."))
    vm = None
    ok = False
    timings = {}
    try:
        disk, entry = prepare(image, work)
        esp_write(disk, "/loader/entries/a.conf", entry, work)
        vm = Vm(work, disk)
        active = vm.serial.until(("UKT-ACTIVE",), BOOT_TIMEOUT_S)
        timings["power_on_to_active_s"] = time.monotonic() - vm.power_on
        print(active)
        facts = vm.facts()
        shot, f = wait_frame(vm.mon, work, "idle", FRAME_TIMEOUT_S, lit)
        if f is None:
            raise Failed(f"the screen stayed dark for {FRAME_TIMEOUT_S} s after READY=1")
        timings["power_on_to_first_frame_s"] = time.monotonic() - vm.power_on
        ref_png = reference(vm, work)
        ref = read_png(ref_png, work)
        share, msg, shot = shows_screen(vm, work, "idle", ref, FRAME_TIMEOUT_S)
        if share is not None:
            timings["power_on_to_screen_s"] = time.monotonic() - vm.power_on
        run("sh", "-c", f"pnmtopng {shot} > {work / 'screen.png'}")
        print(f"screen: {msg}")

        lower = facts.get("lower", "").split(" ")[-1]
        checks = [
            ("root is an overlay", facts.get("root", "").startswith("overlay")),
            ("the overlay is writable", facts.get("root_writable") == "yes"),
            ("its lower file system (the root slot) is mounted read-only",
             lower.split(",")[0] == "ro"),
            ("the root slot is A", facts.get("lower_label") == "root-a"),
            ("data partition on /data", "vd" in facts.get("data", "")),
            ("/var/lib/uketsuke on the data partition", "vd" in facts.get("var_lib", "")),
            ("clinic provisioned", facts.get("clinic") == "1312345678"),
            ("terminal provisioned", facts.get("terminal") == "KIOSK-BOOTTEST"),
            ("time zone provisioned", facts.get("timezone") == "Asia/Tokyo"),
            ("no vsmartcard", facts.get("vpcd") == "absent"),
            ("NFC drivers blacklisted", facts.get("nfc_blacklist") == "3"),
            ("no getty", facts.get("gettys") == "0"),
            ("kiosk not failed", "uketsuke" not in facts.get("failed", "")),
            ("not ready: no certificate yet", "status=not ready" in active),
            ("slot A marked good after the kiosk started", facts.get("mark_good") == "active"),
            ("RAUC sees slot A booted", facts.get("rauc.RAUC_SYSTEM_BOOTED_BOOTNAME") == "A"),
            ("a frame on the screen", lit(f)),
            ("the screen shows the not-ready screen (as the kiosk's headless render)",
             share is not None),
        ]

        restart_start = time.monotonic()
        vm.send("kill")
        restarted = vm.serial.until(("UKT-RESTARTED",), 120)
        timings["kill_to_active_s"] = time.monotonic() - restart_start
        print(restarted)
        vm.serial.until(("UKT-WAIT",), 30)
        share2, msg2, shot2 = shows_screen(vm, work, "restarted", ref, FRAME_TIMEOUT_S)
        if share2 is not None:
            timings["kill_to_screen_s"] = time.monotonic() - restart_start
        run("sh", "-c", f"pnmtopng {shot2} > {work / 'screen-restarted.png'}")
        checks.append(("the not-ready screen again after the restart", share2 is not None))
        checks.append(("restarted by systemd", "->" in restarted and
                       restarted.split("restarts=")[1].split("->")[0] !=
                       restarted.split("->")[1].split()[0]))

        rc = vm.poweroff()
        timings["power_on_to_off_s"] = time.monotonic() - vm.power_on
        checks.append(("orderly power-off", rc == 0))

        for name, passed in checks:
            print(f"{'ok  ' if passed else 'FAIL'} {name}")
        for key, value in timings.items():
            print(f"bench image boot: {key}={value:.1f}")
        print(f"bench image memory: kiosk_rss_mib={int(facts.get('kiosk_rss_kib') or 0) >> 10} "
              f"system_used_mib={facts.get('mem_used_mib', '?')}")
        size = image.stat()
        print(f"bench image size: disk_mib={size.st_size >> 20} "
              f"allocated_mib={(size.st_blocks * 512) >> 20}")
        times = image.parent / "build-times.txt"
        if times.exists():
            print("bench image build: " + " ".join(times.read_text().split()))
        if args.reference:
            # The same machine, right after ours (the host's load moves TCG times a lot).
            ref_image = pathlib.Path(args.reference)
            login_s = boot_to_login(ref_image, work)
            ref_size = ref_image.stat()
            print(f"bench image reference: image={ref_image.name} "
                  f"power_on_to_login_s={login_s:.1f} disk_mib={ref_size.st_size >> 20} "
                  f"allocated_mib={(ref_size.st_blocks * 512) >> 20}")
            ref_times = ref_image.parent / "build-times.txt"
            if ref_times.exists() and ref_image.name == "reference.img":
                print("bench image reference build: " + " ".join(ref_times.read_text().split()))
        ok = all(passed for _, passed in checks)
    except (Failed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}")
        if vm:
            print("--- console (last 30 lines)\n" + "\n".join(vm.console_tail()))
    finally:
        if vm:
            vm.stop()
        if args.keep:
            keep = pathlib.Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for p in work.iterdir():
                if p.suffix in (".log", ".png", ".err"):
                    shutil.copy(p, keep / p.name)
        shutil.rmtree(work)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
