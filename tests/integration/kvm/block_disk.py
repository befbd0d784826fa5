#!/usr/bin/env python3
"""The kvm backend's block device over a file: the guest (devices.kvm
block) reads what the host wrote, writes and reads back its own sectors;
then the host checks that the file holds exactly what the guest wrote.

    block_disk.py MONITOR DEVICES_IMAGE"""
import os
import subprocess
import sys
import tempfile

SECTOR = 512
SECTORS = 128
HOST_SECTOR, HOST_TEXT = 9, b"host sector 9"


def pattern(sector):
    """What the guest writes to a sector (devices.c, pattern())."""
    return bytes((sector * 31 + i * 7 + 1) & 0xFF for i in range(SECTOR))


def main():
    monitor, image = sys.argv[1:3]
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        print(f"SKIP: cannot open /dev/kvm: {e.strerror}")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(SECTORS * SECTOR)
            f.seek(HOST_SECTOR * SECTOR)
            f.write(HOST_TEXT)
        p = subprocess.run([monitor, "--timeout=30", f"--disk={disk}", image,
                            "block"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        print(p.stdout, end="")
        if p.returncode != 0 or "block ok" not in p.stdout:
            print(f"FAIL: guest ended with status {p.returncode}")
            return 1
        with open(disk, "rb") as f:
            data = f.read()
    if len(data) != SECTORS * SECTOR:
        print(f"FAIL: the disk changed size to {len(data)} bytes")
        return 1
    sector = lambda n: data[n * SECTOR:(n + 1) * SECTOR]
    for n in range(1, 9):
        if sector(n) != pattern(n):
            print(f"FAIL: sector {n} does not hold what the guest wrote")
            return 1
    if sector(0) != bytes(SECTOR) or not sector(HOST_SECTOR).startswith(HOST_TEXT):
        print("FAIL: the guest wrote outside the sectors it meant to")
        return 1
    # The guest writes its last sector from the buffer that last read 8.
    if sector(SECTORS - 1) != pattern(8):
        print("FAIL: the last sector does not hold what the guest wrote")
        return 1
    print("ok: the file holds what the guest wrote, and nothing else changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
