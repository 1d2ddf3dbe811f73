#!/usr/bin/env python3
"""Boots the terminal's disk image in QEMU (TCG, OVMF, virtio-vga) and checks it works.

    image/debian/boot-test.py IMAGE_DIR [--keep DIR]          (make image-test)

IMAGE_DIR is build.sh's output (disk.img). The disk is copied (sparse), a provisioning file
and a loader entry with `systemd.wants=uketsuke-image-test.service` are put on the copy's
ESP, and the VM boots it through OVMF and systemd-boot. The test unit inside speaks over the
second serial port (image/debian/overlay/usr/lib/uketsuke-image/boot-test.sh). Checks: the
kiosk unit becomes active; the image facts (read-only overlay root, data partition, the
provisioned clinic and time zone, no vsmartcard, the NFC blacklist, no getty); a screenshot
(QEMU monitor `screendump`) that is not blank; SIGKILL of the kiosk and systemd starting it
again, with a frame again. Prints the times (power-on to active, to first frame, restart)
as bench lines. Exit 0 when every check passed, 1 otherwise, 77 when there is no image.
"""
import argparse
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
PROVISION = """clinic_code = "1312345678"
terminal_id = "KIOSK-BOOTTEST"
desk_url    = "https://desk.test:8444"
gateway_url = "https://gateway.test:8443"
timezone    = "Asia/Tokyo"
"""
# TCG on a busy two-core host: the first boot took 3 minutes to reach systemd.
BOOT_TIMEOUT_S = int(os.environ.get("UKETSUKE_BOOT_TIMEOUT", "1500"))
FRAME_TIMEOUT_S = 180


class Failed(Exception):
    pass


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def esp_write(disk, name, text, work):
    path = work / pathlib.Path(name).name
    path.write_text(text)
    run("mcopy", "-o", "-i", f"{disk}@@1M", str(path), f"::{name}",
        env={**os.environ, "MTOOLS_SKIP_CHECK": "1"})


def esp_read(disk, name):
    return subprocess.run(["mcopy", "-i", f"{disk}@@1M", f"::{name}", "-"], check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "MTOOLS_SKIP_CHECK": "1"}).stdout


def connect(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(str(path))
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() > deadline:
                raise Failed(f"QEMU never opened {path}")
            time.sleep(0.05)


class Lines:
    """Line reader over the serial socket, with a deadline per call."""

    def __init__(self, sock, log):
        self.sock, self.buf, self.log = sock, b"", log

    def next(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failed(f"no line from the VM in {timeout} s")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                continue
            if not chunk:
                raise Failed("the VM closed its serial port")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        text = line.decode(errors="replace").strip()
        self.log.write(text + "\n")
        self.log.flush()
        return text

    def until(self, prefixes, timeout):
        deadline = time.monotonic() + timeout
        while True:
            line = self.next(max(1, deadline - time.monotonic()))
            if line.startswith("UKT-FAIL"):
                raise Failed(line)
            if line.startswith(prefixes):
                return line


class Monitor:
    def __init__(self, sock):
        self.sock = sock
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        self.sock.settimeout(60)
        while not buf.endswith(b"(qemu) "):
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Failed("the QEMU monitor closed")
            buf += chunk
        return buf.decode(errors="replace")

    def command(self, text):
        self.sock.sendall(text.encode() + b"\n")
        return self.read_prompt()


def read_ppm(path):
    data = path.read_bytes()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise Failed(f"{path}: not an 8-bit P6 PPM")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:pos + 1 + width * height * 3]


def features(path):
    """Share of pixels that are not (nearly) black, and coarse colours (4 bits per channel)."""
    width, height, px = read_ppm(path)
    lit, colours = 0, {}
    for i in range(0, len(px), 3 * 4):  # every 4th pixel is enough for coarse features
        r, g, b = px[i], px[i + 1], px[i + 2]
        if r + g + b > 48:
            lit += 1
        key = (r >> 4, g >> 4, b >> 4)
        colours[key] = colours.get(key, 0) + 1
    samples = len(px) // (3 * 4)
    # colours covering at least 0.1 % of the screen: background, panel, text...
    big = sum(1 for n in colours.values() if n * 1000 >= samples)
    return width, height, lit / samples, big


def lit(f):
    return f[2] > 0.05


def content(f):
    return lit(f) and f[3] >= 2


def wait_frame(mon, work, name, timeout, good):
    """Screenshots until good(features); returns (path, features) or (last path, None)."""
    start = time.monotonic()
    n, last = 0, None
    while True:
        n += 1
        shot = work / f"{name}-{n}.ppm"
        mon.command(f"screendump {shot}")
        if shot.exists():
            f = features(shot)
            if last is not None:
                last.unlink()
            last = shot
            if good(f):
                return shot, f
        if time.monotonic() - start > timeout:
            return last, None
        time.sleep(1)  # a screenshot costs the TCG guest time: at most one per second


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image_dir")
    ap.add_argument("--keep", help="copy console log, serial log and screenshots here")
    args = ap.parse_args()
    image = pathlib.Path(args.image_dir) / "disk.img"
    if not image.exists():
        print(f"skipped: no {image} (make image)")
        return 77
    for tool in ("qemu-system-x86_64", "mcopy", "pnmtopng", "openssl"):
        if not shutil.which(tool):
            print(f"skipped: {tool} missing (scripts/install-image-deps.sh)")
            return 77
    if not os.path.exists(OVMF_CODE):
        print(f"skipped: {OVMF_CODE} missing (ovmf)")
        return 77

    work = pathlib.Path(tempfile.mkdtemp(prefix="uketsuke-boot-test."))
    qemu = None
    ok = False
    timings = {}
    serial_log = open(work / "serial1.log", "w")
    try:
        disk = work / "disk.img"
        run("cp", "--sparse=always", str(image), str(disk))
        shutil.copy(OVMF_VARS, work / "vars.fd")
        esp_write(disk, "/uketsuke-provision.toml", PROVISION, work)
        # A throw-away CA: the kiosk refuses to start without one (docs/image.md "Provision").
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=boot-test-ca",
            "-keyout", str(work / "ca.key"), "-out", str(work / "ca.pem"),
            stderr=subprocess.DEVNULL)
        esp_write(disk, "/uketsuke-ca.pem", (work / "ca.pem").read_text(), work)
        entry = esp_read(disk, "/loader/entries/a.conf").replace("title Uketsuke (slot A)",
                                                                  "title Uketsuke boot test")
        # Kernel and systemd messages go to the console log (ttyS0 last: /dev/console).
        test_args = " systemd.wants=uketsuke-image-test.service console=ttyS0,115200"
        entry = "\n".join(line.replace(" quiet", "").replace(" loglevel=3", "") + test_args
                          if line.startswith("options ") else line
                          for line in entry.splitlines()) + "\n"
        esp_write(disk, "/loader/entries/boottest.conf", entry, work)
        esp_write(disk, "/loader/loader.conf", "default boottest.conf\ntimeout 0\neditor no\n",
                  work)

        cmd = ["timeout", "-k", "10", str(BOOT_TIMEOUT_S), "qemu-system-x86_64",
               "-machine", "q35,accel=tcg", "-cpu", "qemu64", "-smp", "2", "-m", "1536",
               "-display", "none", "-no-reboot", "-nic", "none", "-device", "virtio-vga",
               "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
               "-drive", f"if=pflash,format=raw,file={work / 'vars.fd'}",
               "-drive", f"file={disk},format=raw,if=virtio",
               "-serial", f"file:{work / 'console.log'}",
               "-chardev", f"socket,id=s1,path={work / 'ttyS1.sock'},server=on,wait=on",
               "-serial", "chardev:s1",
               "-monitor", f"unix:{work / 'mon.sock'},server=on,wait=off"]
        qemu = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(work / "qemu.err", "w"))
        deadline = time.monotonic() + 30
        serial = Lines(connect(work / "ttyS1.sock", deadline), serial_log)
        power_on = time.monotonic()  # QEMU runs the guest once the serial socket has a peer
        mon = Monitor(connect(work / "mon.sock", deadline))

        active = serial.until(("UKT-ACTIVE",), BOOT_TIMEOUT_S)
        timings["power_on_to_active_s"] = time.monotonic() - power_on
        print(active)
        facts = {}
        while True:
            line = serial.until(("UKT-FACT", "UKT-WAIT"), 60)
            if line == "UKT-WAIT":
                break
            key, _, value = line[len("UKT-FACT "):].partition("=")
            facts[key] = value
            print(line)
        shot, f = wait_frame(mon, work, "idle", FRAME_TIMEOUT_S, lit)
        if f is None:
            raise Failed(f"the screen stayed dark for {FRAME_TIMEOUT_S} s after READY=1")
        timings["power_on_to_first_frame_s"] = time.monotonic() - power_on
        shot, f = wait_frame(mon, work, "idle", FRAME_TIMEOUT_S, content)
        if f is not None:
            timings["power_on_to_screen_content_s"] = time.monotonic() - power_on
        else:
            f = features(shot)
        run("sh", "-c", f"pnmtopng {shot} > {work / 'screen.png'}")
        print(f"screen: {f[0]}x{f[1]}, {f[2]:.0%} lit, {f[3]} colours")

        checks = [
            ("root is an overlay", facts.get("root", "").startswith("overlay")),
            ("its lower file system is mounted read-only",
             facts.get("lower", "").split(" ")[-1].startswith("ro")),
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
            ("a frame on the screen", lit(f)),
            ("the screen has content (text), not only a background", content(f)),
        ]

        restart_start = time.monotonic()
        serial.sock.sendall(b"kill\n")
        restarted = serial.until(("UKT-RESTARTED",), 120)
        timings["kill_to_active_s"] = time.monotonic() - restart_start
        print(restarted)
        serial.until(("UKT-WAIT",), 30)
        shot2, f2 = wait_frame(mon, work, "restarted", FRAME_TIMEOUT_S, lit)
        if f2 is not None:
            timings["kill_to_frame_s"] = time.monotonic() - restart_start
        run("sh", "-c", f"pnmtopng {shot2} > {work / 'screen-restarted.png'}")
        checks.append(("a frame again after the restart", f2 is not None))
        checks.append(("restarted by systemd", "->" in restarted and
                       restarted.split("restarts=")[1].split("->")[0] !=
                       restarted.split("->")[1].split()[0]))

        serial.sock.sendall(b"poweroff\n")
        serial.until(("UKT-BYE",), 30)
        rc = qemu.wait(timeout=120)
        timings["power_on_to_off_s"] = time.monotonic() - power_on
        checks.append(("orderly power-off", rc == 0))

        for name, passed in checks:
            print(f"{'ok  ' if passed else 'FAIL'} {name}")
        for key, value in timings.items():
            print(f"bench image boot: {key}={value:.1f}")
        size = image.stat()
        print(f"bench image size: disk_mib={size.st_size >> 20} "
              f"allocated_mib={(size.st_blocks * 512) >> 20}")
        times = image.parent / "build-times.txt"
        if times.exists():
            print("bench image build: " + " ".join(times.read_text().split()))
        ok = all(passed for _, passed in checks)
    except (Failed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}")
        tail = (work / "console.log").read_text(errors="replace").splitlines()[-30:]
        print("--- console (last 30 lines)\n" + "\n".join(tail))
    finally:
        serial_log.close()
        if qemu and qemu.poll() is None:
            qemu.kill()
            qemu.wait()
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
