#!/usr/bin/env python3
"""The blockio image's disk, as the host makes it and as it must be after
the image ran (the patterns of main.c):

    disk.py make FILE     write the host's pattern
    disk.py check FILE    exit 1 naming the first sector that is wrong
    disk.py sha256        the sha256 of the disk as it must end up
"""
import hashlib
import sys

SECTORS = 2048
WRITE_FIRST, WRITE_COUNT = 16, 200


def host_sector(s):
    return bytes((7 * s + i) & 0xff for i in range(512))


def final_sector(s):
    if WRITE_FIRST <= s < WRITE_FIRST + WRITE_COUNT:
        return bytes((13 * s + 3 * i + 1) & 0xff for i in range(512))
    return host_sector(s)


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        with open(sys.argv[2], "wb") as f:
            for s in range(SECTORS):
                f.write(host_sector(s))
    elif cmd == "check":
        data = open(sys.argv[2], "rb").read()
        for s in range(SECTORS):
            if data[s * 512:(s + 1) * 512] != final_sector(s):
                image = WRITE_FIRST <= s < WRITE_FIRST + WRITE_COUNT
                sys.exit(f"FAIL: sector {s} of the disk file is not what "
                         f"{'the image' if image else 'the host'} wrote")
        print("ok: the disk file holds the image's sectors 16..215 and "
              "the host's elsewhere")
    elif cmd == "sha256":
        h = hashlib.sha256()
        for s in range(SECTORS):
            h.update(final_sector(s))
        print(h.hexdigest())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
