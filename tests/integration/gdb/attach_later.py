#!/usr/bin/env python3
"""gdb attaches to a kvm image that is already running, and leaves it
running: the real gdb in batch mode, httpd serving curl over user-mode
networking.

    attach_later.py CASE MONITOR HTTPD_IMAGE UNILAB

CASE is one of
  listen  the monitor runs with --gdb-listen=0; gdb attaches while httpd
          serves, stops in the request handler when a curl comes, shows
          the backtrace and the request, detaches; that curl and the next
          are answered
  signal  the same through `UNILAB attach PID` (SIGUSR1), the monitor
          started without any gdb option
  baremetal
          MONITOR is run-qemu.sh and HTTPD_IMAGE httpd.bm (TCG): QEMU runs
          with --gdb-listen=PORT; gdb attaches to the image's own stub on
          COM2 twice while httpd serves, sees its threads, and detaches;
          a third gdb stops the image and is killed without a word, and
          httpd serves on (run-qemu.sh's relay detached it); then QEMU's
          dump-guest-memory (run-qemu.sh --monitor) writes a core of the
          running image that gdb reads
  errors  attach to a process that is not a monitor, to one that does not
          exist, twice at the same time (through UNILAB attach, and a raw
          second connection), and a gdb killed without detaching: each a
          clear message, and httpd serves on

Exits 77 (skip) with the reason when there is no /dev/kvm (QEMU for
baremetal), gdb or curl."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from gdb_case import run_gdb

SANITIZER_REPORTS = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")
PAGE = '"message": "hello"'


def why_skip(case):
    for tool in ("gdb", "curl"):
        if not shutil.which(tool):
            return f"{tool} is not installed (./unilab setup)"
    if case == "baremetal":
        if not shutil.which("qemu-system-x86_64"):
            return "qemu-system-x86_64 is not installed (./unilab setup)"
        return None
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        return f"cannot open /dev/kvm: {e.strerror}"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(msg, httpd=None):
    print(f"FAIL: {msg}")
    if httpd:
        print("--- monitor output ---")
        print(httpd.output())
        httpd.proc.kill()
    sys.exit(1)


class Httpd:
    """The monitor running httpd, its output collected as it comes."""

    def __init__(self, monitor, image, options):
        self.web = free_port()
        net = f"--net=user,hostfwd=tcp:127.0.0.1:{self.web}-:80"
        self.proc = subprocess.Popen(
            [monitor, *options, net, image, "ip=dhcp"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        self.lines = []
        threading.Thread(target=self.read, daemon=True).start()
        if not self.wait_for(r"httpd: serving", 60):
            fail("httpd did not start", self)

    def read(self):
        for raw in self.proc.stdout:
            self.lines.append(raw.decode(errors="replace"))

    def output(self):
        return "".join(self.lines)

    def wait_for(self, pattern, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            m = re.search(pattern, self.output())
            if m:
                return m
            if self.proc.poll() is not None:
                return None
            time.sleep(0.05)
        return None

    def curl(self, path="/hello.json", timeout=20):
        r = subprocess.run(
            ["curl", "--silent", "--show-error", "--max-time", str(timeout),
             f"http://127.0.0.1:{self.web}{path}"],
            capture_output=True, text=True)
        return r.stdout + r.stderr

    def served(self, what):
        body = self.curl()
        if PAGE not in body:
            fail(f"{what}: curl got {body!r}, not the page", self)

    def stop(self):
        """End the monitor; a sanitizer report fails the test."""
        # The whole group: run-qemu.sh's QEMU too.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            fail("the monitor did not end on SIGTERM", self)
        time.sleep(0.2)
        if SANITIZER_REPORTS.search(self.output()):
            fail("the monitor's sanitizers reported an error", self)


def gdb_session(command, httpd):
    """Run gdb (command), and once it has set its breakpoint and gone on,
    one curl; returns gdb's output and what curl got."""
    got, client = [], []

    def request(gdb):
        client.append(threading.Thread(target=lambda: got.append(httpd.curl())))
        client[0].start()

    out = run_gdb(command, r"Breakpoint 1 at", [], action=request)
    if client:
        client[0].join(timeout=30)
    return out, got[0] if got else "(curl did not end)"


# What the session must show, in order.
EXPECTED = [
    r"Breakpoint 1 at 0x[0-9a-f]+: file .*httpd/main\.c",
    r"Breakpoint 1, answer \(c=0x[0-9a-f]+, r=0x[0-9a-f]+\) at .*main\.c:\d+",
    r"#1 +0x[0-9a-f]+ in serve_connection \(c=0x[0-9a-f]+\)",
    r'\$1 = 0x[0-9a-f]+ "/hello\.json"',
    r"\[Inferior 1 \(Remote target\) detached\]",
]
# httpd/main.c: the stack has an answer of its own (net/forward.c).
COMMANDS = ["-ex", "break httpd/main.c:answer", "-ex", "continue",
            "-ex", "bt 3", "-ex", "print r->target", "-ex", "detach"]


def check_session(out, page, httpd):
    pos = 0
    for pattern in EXPECTED:
        m = re.compile(pattern).search(out, pos)
        if not m:
            fail(f"gdb's output does not show /{pattern}/ (in order):\n{out}",
                 httpd)
        pos = m.end()
    if PAGE not in page:
        fail(f"the curl that hit the breakpoint got {page!r}, not the page "
             "after gdb detached", httpd)
    print(out)


def case_listen(monitor, image, unilab):
    httpd = Httpd(monitor, image, ["--gdb-listen=0"])
    port = httpd.wait_for(r"gdb may attach at any time on 127\.0\.0\.1:(\d+)",
                          5)
    if not port:
        fail("the monitor did not say where gdb may attach", httpd)
    for i in range(3):
        httpd.served(f"before gdb, request {i + 1}")
    out, page = gdb_session(
        ["gdb", "-q", "-nx", "-batch", image,
         "-ex", f"target remote 127.0.0.1:{port.group(1)}", *COMMANDS], httpd)
    check_session(out, page, httpd)
    httpd.served("after gdb detached")
    httpd.stop()
    for pattern in (r"gdb attached; the guest stops",
                    r"gdb detached; the guest runs on"):
        if not re.search(pattern, httpd.output()):
            fail(f"the monitor did not say /{pattern}/", httpd)


def case_signal(monitor, image, unilab):
    httpd = Httpd(monitor, image, [])
    httpd.served("before gdb")
    out, page = gdb_session(
        [unilab, "attach", str(httpd.proc.pid), "-nx", "-batch", *COMMANDS],
        httpd)
    check_session(out, page, httpd)
    httpd.served("after gdb detached")
    # Attaching again works as the first time.
    r = subprocess.run([unilab, "attach", str(httpd.proc.pid), "-nx",
                        "-batch", "-ex", "info threads"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not re.search(r"Thread \d+ \(main, \w+\)",
                                          r.stdout):
        fail(f"a second attach failed: {r.stdout}{r.stderr}", httpd)
    httpd.served("after the second attach")
    httpd.stop()


def expect_refusal(argv, message, httpd=None):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if r.returncode == 0 or message not in r.stderr:
        fail(f"{argv}: want a failure saying {message!r}, got status "
             f"{r.returncode}: {r.stdout}{r.stderr}", httpd)
    print(f"{' '.join(argv[1:])}: {r.stderr.strip()}")


def raw_second_gdb(port):
    """What the monitor answers a second gdb's first packet."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"$qSupported#37")
        data = b""
        try:
            while True:
                chunk = s.recv(1024)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        return data.decode(errors="replace")


def case_errors(monitor, image, unilab):
    expect_refusal([unilab, "attach", str(os.getpid())],
                   "is not a unilab-kvm monitor")
    expect_refusal([unilab, "attach", "999999999"], "no process 999999999")
    expect_refusal([unilab, "attach", "no-such-image"],
                   "no running unilab-kvm runs an image called "
                   "'no-such-image'")

    httpd = Httpd(monitor, image, ["--gdb-listen=0"])
    port = int(httpd.wait_for(r"attach at any time on 127\.0\.0\.1:(\d+)",
                              5).group(1))
    # A first gdb, attached and letting the guest run.
    first = subprocess.Popen(
        ["gdb", "-q", "-nx", "-batch", image, "-ex",
         f"target remote 127.0.0.1:{port}", "-ex", "continue"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    if not httpd.wait_for(r"gdb attached", 30):
        fail("the first gdb did not attach", httpd)
    time.sleep(1)  # it has said continue
    httpd.served("with a gdb attached")
    expect_refusal([unilab, "attach", str(httpd.proc.pid), "-batch"],
                   "has a gdb attached already", httpd)
    answer = raw_second_gdb(port)
    if "E.unilab-kvm" not in answer or "attached already" not in answer:
        fail(f"a second connection got {answer!r}, not the refusal", httpd)
    print(f"a second gdb's connection: {answer!r}")
    # The first gdb goes without detaching: the guest runs on.
    first.kill()
    first.wait()
    if not httpd.wait_for(r"gdb detached; the guest runs on", 10):
        fail("the monitor did not notice gdb had gone", httpd)
    httpd.served("after gdb was killed")
    httpd.stop()


def dump_guest_memory(monitor_socket, core):
    """QEMU's monitor command; it returns once the file is written."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(60)
        s.connect(monitor_socket)
        s.sendall(f"dump-guest-memory {core}\ninfo status\n".encode())
        data = b""
        while b"VM status: running" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace")


def check_dump(httpd, image, folder):
    core = os.path.join(folder, "httpd.core")
    said = dump_guest_memory(os.path.join(folder, "monitor"), core)
    if not os.path.exists(core):
        fail(f"dump-guest-memory wrote no core:\n{said}", httpd)
    r = subprocess.run(["gdb", "-q", "-nx", "-batch", image, core,
                        "-ex", "bt 1", "-ex", "print/x $rip"],
                       capture_output=True, text=True, timeout=60)
    out = r.stdout + r.stderr
    if not re.search(r"#0 +0x[0-9a-f]+ in \w+ \(", out):
        fail(f"gdb on QEMU's core:\n{out}", httpd)
    print(f"dump-guest-memory: {os.path.getsize(core) >> 20} MiB\n{out}")
    httpd.served("after the dump")


def kill_stopping_gdb(image, port, httpd):
    """A gdb that attaches, has the image stopped, and is killed."""
    gdb = subprocess.Popen(
        ["gdb", "-q", "-nx", "-batch", image,
         "-ex", f"target remote 127.0.0.1:{port}", "-ex", "bt 1",
         "-ex", "shell sleep 300"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    lines = []

    def read():
        for line in gdb.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 60
    while not any(line.startswith(b"#0 ") for line in lines):
        if time.monotonic() > deadline or gdb.poll() is not None:
            gdb.kill()
            fail(f"the third gdb did not stop the image: {lines!r}", httpd)
        time.sleep(0.1)
    gdb.kill()
    gdb.wait()
    httpd.served("after a gdb that had it stopped was killed")


def case_baremetal(launcher, image, unilab):
    port = free_port()
    folder = tempfile.mkdtemp(prefix="attach-bm-")
    httpd = Httpd(launcher, image, [f"--gdb-listen={port}",
                                    f"--monitor={folder}/monitor"])
    if "gdb may attach at any time on the second serial port" \
            not in httpd.output():
        fail("the image did not say gdb may attach", httpd)
    for attempt in ("first", "second"):
        httpd.served(f"before the {attempt} attach")
        r = subprocess.run(
            ["gdb", "-q", "-nx", "-batch", image,
             "-ex", f"target remote 127.0.0.1:{port}",
             "-ex", "info threads", "-ex", "bt 1", "-ex", "detach"],
            capture_output=True, text=True, timeout=120)
        out = r.stdout + r.stderr
        for pattern in (r"Thread 1 \(main, blocked\)",
                        r"Thread \d+ \(net-rx, \w+\)", r"#0 ",
                        r"\[Inferior 1 \(Remote target\) detached\]"):
            if not re.search(pattern, out):
                fail(f"{attempt} attach: gdb's output does not show "
                     f"/{pattern}/:\n{out}", httpd)
        print(out)
    httpd.served("after gdb detached")
    kill_stopping_gdb(image, port, httpd)
    if httpd.output().count("gdb detached; the image runs on") != 3:
        fail("the image did not say three times that gdb detached", httpd)
    check_dump(httpd, image, folder)
    httpd.stop()
    shutil.rmtree(folder)


def main():
    case, monitor, image, unilab = sys.argv[1:5]
    why = why_skip(case)
    if why:
        print(f"SKIP: {why}")
        sys.exit(77)
    {"listen": case_listen, "signal": case_signal, "errors": case_errors,
     "baremetal": case_baremetal}[case](monitor, image, unilab)
    print("PASS")


if __name__ == "__main__":
    main()
