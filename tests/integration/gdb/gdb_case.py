#!/usr/bin/env python3
"""Debug one image with the real gdb, in batch mode, and check the session.

    gdb_case.py CASE_DIR BUILD_ROOT BACKEND [MONITOR]

MONITOR is unilab-kvm for kvm and run-qemu.sh for baremetal.

CASE_DIR holds:
  args       line 1: the image (a test image under tests/images, or an
             app); each further line: one argument for it
  commands   the gdb commands, one per line (a gdb script)
  expected   regexps, one per line, that gdb's output must match in this
             order
  status     kvm, baremetal: the exit status of unilab-kvm or run-qemu.sh
             (the guest's own, or the monitor's: 115 crash, 118 killed by
             gdb)
  output     optional, kvm: regexps that the monitor's output (the guest's
             console and the monitor's messages) must each match
  interrupt  optional: a regexp; once the image's output matches it, send
             gdb a SIGINT (Ctrl-C), as a user would
  backends   optional: the backends the case runs on (default: kvm)

On kvm the monitor is started with --gdb=0 (it picks a free port and
prints it) and gdb connects with "target remote"; on baremetal QEMU (TCG)
runs the image with break=1 and its COM2 on a free local port, where the
image's own stub waits before main; on posix gdb runs the
image itself, stopped first at its first instruction (starti) as the
monitor stops a guest, so that one script fits both. A sanitizer report from the monitor fails the case. Exits 77
(skip) with the reason when the machine cannot run it: no /dev/kvm, no
QEMU or no gdb."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

TIMEOUT = 120  # seconds for a whole session: emulated watchpoints step
SANITIZER_REPORTS = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")
# unilab-kvm's (with the port it took) or a baremetal image's.
READY_LINE = re.compile(
    r"waiting for gdb on (?:127\.0\.0\.1:(\d+)|the second serial port)")


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def image_path(build, name, backend):
    backend = {"baremetal": "bm"}.get(backend, backend)  # the file suffix
    for folder in ("apps", "tests/images"):
        path = os.path.join(build, folder, name, f"{name}.{backend}")
        if os.path.exists(path):
            return path
    return os.path.join(build, "tests/images", name, f"{name}.{backend}")


def why_skip(backend):
    if not shutil.which("gdb"):
        return "gdb is not installed (apt-get install gdb)"
    if backend == "kvm":
        try:
            os.close(os.open("/dev/kvm", os.O_RDWR))
        except OSError as e:
            return f"cannot open /dev/kvm: {e.strerror}"
    if backend == "baremetal" and not shutil.which("qemu-system-x86_64"):
        return "qemu-system-x86_64 is not installed (./unilab setup)"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Monitor:
    """unilab-kvm --gdb=0 or run-qemu.sh --gdb=PORT, its output collected
    as it comes."""

    def __init__(self, command, port=None):
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        self.lines = []
        self.port = port
        self.have_port = threading.Event()
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace")
            self.lines.append(line)
            m = READY_LINE.search(line)
            if m and not self.have_port.is_set():
                if m.group(1):
                    self.port = int(m.group(1))
                self.have_port.set()
        self.have_port.set()  # ended without one: stop waiting

    def finish(self):
        try:
            status = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = "still running 30 s after gdb ended (killed)"
        self.reader.join(timeout=5)
        return status, "".join(self.lines)


def collect(stream, lines):
    for raw in stream:
        lines.append(raw.decode(errors="replace"))


def send_sigint(gdb):
    gdb.send_signal(signal.SIGINT)


def run_gdb(command, interrupt, monitor_lines, action=send_sigint):
    """gdb's output; with interrupt, action(gdb) (a SIGINT, as a user's
    Ctrl-C) once the image's output (on kvm the monitor's, on posix gdb's
    own) or gdb's matches it."""
    # A sanitized posix image: LeakSanitizer cannot work under ptrace.
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    gdb = subprocess.Popen(command, stdout=subprocess.PIPE, env=env,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    lines = []
    reader = threading.Thread(target=collect, args=(gdb.stdout, lines),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + TIMEOUT
    if interrupt:
        while not re.search(interrupt, "".join(lines + monitor_lines),
                            re.MULTILINE):
            if time.monotonic() > deadline or gdb.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(0.5)  # into the loop that printed it
        action(gdb)
    try:
        gdb.wait(timeout=max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        gdb.kill()
        lines.append("\n(gdb killed: still running after the time limit)\n")
    reader.join(timeout=5)
    return "".join(lines)


def in_order(patterns, text):
    """The first pattern that does not match after the previous one."""
    pos = 0
    for pattern in patterns:
        m = re.compile(pattern, re.MULTILINE).search(text, pos)
        if not m:
            return pattern
        pos = m.end()
    return None


def main():
    case, build, backend = sys.argv[1:4]
    monitor = sys.argv[4] if len(sys.argv) > 4 else None
    backends = (read_lines(os.path.join(case, "backends")) or ["kvm"])[0]
    if backend not in backends.split():
        print(f"SKIP: this case runs on {backends} only")
        return 77
    why = why_skip(backend)
    if why:
        print(f"SKIP: {why}")
        return 77

    args = read_lines(os.path.join(case, "args"))
    image = image_path(build, args[0], backend)
    interrupt = (read_lines(os.path.join(case, "interrupt")) or [None])[0]
    gdb = ["gdb", "-nx", "-batch", "-ex", "set pagination off",
           "-ex", "set confirm off"]

    if backend in ("kvm", "baremetal"):
        if backend == "kvm":
            mon = Monitor([monitor, "--gdb=0", "--timeout=100", image]
                          + args[1:])
        else:
            port = free_port()
            mon = Monitor([monitor, "--accel=tcg", f"--gdb={port}",
                           "--timeout=60", image, "break=1"] + args[1:],
                          port)
        mon.have_port.wait(timeout=30)
        if not any(READY_LINE.search(line) for line in mon.lines):
            mon.proc.kill()
            print("FAIL: the monitor never said where it waits for gdb")
            print(mon.finish()[1])
            return 1
        gdb += ["-ex", f"target remote 127.0.0.1:{mon.port}"]
        gdb += ["-x", os.path.join(case, "commands"), image]
        out = run_gdb(gdb, interrupt, mon.lines)
        status, mon_out = mon.finish()
    else:
        # starti: stopped at the first instruction, as on kvm.
        gdb += ["-ex", "starti", "-x", os.path.join(case, "commands"),
                "--args", image]
        out = run_gdb(gdb + args[1:], interrupt, [])
        status, mon_out = None, ""

    problems = []
    missing = in_order(read_lines(os.path.join(case, "expected")), out)
    if missing:
        problems.append(f"gdb's output has no match (in order) for /{missing}/")
    if backend in ("kvm", "baremetal"):
        want = int(read_lines(os.path.join(case, "status"))[0])
        if status != want:
            problems.append(f"{monitor} exit status {status}, want {want}")
    if backend == "kvm":
        for pattern in read_lines(os.path.join(case, "output")):
            if not re.search(pattern, mon_out, re.MULTILINE):
                problems.append(f"the monitor's output has no match for /{pattern}/")
        if SANITIZER_REPORTS.search(mon_out):
            problems.append("the monitor hit a sanitizer error")

    print("--- gdb:\n" + out)
    if backend in ("kvm", "baremetal"):
        print("--- %s (status %s):\n%s" % (monitor, status, mon_out))
    for problem in problems:
        print("FAIL: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
