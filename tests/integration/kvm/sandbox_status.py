#!/usr/bin/env python3
"""The monitor runs its guest under its seccomp filter, and --no-sandbox
runs it without one and says so: the kernel's own word for it is the
Seccomp line of /proc/PID/status (2: a filter, 0: none).

    sandbox_status.py MONITOR HOSTILE_IMAGE

Exits 77 (skip) when /dev/kvm cannot be opened."""
import subprocess
import sys
import time

from kvm_case import kvm_unusable


def seccomp_mode(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Seccomp:"):
                return int(line.split()[1])
    return None


def run(monitor, image, extra, want):
    """Start a guest that sleeps until --timeout; whether the monitor's
    seccomp mode reached want while it ran, and its output and status."""
    p = subprocess.Popen([monitor, "--timeout=2"] + extra + [image, "sleep-forever"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    mode = None
    while p.poll() is None and mode != want:
        try:
            mode = seccomp_mode(p.pid)
        except OSError:
            break  # it ended between the two looks
        time.sleep(0.01)
    out = p.communicate(timeout=30)[0].decode(errors="replace")
    return mode, out, p.returncode


def main():
    monitor, image = sys.argv[1:3]
    why = kvm_unusable()
    if why:
        print(f"SKIP: {why}")
        return 77
    problems = []
    mode, out, status = run(monitor, image, [], 2)
    print(out, end="")
    if mode != 2:
        problems.append(f"guest running: seccomp mode {mode}, want 2 (filter)")
    if status != 124 or "sandbox" in out:
        problems.append(f"sandboxed guest: status {status}, want 124 "
                        "(--timeout), and no word from the sandbox")
    mode, out, status = run(monitor, image, ["--no-sandbox"], 2)
    print(out, end="")
    if mode != 0:
        problems.append(f"--no-sandbox: seccomp mode {mode}, want 0")
    if "running without the sandbox (--no-sandbox)" not in out:
        problems.append("--no-sandbox is not reported")
    for problem in problems:
        print("FAIL: " + problem)
    if not problems:
        print("PASS: the guest runs under the filter; --no-sandbox says it "
              "runs without")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
