"""The fs study: sequential write and read in MB/s (1 MB requests, a file
four times the buffer cache) and small-file creates/s on an ext2 disk, for
Unilab's ext2 (the fswork image's `speed` mode, posix and kvm backends)
against the host's kernel doing the same on the same kind of image,
loop-mounted (linux_fs.py, as root). Each run gets a fresh image from
mke2fs, checked with `e2fsck -fn` afterwards; the systems take turns, in
rotating order. The buffer cache's statistics show what a read cost in
device calls, and that a re-read of a cached file costs none."""
import functools
import json
import os
import re
import subprocess
import sys
import tempfile

from .. import host, units
from ..case import BASELINE, UNILAB, Skipped
from . import notes, records

TITLE = "File system"
COMPARED_WITH = "linux"
SYSTEMS = (("posix", UNILAB, "hello.posix"), ("kvm", UNILAB, "hello.kvm"),
           ("linux", BASELINE, None))
METRICS = ("write_mb_per_s", "read_mb_per_s", "creates_per_s")
BLOCK = 4096
TIMEOUT = 300

# What fswork speed prints at the end.
SPEED = re.compile(r"fswork: write (\d+) MB/s, read (\d+) MB/s \((\d+) device "
                   r"reads\), (\d+) creates/s, re-read of a cached 1 MB "
                   r"file: (\d+) device reads")


def _plan(settings):
    """(repetitions, file MB, cache MB, small files, disk MB); the file is
    four times the cache."""
    return (1, 16, 4, 200, 64) if settings.quick else (20, 64, 16, 2000, 256)


def requirements():
    return host.missing((("mke2fs", "e2fsprogs"), ("e2fsck", "e2fsprogs")))


def linux_requirements():
    """None when this machine can loop-mount an image, else why not."""
    if not host.is_root():
        return "loop-mounting the image needs root"
    if not os.path.exists("/dev/loop-control"):
        return "no loop devices (/dev/loop-control is missing)"
    return host.missing((("mount", "mount"), ("unshare", "util-linux")))


def _tool(name, *args):
    done = subprocess.run([host.tool(name), *args], capture_output=True,
                          text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        raise OSError(f"{name} {' '.join(args)} exited with "
                      f"{done.returncode}: {(done.stdout + done.stderr)[-1000:]}")
    return done.stdout


def _unilab_argv(settings, name, case, image):
    """The command that runs fswork speed on name's backend, or Skipped."""
    path = settings.path("tests", "images", "fswork", f"fswork.{name}")
    if not os.path.exists(path):
        return Skipped(name, UNILAB, f"{path} is not built")
    _, mb, cache, files, _ = _plan(settings)
    args = ["root=blk0", f"cache={cache}M", "speed", str(mb), str(files)]
    if name == "posix":
        return [path, f"--disk={image}"] + args
    return [case.argv[0], "--mem=64M", f"--disk={image}", path] + args


def _measure_unilab(settings, name, case, image):
    argv = _unilab_argv(settings, name, case, image)
    done = subprocess.run(argv, capture_output=True, text=True,
                          timeout=TIMEOUT)
    found = SPEED.search(done.stdout)
    if done.returncode != 0 or not found:
        raise OSError(f"fswork exited with {done.returncode}: "
                      f"{(done.stdout + done.stderr)[-1000:]}")
    write, read, reads, creates, reread = (int(v) for v in found.groups())
    return {"write_mb_per_s": write, "read_mb_per_s": read,
            "creates_per_s": creates, "read_device_calls": reads,
            "reread_device_calls": reread}


def _measure_linux(settings, image):
    _, mb, _, files, _ = _plan(settings)
    out = subprocess.run(
        [host.tool("unshare"), "-m", "--propagation", "private",
         sys.executable, "-m", "unibench.linux_fs",
         image, str(mb), str(files)],
        cwd=os.path.join(settings.source, "bench"), capture_output=True,
        text=True, timeout=TIMEOUT)
    if out.returncode != 0:
        raise OSError(f"linux_fs exited with {out.returncode}: "
                      f"{out.stderr[-1000:]}")
    return json.loads(out.stdout)


def _systems(settings, cases, entries):
    """{name: how to run one measurement on an image} of the systems that
    can run here; the others get their entry, skipped, now."""
    by_name = {c.name: c for c in cases}
    runnable = {}
    for name, kind, case_name in SYSTEMS:
        if case_name is None:
            why = linux_requirements()
            if why:
                entries[name] = {"kind": kind, "status": "skipped",
                                 "reason": f"unavailable here: {why}"}
                continue
            entries[name] = {"kind": kind, "status": "measured",
                             "what": "Linux's ext2 driver on the image, "
                                     "loop-mounted"}
            runnable[name] = functools.partial(_measure_linux, settings)
            continue
        case = by_name.get(case_name)
        if case is None or isinstance(case, Skipped):
            entries[name] = {"kind": kind, "status": "skipped",
                             "reason": case.reason if case else
                             f"no {case_name} case"}
            continue
        probe = _unilab_argv(settings, name, case, "IMAGE")
        if isinstance(probe, Skipped):
            entries[name] = records.entry(probe)
            continue
        entries[name] = {"kind": kind, "status": "measured",
                         "what": f"Unilab's ext2 on the {name} backend",
                         "command": probe}
        runnable[name] = functools.partial(_measure_unilab, settings, name,
                                           case)
    return runnable


def _one(measure, work, disk_mb):
    """One measurement on a fresh image, which e2fsck must find clean."""
    image = os.path.join(work, "disk.img")
    try:
        _tool("mke2fs", "-q", "-F", "-t", "ext2", "-b", str(BLOCK), image,
              f"{disk_mb}M")
        figures = measure(image)
        _tool("e2fsck", "-fn", image)
        return figures
    finally:
        if os.path.exists(image):
            os.remove(image)


def run(settings, cases, trials, progress):
    repetitions, mb, cache, files, disk_mb = _plan(settings)
    entries = {}
    why = requirements()
    if why:
        entries = {n: {"kind": k, "status": "skipped", "reason": why}
                   for n, k, _ in SYSTEMS}
    else:
        runnable = _systems(settings, cases, entries)
        names = list(runnable)
        for name in names:
            entries[name].update({m: [] for m in METRICS},
                                 read_device_calls=[],
                                 reread_device_calls=[], round=[])
        progress.start("fs (fswork speed)", repetitions * len(names),
                       repetitions * len(names) * 2)
        with tempfile.TemporaryDirectory(prefix="unibench-fs.") as work:
            for rep, name in records.take_turns(names, repetitions):
                e = entries[name]
                if e["status"] == "measured":
                    try:
                        figures = _one(runnable[name], work, disk_mb)
                        for key, value in figures.items():
                            e[key].append(value)
                        e["round"].append(rep)
                    except (OSError, ValueError,
                            subprocess.TimeoutExpired) as failure:
                        e.update(records.failure_status(e["kind"],
                                                        str(failure)))
                progress.step(name, 2)
        progress.finish()
        records.summarize(entries, METRICS)
    return {"systems": {n: entries[n] for n, _, _ in SYSTEMS},
            "file_mb": mb, "cache_mb": cache, "files": files,
            "disk_mb": disk_mb, "block_bytes": BLOCK,
            "ratios": records.ratios(entries, COMPARED_WITH, METRICS,
                                     settings)}


def find_ratio(result, numerator, metric):
    return next((r for r in result["ratios"] if r["numerator"] == numerator
                 and r["metric"] == metric), None)


def report(result):
    entries = result["systems"]
    lines = [f"`fswork speed` on a fresh {result['disk_mb']} MB ext2 image "
             f"of {result['block_bytes']}-byte blocks a run: write a "
             f"{result['file_mb']} MB file in 1 MB requests and fsync it, "
             f"read it back in 1 MB requests ({result['cache_mb']} MB of "
             f"buffer cache: the file is four times it), create "
             f"{result['files']} one-byte files and sync. Linux does the "
             f"same on the image loop-mounted, reading cold (the file's "
             f"pages dropped first). Every image is then checked with "
             f"`e2fsck -fn`. Device reads: block-device calls during the "
             f"read, and during a second read of a cached 1 MB file "
             f"(Unilab's buffer cache statistics; the loop device's reads "
             f"for Linux). Medians; ratios against {COMPARED_WITH} with 95% "
             f"bootstrap intervals.", "",
             "| system | runs | write MB/s | / linux | read MB/s | / linux "
             "| creates/s | / linux | device reads | cached re-read |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in records.measured(entries):
        e = entries[name]
        if "summary" not in e:
            continue
        cells = []
        for metric in METRICS:
            r = find_ratio(result, name, metric)
            cells += [f"{e['summary'][metric]['median']:.0f}",
                      units.ratio_with_interval(r) if r else "1×"]
        lines.append(f"| {name} | {e['summary'][METRICS[0]]['n']} | "
                     + " | ".join(cells) +
                     f" | {max(e['read_device_calls'])} | "
                     f"{max(e['reread_device_calls'])} |")
    return lines + notes.section(result["ratios"], entries)


UNITS = {"write_mb_per_s": "MB/s", "read_mb_per_s": "MB/s",
         "creates_per_s": "1/s", "read_device_calls": "calls",
         "reread_device_calls": "calls"}


def csv_rows(result):
    for name, e in result["systems"].items():
        for seq, rnd in enumerate(e.get("round", [])):
            for metric, unit in UNITS.items():
                yield ("fs", name, metric, unit, seq, rnd, e[metric][seq])


def plot(result, directory):
    return []  # one table says it all
