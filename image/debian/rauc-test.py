#!/usr/bin/env python3
"""The image's A/B update in QEMU: RAUC installs a bundle into slot B, B boots and marks itself
good; then a bundle whose kiosk never gets ready goes into slot A, is tried once, and the
terminal rolls back to B.

    image/debian/rauc-test.py IMAGE_DIR [--keep DIR] [--no-rollback]    (make image-rauc-test)

IMAGE_DIR is build.sh's output with update.raucb (make bundle). The broken bundle is made here:
the same root file system with a drop-in that starts `sleep` instead of the kiosk (it never sends
READY=1), signed with the same key (bundle.sh). Each bundle is a file on a small FAT disk of its
own, attached read-only. One VM run with four boots (about 30 minutes of TCG on two cores;
--no-rollback stops after the second):

1. slot A: the kiosk starts, A is marked good; `rauc install` of the good bundle into B;
2. slot B, tried once (systemd-boot's one-shot entry): the kiosk starts, B is marked good and
   becomes the default; the broken bundle goes into A, with a trial deadline of 240 s;
3. slot A, tried once: the kiosk never gets ready, nothing marks A good, the deadline reboots;
4. slot B again (the default): A is bad, B primary.

Exit 0 when every check passed, 1 otherwise, 77 when the image or the bundle is missing.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from qemu_vm import BOOT_TIMEOUT_S, OVMF_CODE, Failed, Vm, esp_write, prepare, run

HERE = pathlib.Path(__file__).resolve().parent
NEVER_READY = """# rauc-test.py: a kiosk that never gets ready (sleep never sends READY=1)
[Service]
ExecStart=
ExecStart=/bin/sleep infinity
"""
TRIAL_S = 1500  # under TCG a good slot's kiosk may take 5 minutes and more to get ready
BROKEN_TRIAL_S = 240


def bundle_disk(bundle, path):
    """A FAT file system holding BUNDLE as update.raucb."""
    size_kib = (bundle.stat().st_size >> 10) + 16 * 1024
    run("mkfs.vfat", "-C", str(path), str(size_kib), stdout=subprocess.DEVNULL)
    run("mcopy", "-i", str(path), str(bundle), "::update.raucb",
        env={**os.environ, "MTOOLS_SKIP_CHECK": "1"})


def broken_bundle(image_dir, work):
    rootfs = work / "broken.ext4"
    run("cp", "--sparse=always", str(image_dir / "rootfs.ext4"), str(rootfs))
    dropin = work / "zz-never-ready.conf"
    dropin.write_text(NEVER_READY)
    run("debugfs", "-w", "-R",
        f"write {dropin} /etc/systemd/system/uketsuke-kiosk.service.d/zz-never-ready.conf",
        str(rootfs), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    listing = subprocess.run(["debugfs", "-R", "ls /etc/systemd/system/uketsuke-kiosk.service.d",
                              str(rootfs)], capture_output=True, text=True).stdout
    if "zz-never-ready.conf" not in listing:
        raise Failed("debugfs did not write the broken drop-in")
    bundle = work / "broken.raucb"
    run("bash", str(HERE / "bundle.sh"), str(image_dir), str(bundle),
        env={**os.environ, "BUNDLE_ROOTFS": str(rootfs), "BUNDLE_VERSION": "0-never-ready"})
    rootfs.unlink()
    return bundle


def slot_status(facts, bootname):
    """RAUC's boot status of the slot with BOOTNAME, from `rauc status --output-format=shell`."""
    for key, value in facts.items():
        if key.startswith("rauc.RAUC_SLOT_BOOTNAME_") and value == bootname:
            n = key.rsplit("_", 1)[1]
            return facts.get(f"rauc.RAUC_SLOT_BOOT_STATUS_{n}")
    return None


class Boot:
    """One boot of the VM as the driver reports it."""

    def __init__(self, vm, timeout=BOOT_TIMEOUT_S):
        line = vm.serial.until(("UKT-BOOT",), timeout)
        print(line)
        fields = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
        self.slot, self.trial = fields.get("slot"), fields.get("trial")
        self.start = time.monotonic()
        self.facts = {}
        self.active = None

    def wait_active(self, vm):
        self.active = vm.serial.until(("UKT-ACTIVE",), BOOT_TIMEOUT_S)
        print(self.active)
        self.facts = vm.facts()


def install(vm, device):
    vm.send(f"install {device}")
    started = time.monotonic()
    line = vm.serial.until(("UKT-INSTALLED",), 1200)
    print(f"{line} ({time.monotonic() - started:.0f} s)")
    vm.serial.until(("UKT-WAIT",), 30)
    return line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image_dir")
    ap.add_argument("--keep", help="copy console and serial logs here")
    ap.add_argument("--no-rollback", action="store_true",
                    help="stop after slot B marked itself good")
    args = ap.parse_args()
    image_dir = pathlib.Path(args.image_dir).resolve()
    image = image_dir / "disk.img"
    bundle = image_dir / "update.raucb"
    for path, how in ((image, "make image"), (bundle, "make bundle"),
                      (image_dir / "rootfs.ext4", "make image")):
        if not path.exists():
            print(f"skipped: no {path} ({how})")
            return 77
    for tool in ("qemu-system-x86_64", "mcopy", "mkfs.vfat", "debugfs", "rauc", "openssl"):
        if not shutil.which(tool):
            print(f"skipped: {tool} missing (scripts/install-image-deps.sh)")
            return 77
    if not os.path.exists(OVMF_CODE):
        print(f"skipped: {OVMF_CODE} missing (ovmf)")
        return 77

    work = pathlib.Path(tempfile.mkdtemp(prefix="uketsuke-rauc-test."))
    vm = None
    checks = []
    times = {}
    ok = False
    try:
        good_disk = work / "good.vfat"
        bundle_disk(bundle, good_disk)
        drives = [good_disk]
        if not args.no_rollback:
            broken = broken_bundle(image_dir, work)
            drives.append(work / "broken.vfat")
            bundle_disk(broken, drives[-1])
            broken.unlink()
        disk, entry = prepare(image, work, f" uketsuke.trial_s={TRIAL_S}")
        esp_write(disk, "/loader/entries/a.conf", entry, work)

        vm = Vm(work, disk, drives=drives, reboot=True)
        # 1. Slot A as flashed.
        boot = Boot(vm)
        boot.wait_active(vm)
        checks += [
            ("boot 1: slot A, no trial", (boot.slot, boot.trial) == ("A", "no")),
            ("boot 1: A marked good", boot.facts.get("mark_good") == "active"),
            ("boot 1: RAUC sees A booted",
             boot.facts.get("rauc.RAUC_SYSTEM_BOOTED_BOOTNAME") == "A"),
        ]
        started = time.monotonic()
        line = install(vm, "/dev/vdb")
        times["install_s"] = time.monotonic() - started
        checks.append(("boot 1: the bundle installed into B, B primary",
                       "rc=0" in line and "primary=B" in line))
        vm.send("reboot")
        vm.serial.until(("UKT-BYE",), 60)
        reboot_at = time.monotonic()

        # 2. Slot B, tried once; the kiosk starts and B marks itself good.
        boot = Boot(vm)
        boot.wait_active(vm)
        times["reboot_to_active_b_s"] = time.monotonic() - reboot_at
        facts = boot.facts
        checks += [
            ("boot 2: slot B on trial", (boot.slot, boot.trial) == ("B", "yes")),
            ("boot 2: B's root is the installed file system (root-b), read-only",
             facts.get("lower_label") == "root-b" and
             facts.get("lower", "").split(" ")[-1].split(",")[0] == "ro"),
            ("boot 2: B marked good after the kiosk started", facts.get("mark_good") == "active"),
            ("boot 2: RAUC: B booted, good and primary",
             facts.get("rauc.RAUC_SYSTEM_BOOTED_BOOTNAME") == "B" and
             slot_status(facts, "B") == "good" and
             facts.get("rauc.RAUC_BOOT_PRIMARY") == "rootfs.1"),
            ("boot 2: the provisioning and data kept", facts.get("clinic") == "1312345678"),
        ]
        if not args.no_rollback:
            vm.send(f"trial {BROKEN_TRIAL_S}")
            vm.serial.until(("UKT-WAIT",), 30)
            line = install(vm, "/dev/vdc")
            checks.append(("boot 2: the broken bundle installed into A, A primary",
                           "rc=0" in line and "primary=A" in line))
            vm.send("reboot")
            vm.serial.until(("UKT-BYE",), 60)
            reboot_at = time.monotonic()

            # 3. Slot A tried once: the kiosk never gets ready, the deadline reboots.
            boot = Boot(vm)
            checks.append(("boot 3: slot A on trial", (boot.slot, boot.trial) == ("A", "yes")))
            # 4. Back on B.
            boot = Boot(vm, BROKEN_TRIAL_S + BOOT_TIMEOUT_S)
            times["reboot_to_rollback_s"] = time.monotonic() - reboot_at
            boot.wait_active(vm)
            facts = boot.facts
            checks += [
                ("boot 4: rolled back to slot B, no trial", (boot.slot, boot.trial) == ("B", "no")),
                ("boot 4: RAUC: B booted and primary, A bad",
                 facts.get("rauc.RAUC_SYSTEM_BOOTED_BOOTNAME") == "B" and
                 facts.get("rauc.RAUC_BOOT_PRIMARY") == "rootfs.1" and
                 slot_status(facts, "A") == "bad"),
            ]
        rc = vm.poweroff()
        checks.append(("orderly power-off", rc == 0))
        times["power_on_to_off_s"] = time.monotonic() - vm.power_on
    except (Failed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        checks.append((f"the test ran to its end ({e})", False))
        if vm:
            print("--- console (last 30 lines)\n" + "\n".join(vm.console_tail()))
    finally:
        if vm:
            vm.stop()
        if args.keep:
            keep = pathlib.Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for p in work.iterdir():
                if p.suffix in (".log", ".err"):
                    shutil.copy(p, keep / p.name)
        shutil.rmtree(work)
    for name, passed in checks:
        print(f"{'ok  ' if passed else 'FAIL'} {name}")
    for key, value in times.items():
        print(f"bench image rauc: {key}={value:.1f}")
    print(f"bench image rauc: bundle_mib={bundle.stat().st_size >> 20}")
    ok = bool(checks) and all(passed for _, passed in checks)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
