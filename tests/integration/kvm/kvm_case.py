#!/usr/bin/env python3
"""Run unilab-kvm once and check its exit status and what it prints.

    kvm_case.py [--status N] [--expect REGEX]... [--no-kvm] -- COMMAND...

Every --expect must match the combined stdout and stderr somewhere; a
sanitizer report anywhere fails the case whatever the status. Exits 77
(skip) with the reason when /dev/kvm cannot be opened, unless --no-kvm
says the case never gets as far as creating a VM (bad options, bad
images)."""
import argparse
import os
import re
import subprocess
import sys

SANITIZER_REPORTS = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")


def kvm_unusable():
    """Why /dev/kvm cannot be used, or None."""
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
        return None
    except OSError as e:
        return f"cannot open /dev/kvm: {e.strerror}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", type=int, default=0)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--no-kvm", action="store_true")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("command", nargs="+")
    args = ap.parse_args()

    if not args.no_kvm:
        why = kvm_unusable()
        if why:
            print(f"SKIP: {why}")
            return 77
    try:
        p = subprocess.run(args.command, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"FAIL: still running after {args.timeout} s: a hang")
        return 1
    out = p.stdout.decode(errors="replace")
    problems = []
    if p.returncode != args.status:
        problems.append(f"exit status {p.returncode}, want {args.status}")
    for pattern in args.expect:
        if not re.search(pattern, out, re.MULTILINE):
            problems.append(f"no match for /{pattern}/")
    if SANITIZER_REPORTS.search(out):
        problems.append("the monitor hit a sanitizer error")
    print("$ " + " ".join(args.command))
    print(out, end="")
    for problem in problems:
        print("FAIL: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
