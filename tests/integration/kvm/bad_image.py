#!/usr/bin/env python3
"""Break a good kvm image in one way and check that unilab-kvm refuses it
with status 121 and a message that names what is wrong.

    bad_image.py MONITOR GOOD_IMAGE CASE

Images are checked before a VM is made, so this needs no /dev/kvm."""
import os
import struct
import subprocess
import sys
import tempfile

BAD_IMAGE = 121

# ELF64 header and program header field offsets (System V gABI).
E_TYPE, E_MACHINE, E_ENTRY, E_PHOFF = 16, 18, 24, 32
E_PHNUM = 56
PH_SIZE = 56
P_TYPE, P_FLAGS, P_OFFSET, P_VADDR, P_PADDR, P_FILESZ, P_MEMSZ = \
    0, 4, 8, 16, 24, 32, 40
PT_LOAD, PF_X = 1, 1


def u16(b, off, v):
    struct.pack_into("<H", b, off, v)


def u64(b, off, v):
    struct.pack_into("<Q", b, off, v)


def get64(b, off):
    return struct.unpack_from("<Q", b, off)[0]


def phdr(b, i):
    """Offset of program header i."""
    return get64(b, E_PHOFF) + i * PH_SIZE


def loads(b):
    """Offsets of the PT_LOAD program headers."""
    n = struct.unpack_from("<H", b, E_PHNUM)[0]
    return [phdr(b, i) for i in range(n)
            if struct.unpack_from("<I", b, phdr(b, i) + P_TYPE)[0] == PT_LOAD]


def move_segment(b, ph, addr):
    u64(b, ph + P_VADDR, addr)
    u64(b, ph + P_PADDR, addr)


def data_segment(b):
    return next(ph for ph in loads(b)
                if not struct.unpack_from("<I", b, ph + P_FLAGS)[0] & PF_X)


# case: (how to break the image bytes, extra monitor options, expected text)
CASES = {
    "empty": (lambda b: b[:0], [], "not an ELF file"),
    "text-file": (lambda b: bytearray(b"#!/bin/sh\necho hello\n"), [],
                  "not an ELF file"),
    "truncated-header": (lambda b: b[:40], [],
                         "truncated: shorter than an ELF header"),
    "truncated-segment": (lambda b: b[:get64(b, loads(b)[0] + P_OFFSET) + 16],
                          [], "truncated: segment"),
    "32-bit": (lambda b: b.__setitem__(4, 1) or b, [], "32-bit ELF"),
    "big-endian": (lambda b: b.__setitem__(5, 2) or b, [], "big-endian"),
    "not-x86_64": (lambda b: u16(b, E_MACHINE, 183) or b, [],
                   "not an x86_64"),
    "pie": (lambda b: u16(b, E_TYPE, 3) or b, [], "position-independent"),
    "no-phdrs": (lambda b: u16(b, E_PHNUM, 0) or b, [],
                 "no program headers"),
    "phdrs-past-end": (lambda b: u64(b, E_PHOFF, len(b) - 8) or b, [],
                       "truncated: the program headers"),
    "segment-outside-memory": (
        lambda b: move_segment(b, data_segment(b), 0xfffff000) or b,
        ["--mem=4M"], "does not fit in 4096 KiB"),
    "segment-beyond-4g": (
        lambda b: move_segment(b, data_segment(b), 1 << 40) or b, [],
        "outside the largest guest memory"),
    "segment-in-reserved-pages": (
        lambda b: move_segment(b, data_segment(b), 0x3000) or b, [],
        "overlaps the monitor's reserved pages"),
    "overlapping-segments": (
        lambda b: move_segment(b, loads(b)[1],
                               get64(b, loads(b)[0] + P_VADDR)) or b, [],
        "overlaps an earlier segment"),
    "vaddr-not-paddr": (
        lambda b: u64(b, data_segment(b) + P_PADDR,
                      get64(b, data_segment(b) + P_VADDR) + 0x1000) or b,
        [], "differs from physical address"),
    "filesz-over-memsz": (
        lambda b: u64(b, loads(b)[0] + P_MEMSZ, 1) or b, [],
        "more file bytes than memory bytes"),
    "entry-outside-segments": (lambda b: u64(b, E_ENTRY, 0x10) or b, [],
                               "outside every loadable segment"),
    "entry-not-executable": (
        lambda b: u64(b, E_ENTRY, get64(b, data_segment(b) + P_VADDR)) or b,
        [], "not executable"),
}


def main():
    monitor, good, case = sys.argv[1:4]
    with open(good, "rb") as f:
        image = bytearray(f.read())
    breaker, options, want = CASES[case]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, case + ".kvm")
        with open(path, "wb") as f:
            f.write(breaker(image))
        p = subprocess.run([monitor] + options + [path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=30)
    out = p.stdout.decode(errors="replace")
    print(out, end="")
    if p.returncode != BAD_IMAGE:
        print(f"FAIL: exit status {p.returncode}, want {BAD_IMAGE}")
        return 1
    if want not in out:
        print(f"FAIL: the message does not say '{want}'")
        return 1
    if "Sanitizer" in out or "runtime error:" in out:
        print("FAIL: the monitor hit a sanitizer error")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
