"""The host kernel's side of the fs study: the workload of `fswork speed`
on an ext2 image loop-mounted by Linux, printed as one JSON line. Run as
root inside a mount namespace of its own (`unshare -m --propagation
private`), so the mount and its loop device go away with the process
whatever happens to it.

usage: python3 -m unibench.linux_fs IMAGE MB FILES
"""
import ctypes
import json
import mmap
import os
import subprocess
import sys
import tempfile
import time

CHUNK = 1 << 20
_libc = ctypes.CDLL(None, use_errno=True)


def device_reads(path):
    """Reads completed by the block device under path (the loop device)."""
    st = os.stat(path)
    with open(f"/sys/dev/block/{os.major(st.st_dev)}:"
              f"{os.minor(st.st_dev)}/stat") as f:
        return int(f.read().split()[0])


def syncfs(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if _libc.syncfs(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"syncfs: {os.strerror(error)}")
    finally:
        os.close(fd)


def rate(count, start):
    return count / (time.monotonic() - start)


def speed(mnt, mb, files):
    """The figures fswork speed prints, measured the same way: write MB in
    1 MB requests and fsync; read it back cold (the file's pages dropped
    from the page cache, so reads go through the loop device to the image
    file, as the images' reads go through their disk file); create FILES
    one-byte files, then sync; re-read a cached 1 MB file."""
    buf = mmap.mmap(-1, CHUNK)
    buf.write(b"\x5a" * CHUNK)
    path = os.path.join(mnt, "speed")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        t = time.monotonic()
        for _ in range(mb):
            os.write(fd, buf)
        os.fsync(fd)
        write = rate(mb, t)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        before = device_reads(mnt)
        t = time.monotonic()
        for i in range(mb):
            if os.preadv(fd, [buf], i * CHUNK) != CHUNK:
                raise OSError("short read")
        read = rate(mb, t)
        reads = device_reads(mnt) - before
    finally:
        os.close(fd)
    small = os.path.join(mnt, "small")
    t = time.monotonic()
    os.mkdir(small)
    for i in range(files):
        f = os.open(os.path.join(small, f"f{i}"), os.O_WRONLY | os.O_CREAT,
                    0o644)
        os.write(f, b"x")
        os.close(f)
    syncfs(mnt)
    creates = rate(files, t)
    fd = os.open(os.path.join(mnt, "cached"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        os.write(fd, buf)
        os.preadv(fd, [buf], 0)
        before = device_reads(mnt)
        os.preadv(fd, [buf], 0)
        reread = device_reads(mnt) - before
    finally:
        os.close(fd)
    return {"write_mb_per_s": write, "read_mb_per_s": read,
            "creates_per_s": creates, "read_device_calls": reads,
            "reread_device_calls": reread}


def main(image, mb, files):
    with tempfile.TemporaryDirectory(prefix="unibench-fs-mnt.") as mnt:
        subprocess.run(["mount", "-t", "ext2", "-o", "loop", image, mnt],
                       check=True)
        try:
            figures = speed(mnt, mb, files)
        finally:
            subprocess.run(["umount", mnt], check=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
