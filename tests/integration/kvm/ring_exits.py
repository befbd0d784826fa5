#!/usr/bin/env python3
"""What the net rings are for: small HTTP requests to httpd.kvm, each on
a new connection, cost a few VM exits, not two per frame. The monitor's
own --stats count them; user-mode networking, so no root is needed.

    ring_exits.py MONITOR HTTPD_IMAGE

With one hypercall per frame a request cost 19 exits; with the rings the
guest exits about once per burst of frames that wakes it (5 here). The
bound leaves room for a loaded machine spreading frames out. Exits 77
without a usable /dev/kvm."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

REQUESTS = 50
MAX_EXITS_PER_REQUEST = 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    monitor, image = sys.argv[1], sys.argv[2]
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        print(f"skip: cannot open /dev/kvm: {e.strerror}")
        return 77
    port = free_port()
    proc = subprocess.Popen(
        [monitor, "--stats", f"--net=user,hostfwd=tcp::{port}-:80", image,
         "ip=10.0.2.15/24", "gw=10.0.2.2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while "httpd: serving" not in proc.stdout.readline():
            assert time.monotonic() < deadline and proc.poll() is None, \
                "httpd did not start"
        url = f"http://127.0.0.1:{port}/hello.json"
        for _ in range(REQUESTS):
            with urllib.request.urlopen(url, timeout=10) as r:
                assert r.status == 200 and r.read()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    print(out)
    exits = int(re.search(r"vm exits +(\d+)", out).group(1))
    m = re.search(r"net0 tx frames +(\d+) +notifications (\d+)", out)
    frames, notes = int(m.group(1)), int(m.group(2))
    per_request = exits / REQUESTS  # start-up's few exits included
    print(f"{per_request:.1f} exits per request (bound {MAX_EXITS_PER_REQUEST}); "
          f"{frames / notes:.2f} tx frames per notification")
    assert proc.returncode == 128 + signal.SIGTERM, proc.returncode
    assert per_request <= MAX_EXITS_PER_REQUEST, per_request
    assert frames > notes, "tx frames were not batched"
    print("ok: the rings keep exits per request low")
    return 0


if __name__ == "__main__":
    sys.exit(main())
