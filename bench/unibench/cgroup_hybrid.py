"""crun (1.8) refuses a host whose cgroups are in the "hybrid" layout (v1
controllers, plus cgroup2 at /sys/fs/cgroup/unified). The harness then moves
itself into a mount namespace of its own, made private so nothing it does
propagates back, and unmounts the cgroup2 tree there: its children, crun
among them, see a plain v1 host, and the host's own mounts are untouched.
Doing this once in the harness, rather than wrapping each run in
`unshare -m`, keeps unshare and umount out of the container's timing."""
from . import syscalls

UNIFIED = "/sys/fs/cgroup/unified"


def _mounts():
    """{mount point: file system type} of this process's namespace."""
    with open("/proc/self/mounts") as f:
        return {fields[1]: fields[2] for fields in map(str.split, f)}


def hybrid():
    mounts = _mounts()
    return (mounts.get("/sys/fs/cgroup") != "cgroup2"
            and mounts.get(UNIFIED) == "cgroup2")


def leave():
    """Hide the cgroup2 tree from this process and its children. Needs
    CAP_SYS_ADMIN and a single-threaded process (unshare(2))."""
    syscalls.unshare(syscalls.CLONE_NEWNS)
    syscalls.mount(None, "/", None, syscalls.MS_REC | syscalls.MS_PRIVATE)
    syscalls.umount(UNIFIED)
