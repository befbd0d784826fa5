#!/usr/bin/env python3
"""Input that no thread reads must not keep the idle loop spinning: the
sleepers app never starts the network stack, yet frames arrive on its
user-mode interface (slirp's ARP requests and the UDP datagrams this test
sends to a hostfwd port). The image must still sleep between its ticks,
so its CPU time stays a small part of its run time.

    unread_input.py BUILD_ROOT SUFFIX [LAUNCHER...]

Before ul_plat_poll learned which devices the core waits on, the first
frame made every poll return at once and the image used a whole core
until it ended."""
import os
import socket
import subprocess
import sys
import time

MAX_CPU_SHARE = 0.1  # sleeping: about 1%; spinning from the first frame: 20-40%


def main():
    root, suffix, launcher = sys.argv[1], sys.argv[2], sys.argv[3:]
    if launcher and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("skip: /dev/kvm is not usable here")
        return 77
    image = os.path.join(root, "apps", "sleepers", "sleepers." + suffix)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    net = f"--net=user,hostfwd=udp::{port}-:7"
    cmd = launcher + [net, image] if launcher else [image, net]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        while True:
            # wait4, not Popen.poll: the child's own CPU time is wanted.
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > 30:
                proc.kill()
            try:
                s.sendto(b"nobody reads this", ("127.0.0.1", port))
                sent += 1
            except OSError:
                pass  # the forwarding is not up yet
            time.sleep(0.01)
    wall = time.monotonic() - start
    out = proc.stdout.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    print(out)
    print(f"{sent} datagrams sent; {cpu:.3f} s of CPU in {wall:.3f} s")
    assert os.waitstatus_to_exitcode(status) == 0, status
    assert "tick" in out, "sleepers did not run"
    assert cpu < MAX_CPU_SHARE * wall, "the idle loop spun on unread input"
    print("ok: unread input does not wake the idle loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
