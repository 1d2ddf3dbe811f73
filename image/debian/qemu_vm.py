"""The QEMU side of the image's VM tests (boot-test.py, rauc-test.py): a scratch copy of the
disk with a provisioning file, a throw-away CA and kernel arguments for the test driver on its
EFI partition; QEMU (TCG, OVMF, systemd-boot, virtio-vga) with the driver's serial port and the
monitor on sockets; the driver's line protocol (overlay/usr/lib/uketsuke-image/boot-test.sh)
and screenshots through the monitor.
"""
import os
import pathlib
import socket
import subprocess
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
# Kernel arguments of every test boot: the driver unit, kernel and systemd messages on the
# console log (ttyS0 last: /dev/console).
TEST_ARGS = " systemd.wants=uketsuke-image-test.service console=ttyS0,115200"


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


def read_png(path, work):
    """A PNG (the kiosk's own screenshot) as read_ppm gives it, through netpbm's pngtopnm."""
    ppm = work / (pathlib.Path(path).stem + ".ref.ppm")
    with open(ppm, "wb") as out:
        subprocess.run(["pngtopnm", str(path)], check=True, stdout=out)
    return read_ppm(ppm)


def ink_grid(image, cols=16, rows=10):
    """Per block of a cols x rows grid, the share of pixels that differ clearly from the
    image's most common colour (its background); returns (background, shares)."""
    width, height, px = image
    counts = {}
    for i in range(0, len(px), 3 * 16):
        key = bytes(px[i:i + 3])
        counts[key] = counts.get(key, 0) + 1
    bg = max(counts, key=counts.get)
    shares = []
    bw, bh = width // cols, height // rows
    for r in range(rows):
        for c in range(cols):
            ink = total = 0
            for y in range(r * bh, (r + 1) * bh, 2):
                row = (y * width + c * bw) * 3
                for i in range(row, row + bw * 3, 6):
                    total += 1
                    if abs(px[i] - bg[0]) + abs(px[i + 1] - bg[1]) + abs(px[i + 2] - bg[2]) > 48:
                        ink += 1
            shares.append(ink / total)
    return bg, shares


def compare_screens(shot, reference):
    """How well a screendump matches the kiosk's headless render of the same screen: the
    blocks with ink (text, icon, panel) must be the same ones. llvmpipe and the software
    renderer do not give identical pixels, so blocks are compared, not pixels. Returns
    (agreeing blocks, blocks, inked blocks in the reference, message)."""
    if shot[:2] != reference[:2]:
        return 0, 1, 0, f"screen {shot[0]}x{shot[1]}, reference {reference[0]}x{reference[1]}"
    bg_s, a = ink_grid(shot)
    bg_r, b = ink_grid(reference)
    inked = [x > 0.003 for x in b]
    agree = sum(1 for x, y in zip(a, b) if (x > 0.003) == (y > 0.003))
    bg_diff = sum(abs(x - y) for x, y in zip(bg_s, bg_r))
    msg = (f"{agree}/{len(b)} blocks agree, {sum(inked)} inked in the reference, "
           f"background #{bg_s.hex()} vs #{bg_r.hex()}")
    if bg_diff > 12:
        agree = 0
    return agree, len(b), sum(inked), msg


def prepare(image, work, extra_args=""):
    """A sparse copy of IMAGE in WORK with the provisioning file, a throw-away CA and
    OVMF's variables; returns the copy and slot A's loader entry with the test's kernel
    arguments (quiet and loglevel dropped), for the caller to put on the ESP."""
    disk = work / "disk.img"
    run("cp", "--sparse=always", str(image), str(disk))
    run("cp", OVMF_VARS, str(work / "vars.fd"))
    esp_write(disk, "/uketsuke-provision.toml", PROVISION, work)
    # A throw-away CA: the kiosk refuses to start without one (docs/image.md "Provision").
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=boot-test-ca",
        "-keyout", str(work / "ca.key"), "-out", str(work / "ca.pem"),
        stderr=subprocess.DEVNULL)
    esp_write(disk, "/uketsuke-ca.pem", (work / "ca.pem").read_text(), work)
    entry = esp_read(disk, "/loader/entries/a.conf")
    entry = "\n".join(line.replace(" quiet", "").replace(" loglevel=3", "") + TEST_ARGS +
                      extra_args if line.startswith("options ") else line
                      for line in entry.splitlines()) + "\n"
    return disk, entry


class Vm:
    """QEMU running DISK; serial (the driver's lines) and mon (the monitor) once started."""

    def __init__(self, work, disk, drives=(), reboot=False):
        cmd = ["timeout", "-k", "10", str(BOOT_TIMEOUT_S * (4 if reboot else 1)),
               "qemu-system-x86_64",
               "-machine", "q35,accel=tcg", "-cpu", "qemu64", "-smp", "2", "-m", "1536",
               "-display", "none", "-nic", "none", "-device", "virtio-vga",
               "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
               "-drive", f"if=pflash,format=raw,file={work / 'vars.fd'}",
               "-drive", f"file={disk},format=raw,if=virtio"]
        for extra in drives:
            cmd += ["-drive", f"file={extra},format=raw,if=virtio,readonly=on"]
        if not reboot:
            cmd.append("-no-reboot")
        cmd += ["-serial", f"file:{work / 'console.log'}",
                "-chardev", f"socket,id=s1,path={work / 'ttyS1.sock'},server=on,wait=on",
                "-serial", "chardev:s1",
                "-monitor", f"unix:{work / 'mon.sock'},server=on,wait=off"]
        self.work = work
        self.serial_log = open(work / "serial1.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                     stderr=open(work / "qemu.err", "w"))
        deadline = time.monotonic() + 30
        self.serial = Lines(connect(work / "ttyS1.sock", deadline), self.serial_log)
        self.power_on = time.monotonic()  # QEMU runs the guest once the serial socket has a peer
        self.mon = Monitor(connect(work / "mon.sock", deadline))

    def send(self, command):
        self.serial.sock.sendall(command.encode() + b"\n")

    def facts(self, timeout=300):
        """The driver's UKT-FACT lines up to its UKT-WAIT, as a dict (quotes stripped)."""
        facts = {}
        while True:
            line = self.serial.until(("UKT-FACT", "UKT-WAIT", "UKT-LOG"), timeout)
            if line == "UKT-WAIT":
                return facts
            if line.startswith("UKT-FACT "):
                key, _, value = line[len("UKT-FACT "):].partition("=")
                facts[key] = value
            print(line)

    def poweroff(self, timeout=120):
        """Asks the driver to power the VM off; returns QEMU's exit status (0: the guest
        powered off). The driver's UKT-BYE may not reach the host: it exits right after
        writing it and the power-off can stop the VM before the UART has sent the line (seen
        in rauc-test.py's last boot), so the serial port closing counts as its end too."""
        self.send("poweroff")
        try:
            self.serial.until(("UKT-BYE",), 30)
        except Failed as e:
            if "closed its serial port" not in str(e):
                raise
        return self.proc.wait(timeout=timeout)

    def stop(self):
        self.serial_log.close()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def console_tail(self, n=30):
        return (self.work / "console.log").read_text(errors="replace").splitlines()[-n:]



def boot_to_login(image, work, timeout=BOOT_TIMEOUT_S):
    """The boot benchmark's reference: boots a copy of IMAGE (raw, or qcow2 by its name) in
    the same QEMU machine as Vm (TCG, OVMF, virtio, 2 CPUs, 1.5 GiB) with its first serial
    port on a socket, and returns the seconds from power-on (QEMU starts the guest once the
    socket has a peer) to the first "login:" there."""
    image = pathlib.Path(image)
    qcow2 = image.suffix == ".qcow2"
    disk = work / ("reference.qcow2" if qcow2 else "reference.img")
    run("cp", "--sparse=always", str(image), str(disk))
    run("cp", OVMF_VARS, str(work / "reference-vars.fd"))
    sock = work / "reference-ttyS0.sock"
    cmd = ["timeout", "-k", "10", str(timeout), "qemu-system-x86_64",
           "-machine", "q35,accel=tcg", "-cpu", "qemu64", "-smp", "2", "-m", "1536",
           "-display", "none", "-nic", "none", "-device", "virtio-vga", "-no-reboot",
           "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
           "-drive", f"if=pflash,format=raw,file={work / 'reference-vars.fd'}",
           "-drive", f"file={disk},format={'qcow2' if qcow2 else 'raw'},if=virtio",
           "-chardev", f"socket,id=s0,path={sock},server=on,wait=on", "-serial", "chardev:s0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=open(work / "reference-qemu.err", "w"))
    try:
        with open(work / "reference-console.log", "wb") as log:
            conn = connect(sock, time.monotonic() + 30)
            power_on = time.monotonic()
            seen = b""
            deadline = power_on + timeout
            while b"login:" not in seen:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failed(f"no login prompt from the reference in {timeout} s")
                conn.settimeout(left)
                try:
                    chunk = conn.recv(4096)
                except socket.timeout:
                    continue
                if not chunk:
                    raise Failed("the reference VM closed its serial port before a login prompt")
                log.write(chunk)
                seen = seen[-64:] + chunk
            return time.monotonic() - power_on
    finally:
        proc.kill()
        proc.wait()
        disk.unlink(missing_ok=True)
