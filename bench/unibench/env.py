"""The environment a result was measured in: enough to tell two machines,
two kernels or two builds apart when comparing results."""
import datetime
import os
import platform
import subprocess
import sys

from . import host


def _first_line(argv):
    """The first line a version command prints, or None if it cannot run."""
    path = host.tool(argv[0])
    if not path:
        return None
    try:
        done = subprocess.run([path] + argv[1:], capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else None


def _git(source, *args):
    try:
        done = subprocess.run(["git", "-C", source] + list(args),
                              capture_output=True, text=True, timeout=10)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _memory_kib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return None


def record(source, argv):
    """The environment, as results.json keeps it. The QEMU accelerator of
    each QEMU case is added by the study run (see qemu_accelerators)."""
    uname = platform.uname()
    commit = _git(source, "rev-parse", "HEAD")
    dirty = bool(_git(source, "status", "--porcelain", "--untracked-files=no"))
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"),
        "command": argv,
        "cpu_model": host.cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "memory_kib": _memory_kib(),
        "kernel": f"{uname.system} {uname.release} {uname.version}",
        "machine": uname.machine,
        "load_average": os.getloadavg(),
        "kvm_module": host.kvm_module(),
        "kvm_usable": host.kvm_usable() or "yes",
        "versions": {
            "qemu": _first_line(["qemu-system-x86_64", "--version"]),
            "crun": _first_line(["crun", "--version"]),
            "runc": _first_line(["runc", "--version"]),
            "gcc": _first_line(["gcc", "--version"]),
            "busybox": _first_line(["busybox"]),
            "gnuplot": _first_line(["gnuplot", "--version"]),
            "wrk": _first_line(["wrk", "--version"]),
            "python": sys.version.split()[0],
        },
        "unilab_commit": (commit + ("-dirty" if dirty else "")) if commit
        else None,
    }


def qemu_accelerators(cases):
    """{case: accelerator (and why), and the way it boots when it had to
    choose one by trial runs (how many good ones kept it, and why the ways
    before it failed)} for the cases QEMU runs."""
    return {c.name: {"accelerator": c.notes["accelerator"],
                     "why": c.notes.get("accelerator_reason"),
                     "way": c.notes.get("boot_way"),
                     "trial_boots": c.notes.get("trial_boots"),
                     "fallbacks": c.notes.get("fallbacks", [])}
            for c in cases if "accelerator" in getattr(c, "notes", {})}


def runs_run_again(cases):
    """{case: why each of its failed runs failed} for the cases allowed to
    fail now and then that did: those runs were run again."""
    return {c.name: list(c.failed_runs) for c in cases
            if getattr(c, "failed_runs", None)}
