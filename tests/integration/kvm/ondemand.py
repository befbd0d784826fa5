#!/usr/bin/env python3
"""unilab-kvm --on-demand, as a client sees it: the monitor holds the
network (a hostfwd port of user-mode networking, or a real TAP in a
network namespace this test makes) and boots httpd.kvm only when the
first request comes.

    ondemand.py MONITOR HTTPD_IMAGE HOSTILE_IMAGE user|tap

Checked: the cold first request is served (and took one boot); on the
TAP, a burst of 100 concurrent first connections is served whole, none
lost (not through user-mode networking: libslirp listens with a backlog
of one, and the host drops connections beyond it whether or not the
guest is already up);
idle-exit=SECONDS ends the guest, the monitor waits, and a later request
boots a fresh VM; a guest that crashes on boot is reported and ends the
monitor with its status, or with --on-demand=keep-serving is reported
and the next request is served. user needs /dev/kvm; tap needs root too.
Exits 77 (skip) without them."""
import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from ring_exits import free_port

HOST_IP, GUEST_IP = "10.78.0.1", "10.78.0.2"
TAP = "ulodtap0"
BURST = 100
IDLE_S = 1.0
PAGE = "/hello.json"


def run(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def skip_reason(mode):
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        return f"cannot open /dev/kvm: {e.strerror}"
    if mode == "tap":
        if os.geteuid() != 0:
            return "needs root to make a network namespace and a TAP device"
        if run("ip", "netns", "list", check=False).returncode != 0:
            return "the ip command cannot manage network namespaces"
    return None


class Monitor:
    """One unilab-kvm --on-demand; its stderr and stdout are collected by a
    thread, so the test can wait for a line and count boots."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)  # the end of its output
            self.cond.notify_all()

    def count(self, text):
        with self.cond:
            return self.count_locked(text)

    def wait_count(self, text, n, seconds):
        deadline = time.monotonic() + seconds
        with self.cond:
            while self.count_locked(text) < n:
                left = deadline - time.monotonic()
                if left <= 0 or (self.lines and self.lines[-1] is None):
                    raise AssertionError(
                        f"monitor said {text!r} {self.count_locked(text)} "
                        f"times, not {n}: {self.log()}")
                self.cond.wait(left)

    def count_locked(self, text):
        return sum(1 for l in self.lines if l and text in l)

    def log(self):
        return "".join(l for l in list(self.lines) if l)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def get(host, port, path=PAGE, timeout=20):
    """One HTTP/1.0 GET on a new connection: (status line, body, seconds
    to the first byte of the answer)."""
    t0 = time.monotonic()
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        first = s.recv(65536)
        ttfb = time.monotonic() - t0
        data = first
        while True:
            more = s.recv(65536)
            if not more:
                break
            data += more
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body, ttfb


def check_cold_and_warm(mon, host, port):
    mon.wait_count("waiting for the first request", 1, 10)
    assert mon.count("serving on port") == 0, "the guest booted before a request"
    status, body, cold = get(host, port)
    assert status.endswith("200 OK") and body, f"cold request: {status}"
    status, body, warm = get(host, port)
    assert status.endswith("200 OK") and body, f"warm request: {status}"
    assert mon.count("serving on port") == 1, mon.log()
    print(f"ok: cold first request served in {cold * 1e3:.1f} ms to the "
          f"first byte (warm: {warm * 1e3:.1f} ms), one boot")


def check_idle_restart(mon, host, port):
    boots = mon.count("serving on port")
    mon.wait_count("the guest ended (status 0)", 1, 10 + IDLE_S)
    time.sleep(0.2)
    assert mon.proc.poll() is None, "the monitor ended with its guest"
    assert mon.count("serving on port") == boots, "booted with no request"
    status, _, ttfb = get(host, port)
    assert status.endswith("200 OK"), status
    assert mon.count("serving on port") == boots + 1, mon.log()
    print(f"ok: idle-exit={IDLE_S:g} ended the guest, the monitor waited, and "
          f"a later request booted a fresh one ({ttfb * 1e3:.1f} ms)")


def check_burst(mon, host, port):
    boots = mon.count("serving on port")
    with concurrent.futures.ThreadPoolExecutor(BURST) as pool:
        results = list(pool.map(lambda _: get(host, port, timeout=60),
                                range(BURST)))
    ok = sum(1 for status, body, _ in results
             if status.endswith("200 OK") and body)
    bad = [r[0] or repr(r[1][:60]) for r in results
           if not (r[0].endswith("200 OK") and r[1])]
    assert ok == BURST, f"{BURST - ok} of {BURST} requests lost: {bad[:5]}"
    assert mon.count("serving on port") == boots + 1, \
        f"one guest should have served them: {mon.log()}"
    slowest = max(r[2] for r in results)
    print(f"ok: a burst of {BURST} concurrent first connections, all served "
          f"by one boot (slowest first byte {slowest * 1e3:.0f} ms)")


def check_crash(monitor, hostile, net, host, port):
    """A guest that crashes at once: reported, and the monitor ends with
    the crash status (115)."""
    mon = Monitor([monitor, "--on-demand", net, hostile, "null-deref"])
    try:
        mon.wait_count("waiting for the first request", 1, 10)
        try:
            get(host, port, timeout=5)
        except OSError:
            pass  # the guest never answers; the connection may just end
        mon.proc.wait(timeout=15)
        assert mon.proc.returncode == 115, f"status {mon.proc.returncode}"
        log = mon.log()
        assert "reading from address 0x10" in log and \
            "failed (status 115); stopping" in log, log
    finally:
        mon.stop()
    print("ok: a guest that crashes on boot is reported and ends the "
          "monitor with status 115")


def check_keep_serving(monitor, image, net, host, port, tmp, args):
    """With keep-serving, a guest that fails on boot is reported and the
    monitor serves on. The guest's files are on a disk that is not an
    ext2 file system at first (the boot fails: 'cannot mount root'); the
    test then writes a good file system into it, and the next request
    boots a guest that serves it."""
    www = os.path.join(tmp, "www")
    os.mkdir(www)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("served on demand\n")
    good = os.path.join(tmp, "good.img")
    disk = os.path.join(tmp, "disk.img")
    run("mke2fs", "-q", "-t", "ext2", "-d", www, good, "1M")
    with open(disk, "wb") as f:
        f.write(bytes(os.path.getsize(good)))
    mon = Monitor([monitor, "--on-demand=keep-serving", net,
                   f"--disk={disk}", image, "root=blk0"] + args)
    try:
        mon.wait_count("waiting for the first request", 1, 10)
        try:
            get(host, port, path="/", timeout=3)
        except OSError:
            pass
        mon.wait_count("serving the next request with a fresh VM", 1, 15)
        assert "cannot mount root" in mon.log(), mon.log()
        time.sleep(0.5)
        assert mon.proc.poll() is None, "the monitor stopped: " + mon.log()
        shutil.copyfile(good, disk)
        status, body, _ = get(host, port, path="/")
        assert status.endswith("200 OK") and body == b"served on demand\n", \
            f"{status} {body!r}: {mon.log()}"
    finally:
        mon.stop()
    print("ok: with keep-serving, a guest that failed on boot is reported "
          "and the next request is served")


def scenario(monitor, image, hostile, net, host, port, args, tmp, burst):
    # 32M: httpd gives each connection a thread of its own (64 KiB of
    # stack), and a burst holds 100 at once.
    mon = Monitor([monitor, "--on-demand", "--mem=32M", net, image,
                   f"idle-exit={IDLE_S:g}"] + args)
    try:
        check_cold_and_warm(mon, host, port)
        check_idle_restart(mon, host, port)
        if burst:
            mon.wait_count("the guest ended (status 0)", 2, 10 + IDLE_S)
            check_burst(mon, host, port)
    finally:
        mon.stop()
    check_crash(monitor, hostile, net, host, port)
    check_keep_serving(monitor, image, net, host, port, tmp, args)


def inside_netns(monitor, image, hostile, tmp):
    run("ip", "link", "set", "lo", "up")
    run("ip", "tuntap", "add", "dev", TAP, "mode", "tap")
    run("ip", "link", "set", TAP, "up")
    run("ip", "addr", "add", f"{HOST_IP}/24", "dev", TAP)
    scenario(monitor, image, hostile, f"--net=tap:{TAP}", GUEST_IP, 80,
             [f"ip={GUEST_IP}/24"], tmp, burst=True)


def main():
    monitor, image, hostile, mode = sys.argv[1:5]
    with tempfile.TemporaryDirectory() as tmp:
        if sys.argv[5:] == ["--inside"]:
            inside_netns(monitor, image, hostile, tmp)
            return 0
        why = skip_reason(mode)
        if why:
            print(f"SKIP: {why}")
            return 77
        if mode == "user":
            port = free_port()
            scenario(monitor, image, hostile,
                     f"--net=user,hostfwd=tcp::{port}-:80", "127.0.0.1", port,
                     ["ip=10.0.2.15/24", "gw=10.0.2.2"], tmp, burst=False)
            return 0
        ns = f"ulod-test-{os.getpid()}"
        run("ip", "netns", "add", ns)
        try:
            return subprocess.run(["ip", "netns", "exec", ns, sys.executable,
                                   __file__, monitor, image, hostile, mode,
                                   "--inside"]).returncode
        finally:
            run("ip", "netns", "del", ns, check=False)


if __name__ == "__main__":
    sys.exit(main())
