#!/usr/bin/env python3
"""What the net rings are for: HTTP requests to httpd.kvm cost few VM
exits, not two per frame. The monitor's own --stats count them; user-mode
networking, so no root is needed.

    ring_exits.py MONITOR HTTPD_IMAGE

Two monitors in turn: small requests each on a new connection must cost
at most 4 exits each (one hypercall per frame cost 19; the guest now exits
once per burst of frames that wakes it, and the monitor lingers for the
data behind an ACK), and wrk with 200 connections must cost less than one
exit per request (the guest sleeps only when it runs out of work). Exits
77 without a usable /dev/kvm; the wrk part is skipped, saying so, without
wrk."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

REQUESTS = 50
MAX_EXITS_PER_REQUEST = 4
MAX_EXITS_PER_LOADED_REQUEST = 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(monitor, image, load):
    """Start httpd.kvm, run load(url), stop it; the monitor's output."""
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
        result = load(f"http://127.0.0.1:{port}/hello.json")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    print(out)
    assert proc.returncode == 128 + signal.SIGTERM, proc.returncode
    return out, result


def exits(out):
    return int(re.search(r"vm exits +(\d+)", out).group(1))


def new_connections(url):
    for _ in range(REQUESTS):
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200 and r.read()
    return REQUESTS


def wrk(url):
    out = subprocess.run(["wrk", "-t2", "-c200", "-d3s", url],
                         capture_output=True, text=True, timeout=60).stdout
    print(out)
    m = re.search(r"(\d+) requests in", out)
    assert m, "wrk printed no request count"
    assert "Non-2xx" not in out, "httpd answered with errors"
    return int(m.group(1))


def main():
    monitor, image = sys.argv[1], sys.argv[2]
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        print(f"skip: cannot open /dev/kvm: {e.strerror}")
        return 77

    out, requests = serve(monitor, image, new_connections)
    m = re.search(r"net0 tx frames +(\d+) +notifications (\d+)", out)
    frames, notes = int(m.group(1)), int(m.group(2))
    per_request = exits(out) / requests  # start-up's few exits included
    print(f"{per_request:.1f} exits per request on a new connection "
          f"(bound {MAX_EXITS_PER_REQUEST}); "
          f"{frames / notes:.2f} tx frames per notification")
    assert per_request <= MAX_EXITS_PER_REQUEST, per_request
    assert frames > notes, "tx frames were not batched"

    if shutil.which("wrk") is None:
        print("skip: wrk is not installed, so the loaded case did not run")
    else:
        out, requests = serve(monitor, image, wrk)
        per_request = exits(out) / requests
        print(f"{per_request:.2f} exits per request under wrk -c200 "
              f"(bound {MAX_EXITS_PER_LOADED_REQUEST})")
        assert per_request < MAX_EXITS_PER_LOADED_REQUEST, per_request
    print("ok: the rings keep exits per request low")
    return 0


if __name__ == "__main__":
    sys.exit(main())
