#!/usr/bin/env python3
"""Boot one image under Xen (in QEMU) with run-xen.sh and check its exit
status and output.

    xen_case.py [--status N] [--expect REGEX]... [--once REGEX]...
                [--same-as POSIX_IMAGE] -- RUN_XEN [OPTIONS] IMAGE [ARGS]...

Every --expect must match the combined stdout and stderr somewhere, every
--once exactly one line of it. --same-as runs the posix build of the image
with the same ARGS and wants the identical stdout, byte for byte, and the
same status. An argument @NOW@ becomes the host's time in seconds since
the epoch. Exits 77 (skip) with the reason when run-xen.sh --check says
this machine has no QEMU or Xen."""
import argparse
import re
import subprocess
import sys
import time

TIMEOUT = 90  # seconds; run-xen.sh gives up after 60 on its own


def run(command):
    """stdout, stderr and status of command, or None if it hung."""
    try:
        p = subprocess.run(command, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout, p.stderr, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", type=int, default=0)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--once", action="append", default=[])
    ap.add_argument("--same-as")
    ap.add_argument("command", nargs="+")
    args = ap.parse_args()

    args.command = [str(int(time.time())) if a == "@NOW@" else a
                    for a in args.command]
    launcher = args.command[0]
    check = subprocess.run([launcher, "--check"], stdout=subprocess.PIPE,
                           timeout=TIMEOUT)
    if check.returncode != 0:
        print("SKIP: " + check.stdout.decode().strip())
        return 77

    result = run(args.command)
    print("$ " + " ".join(args.command))
    if result is None:
        print(f"FAIL: still running after {TIMEOUT} s: a hang")
        return 1
    stdout, stderr, status = result
    out = (stdout + stderr).decode(errors="replace")
    print(out, end="" if out.endswith("\n") or not out else "\n")

    problems = []
    if status != args.status:
        problems.append(f"exit status {status}, want {args.status}")
    for pattern in args.expect:
        if not re.search(pattern, out, re.MULTILINE):
            problems.append(f"no match for /{pattern}/")
    for pattern in args.once:
        n = len(re.findall(pattern, out, re.MULTILINE))
        if n != 1:
            problems.append(f"/{pattern}/ matches {n} times, want once")
    if args.same_as:
        rest = args.command[1:]  # run-xen.sh's options, IMAGE, ARGS
        while rest and rest[0].startswith("--"):
            rest = rest[1:]
        image_args = rest[1:]
        reference = run([args.same_as] + image_args)
        if reference is None:
            problems.append(f"{args.same_as} hung")
        else:
            if reference[0] != stdout:
                problems.append(f"stdout differs from {args.same_as}'s:\n"
                                f"  want {reference[0]!r}\n  got  {stdout!r}")
            if reference[2] != status:
                problems.append(f"status {status}, {args.same_as} gave "
                                f"{reference[2]}")
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
