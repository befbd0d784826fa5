"""The container baseline: busybox-static in an OCI bundle this module
writes, run by crun and, where installed, runc. The config is the runtime
spec's usual default (what `crun spec` prints: pid, network, ipc, uts and
mount namespaces, /proc, /dev, /sys, dropped capabilities, a read-only
root), so the figure is what an ordinary container costs."""
import json
import os
import shutil

from . import cache, cgroup_hybrid, elf, host
from .case import BASELINE, Case, Skipped

MARKER = "Hello from a busybox container"
BUSYBOX = "/bin/busybox"
RUNTIMES = ("crun", "runc")
CAPABILITIES = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]


def _mount(destination, kind, source, options=None):
    entry = {"destination": destination, "type": kind, "source": source}
    if options:
        entry["options"] = options
    return entry


def config(args, network=None):
    """The bundle's config.json (OCI runtime spec 1.0), running args; in
    a new network namespace, or in the one at path network."""
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": args,
            "env": ["PATH=/bin"],
            "cwd": "/",
            "capabilities": {k: CAPABILITIES for k in (
                "bounding", "effective", "permitted", "ambient")},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024,
                         "soft": 1024}],
            "noNewPrivileges": True,
        },
        "root": {"path": "rootfs", "readonly": True},
        "hostname": "unibench",
        "mounts": [
            _mount("/proc", "proc", "proc"),
            _mount("/dev", "tmpfs", "tmpfs",
                   ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            _mount("/dev/pts", "devpts", "devpts",
                   ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620"]),
            _mount("/dev/shm", "tmpfs", "shm",
                   ["nosuid", "noexec", "nodev", "mode=1777",
                    "size=65536k"]),
            _mount("/sys", "sysfs", "sysfs",
                   ["nosuid", "noexec", "nodev", "ro"]),
        ],
        "linux": {
            "namespaces": [{"type": t} for t in (
                "pid", "ipc", "uts", "mount")] + [
                {"type": "network", "path": network} if network
                else {"type": "network"}],
            "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list",
                            "/sys/firmware"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq",
                              "/proc/sys", "/proc/sysrq-trigger"],
        },
    }


def _write_bundle(directory, files, args, network=None):
    """A bundle in directory: files ({path in rootfs: source file}) and a
    config running args (in network: see config). Files are copied only
    when they changed."""
    for path, source in files.items():
        target = os.path.join(directory, "rootfs", path)
        if not cache.fresh(target, [source]):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target + ".partial")
            os.replace(target + ".partial", target)
    cache.write(os.path.join(directory, "config.json"),
                json.dumps(config(args, network), indent=1).encode())
    return directory


def bundle(settings):
    """The boot study's bundle: busybox echo."""
    return _write_bundle(os.path.join(settings.cache, "bundle"),
                         {"bin/busybox": BUSYBOX},
                         ["/bin/busybox", "echo", MARKER])


def server_bundle(settings, udp_echo, page):
    """The latency study's bundle: busybox httpd serving page (as
    /www/NAME) on port 80, in the background, and udp_echo on port 7."""
    name = os.path.basename(page)
    return _write_bundle(
        os.path.join(settings.cache, "server-bundle"),
        {"bin/busybox": BUSYBOX, "bin/udp_echo": udp_echo,
         f"www/{name}": page},
        ["/bin/busybox", "sh", "-c",
         "/bin/busybox httpd -p 80 -h /www && exec /bin/udp_echo 7"])


def ondemand_bundle(settings, page, network):
    """The on-demand study's bundle: busybox httpd alone, in the
    foreground, serving page (as /www/NAME) on port 80, in the network
    namespace at path network, made before the container is."""
    name = os.path.basename(page)
    return _write_bundle(
        os.path.join(settings.cache, "ondemand-bundle"),
        {"bin/busybox": BUSYBOX, f"www/{name}": page},
        ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"], network)


def cases(settings):
    found = [(name, host.tool(name)) for name in RUNTIMES]
    reasons = []
    if not host.is_root():
        reasons.append("containers need root here (no rootless set-up)")
    if not (os.path.exists(BUSYBOX) and elf.is_static(BUSYBOX)):
        reasons.append(f"no static {BUSYBOX} (busybox-static)")
    if reasons:
        return [Skipped(name, BASELINE, "; ".join(reasons))
                for name, _ in found]
    notes = {}
    if cgroup_hybrid.hybrid():
        try:
            cgroup_hybrid.leave()
        except OSError as error:
            return [Skipped(name, BASELINE, f"hybrid cgroups: {error}")
                    for name, _ in found]
        notes["cgroups"] = ("hybrid host: the harness runs in a private "
                            "mount namespace without " + cgroup_hybrid.UNIFIED)
    directory = bundle(settings)
    files = [os.path.join(directory, "config.json"),
             os.path.join(directory, "rootfs", "bin", "busybox")]
    result = []
    for name, path in found:
        if not path:
            result.append(Skipped(name, BASELINE, f"{name} is not installed"))
            continue
        ident = f"unibench-{os.getpid()}"
        result.append(Case(
            name=name, kind=BASELINE,
            what=f"{name} runs busybox echo in an OCI bundle",
            argv=[path, "run", "--bundle", directory, ident],
            expect=MARKER, files=files, notes=dict(notes),
            cleanup=[path, "delete", "--force", ident]))
    return result
