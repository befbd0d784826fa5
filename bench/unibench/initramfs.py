"""The Linux VM's initramfs: busybox, a few more files, and an /init script,
written as a "newc" cpio archive (the format the kernel unpacks,
Documentation/driver-api/early-userspace/buffer-format.rst) so that making
it needs neither root nor the cpio tool."""
import posixpath
import stat

NEWC_MAGIC = "070701"
TRAILER = "TRAILER!!!"
CONSOLE = (5, 1)  # /dev/console: the kernel opens it for init's stdio
EXECUTABLE = stat.S_IFREG | 0o755


def _pad4(data):
    return data + b"\0" * (-len(data) % 4)


def _entry(inode, name, mode, data=b"", rdev=(0, 0)):
    """One header, name and body. Fields are 8 hex digits: inode, mode, uid,
    gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
    namesize (with its NUL), check."""
    name_bytes = name.encode() + b"\0"
    fields = (inode, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name_bytes), 0)
    header = (NEWC_MAGIC + "".join(f"{f:08X}" for f in fields)).encode()
    return _pad4(header + name_bytes) + _pad4(data)


def archive(files, init):
    """The archive's bytes: files ({path: contents}, made executable) under
    the directories they need, /dev/console, and the script init (text run
    by /bin/busybox sh) as /init."""
    members = [("dev", stat.S_IFDIR | 0o755, b"", (0, 0)),
               ("dev/console", stat.S_IFCHR | 0o600, b"", CONSOLE)]
    directories = sorted({d for path in files
                          for d in _parents(posixpath.dirname(path))})
    members += [(d, stat.S_IFDIR | 0o755, b"", (0, 0)) for d in directories]
    members += [(path, EXECUTABLE, data, (0, 0))
                for path, data in sorted(files.items())]
    members.append(("init", EXECUTABLE,
                    ("#!/bin/busybox sh\n" + init).encode(), (0, 0)))
    members.append((TRAILER, 0, b"", (0, 0)))
    out = b"".join(_entry(i + 1, name, mode, data, rdev)
                   for i, (name, mode, data, rdev) in enumerate(members))
    return out + b"\0" * (-len(out) % 512)


def _parents(directory):
    while directory:
        yield directory
        directory = posixpath.dirname(directory)


def members(data):
    """(name, mode, body) of each member of a newc archive, for tests."""
    found, at = [], 0
    while True:
        fields = [int(data[at + 6 + 8 * i:at + 14 + 8 * i], 16)
                  for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        name_at = at + 110
        name = data[name_at:name_at + namesize - 1].decode()
        body_at = name_at + namesize + (-(110 + namesize) % 4)
        if name == TRAILER:
            return found
        found.append((name, mode, data[body_at:body_at + size]))
        at = body_at + size + (-size % 4)
