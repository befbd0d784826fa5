#!/usr/bin/env python3
"""kv under SIGKILL: rounds of random PUT/DEL over TCP to the kv app on an
ext2 disk, each round ended by killing the image (the process, or the
monitor) at a random moment; then e2fsck -p repairs what ext2 leaves,
e2fsck -fn must find the disk clean, and the restarted image must still
hold every write it acknowledged (a write in flight at the kill may or may
not be there). User-mode networking: no root needed.

    kv_crash.py BUILD_ROOT posix|kvm ROUNDS [WINDOW_MS]

Each round's kill comes between WINDOW_MS/20 and WINDOW_MS (default 400)
after the image serves: a shorter window makes many restarts affordable.
A connection that stalls while the written values are read back is asked
again on a new one, and counted in the last line.
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PATH = os.environ.get("PATH", "") + ":/sbin:/usr/sbin"
os.environ["PATH"] = PATH


def skip(why):
    print("SKIP:", why)
    sys.exit(77)


DISK = None


def fail(why):
    print("FAIL:", why)
    if DISK and os.path.exists(DISK):
        log = subprocess.run(["debugfs", "-R", "cat /kv.log", DISK],
                             capture_output=True, text=True).stdout
        print("the end of kv.log on the disk:\n" + log[-300:])
        shutil.copy(DISK, os.environ.get("KV_KEEP", "/dev/null"))
    sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Image:
    def __init__(self, build, backend, disk):
        self.port = free_port()
        net = f"--net=user,hostfwd=tcp::{self.port}-:7000"
        # A fixed address, not DHCP: a DHCP exchange that times out on a
        # loaded machine would leave kv serving on no address.
        args = ["ip=10.0.2.15/24", "gw=10.0.2.2", "root=blk0"]
        if backend == "posix":
            cmd = [f"{build}/apps/kv/kv.posix", f"--disk={disk}", net] + args
        else:
            cmd = [f"{build}/backends/kvm/unilab-kvm", "--mem=32M",
                   f"--disk={disk}", net, f"{build}/apps/kv/kv.kvm"] + args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = []
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                self.proc.wait()
                fail("kv ended before serving:\n" + "".join(self.lines))
            self.lines.append(line)
            if line.startswith("kv: serving on port 7000"):
                break
        else:
            self.proc.kill()
            self.proc.wait()
            fail("kv did not start:\n" + "".join(self.lines))
        threading.Thread(target=self._drain, daemon=True).start()
        self.connect()

    def connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.port), 10)
        self.file = self.sock.makefile("rwb")

    def _drain(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def ask(self, line):
        self.file.write(line.encode() + b"\n")
        self.file.flush()
        answer = self.file.readline()
        if not answer:
            raise ConnectionError
        return answer.decode().rstrip("\n")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.sock.close()


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[2] not in ("posix", "kvm"):
        sys.exit(__doc__)
    build, backend, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    window = int(sys.argv[4]) / 1000 if len(sys.argv) == 5 else 0.4
    for tool in ("mke2fs", "e2fsck"):
        if not shutil.which(tool):
            skip(f"{tool} is not installed (e2fsprogs)")
    if backend == "kvm" and not os.access("/dev/kvm", os.W_OK):
        skip("/dev/kvm is not usable")
    rng = random.Random(1234)
    keys = [f"key{i}" for i in range(40)]
    acked = {k: None for k in keys}    # last acknowledged value
    pending = {k: [] for k in keys}    # sent since, not acknowledged
    work = tempfile.mkdtemp(prefix="unilab-kv.")
    global DISK
    disk = DISK = os.path.join(work, "kv.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024",
                    disk, "64M"], check=True)
    total_acked = repaired = stalls = 0
    started = time.monotonic()
    img = None
    try:
        for r in range(rounds + 1):
            img = Image(build, backend, disk)
            for k in keys:
                try:
                    got = img.ask(f"GET {k}")
                except OSError:
                    # A connection that stalls is the network's fault, not
                    # the store's: count it, ask again on a new one.
                    stalls += 1
                    img.sock.close()
                    try:
                        img.connect()
                        got = img.ask(f"GET {k}")
                    except OSError as e:
                        fail(f"round {r}: GET {k}: {e!r}; the image "
                             "said:\n" + "".join(img.lines[-20:]))
                value = got[6:] if got.startswith("VALUE ") else None
                if got != "NOTFOUND" and value is None:
                    fail(f"GET {k}: {got}")
                if value != acked[k] and value not in pending[k]:
                    fail(f"round {r}: {k} is {value!r}; acknowledged "
                         f"{acked[k]!r}, in flight {pending[k]!r}")
                acked[k], pending[k] = value, []
            if r == rounds:
                img.kill()
                break
            timer = threading.Timer(rng.uniform(window / 20, window),
                                    img.kill)
            timer.start()
            try:
                for i in range(100000):
                    k = rng.choice(keys)
                    value = None if rng.random() < 0.2 else f"v{r}.{i}"
                    pending[k].append(value)
                    req = f"PUT {k} {value}" if value else f"DEL {k}"
                    got = img.ask(req)
                    if got not in ("OK", "NOTFOUND"):
                        fail(f"{req}: {got}")
                    acked[k], pending[k] = value, []
                    total_acked += 1
            except (ConnectionError, OSError, ValueError):
                pass
            timer.join()
            fix = subprocess.run(["e2fsck", "-fp", disk],
                                 capture_output=True, text=True)
            if fix.returncode > 1:
                fail(f"round {r}: e2fsck -p could not repair:\n{fix.stdout}")
            if fix.returncode == 0:
                continue  # a forced check found nothing to repair
            repaired += 1
            check = subprocess.run(["e2fsck", "-fn", disk],
                                   capture_output=True, text=True)
            if check.returncode:
                fail(f"round {r}: not clean after e2fsck -p:\n{check.stdout}")
    finally:
        if img and img.proc.poll() is None:
            img.proc.kill()  # a failure leaves no image behind
            img.proc.wait()
        shutil.rmtree(work)
    print(f"ok: {rounds} kills of kv on {backend} in "
          f"{time.monotonic() - started:.0f} s; all {total_acked} "
          f"acknowledged writes survived; e2fsck -p found {repaired} disks "
          f"to repair and repaired them all"
          + (f"; connections that stalled (no answer in 10 s) and were "
             f"asked again on a new one: {stalls}" if stalls else ""))


if __name__ == "__main__":
    main()
