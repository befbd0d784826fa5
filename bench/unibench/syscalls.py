"""The Linux system calls Python 3.11's os module lacks (unshare, setns,
mount, umount2), through the C library; each raises OSError on failure."""
import ctypes
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_REC = 0x4000
MS_PRIVATE = 0x40000

_libc = ctypes.CDLL(None, use_errno=True)


def _check(what, result):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def unshare(flags):
    _check("unshare", _libc.unshare(flags))


def setns(fd, flags):
    _check("setns", _libc.setns(fd, flags))


def mount(source, target, kind, flags):
    _check(f"mount {target}", _libc.mount(
        source and source.encode(), target.encode(), kind and kind.encode(),
        flags, None))


def umount(target):
    _check(f"umount {target}", _libc.umount2(target.encode(), 0))
