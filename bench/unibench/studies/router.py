"""The router study: forwarded TCP throughput (MB/s) and round-trip time
through Unilab's router app (posix and kvm backends; its default rules:
masquerade, port forwards and the stateful firewall) against Linux's own
forwarding between two namespaces (ip_forward, no firewall, no NAT).

Each router gets three network namespaces: an inside one (192.168.7.2)
and an outside one (10.77.0.2) joined to a middle one by veth pairs. In
the middle, Linux forwards between the two veths itself, or each veth is
bridged to a TAP of the router image. The routers take turns, in
rotating order; "added" latency is a router's median RTT minus Linux's."""
import os
import re
import subprocess
import time

from .. import host, units
from ..case import BASELINE, UNILAB, Skipped
from . import notes, records

TITLE = "Router"
COMPARED_WITH = "linux"
ROUTERS = (("posix", UNILAB, "hello.posix"), ("kvm", UNILAB, "hello.kvm"),
           ("linux", BASELINE, None))
PORT = 5001

# The bulk receiver (outside) and sender (inside): the sender writes for
# SECONDS, half-closes, and prints MB/s of what the receiver counted.
SINK = """
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", %d)); s.listen(8); print("ready", flush=True)
while True:
    c, _ = s.accept(); n = 0
    while True:
        b = c.recv(1 << 16)
        if not b: break
        n += len(b)
    c.sendall(str(n).encode()); c.close()
""" % PORT
SEND = """
import socket, sys, time
c = socket.create_connection(("10.77.0.2", %d), timeout=30)
buf = bytes(1 << 16); t0 = time.monotonic(); end = t0 + float(sys.argv[1])
while time.monotonic() < end: c.sendall(buf)
c.shutdown(socket.SHUT_WR); n = int(c.recv(64)); t = time.monotonic() - t0
print(n / t / 1e6)
""" % PORT


def _plan(settings):
    """(repetitions, seconds of bulk transfer, pings) per router."""
    return (1, 1, 20) if settings.quick else (5, 3, 200)


def requirements():
    if os.geteuid() != 0:
        return "the router study needs root (network namespaces, TAPs)"
    return host.missing((("ip", "iproute2"), ("ping", "iputils-ping"),
                         ("ethtool", "ethtool")))


def _run(*argv, ns=None):
    if ns:
        argv = ("ip", "netns", "exec", ns) + argv
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise OSError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout


class Router:
    """One router between its own inside and outside namespaces."""

    def __init__(self, name, prefix):
        self.name = name
        self.ns = {side: f"{prefix}-{side}" for side in ("in", "mid", "out")}
        self.processes = []
        for ns in self.ns.values():
            _run("ip", "netns", "add", ns)
            _run("ip", "link", "set", "lo", "up", ns=ns)
        for side, addr in (("in", "192.168.7"), ("out", "10.77.0")):
            _run("ip", "link", "add", f"v{side}", "netns", self.ns["mid"],
                 "type", "veth", "peer", "name", "eth0", "netns",
                 self.ns[side])
            # No offloads: frames reach a TAP'd image whole and checked.
            for ns, dev in ((self.ns["mid"], f"v{side}"),
                            (self.ns[side], "eth0")):
                _run("ethtool", "-K", dev, "tx", "off", "tso", "off", "gso",
                     "off", "gro", "off", ns=ns)
                _run("ip", "link", "set", dev, "up", ns=ns)
            _run("ip", "addr", "add", f"{addr}.2/24", "dev", "eth0",
                 ns=self.ns[side])
            _run("ip", "route", "add", "default", "via", f"{addr}.1",
                 ns=self.ns[side])

    def linux(self):
        mid = self.ns["mid"]
        _run("ip", "addr", "add", "192.168.7.1/24", "dev", "vin", ns=mid)
        _run("ip", "addr", "add", "10.77.0.1/24", "dev", "vout", ns=mid)
        _run("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=mid)

    def unilab(self, argv, log):
        mid = self.ns["mid"]
        for side in ("in", "out"):
            _run("ip", "link", "add", f"br{side}", "type", "bridge", ns=mid)
            _run("ip", "tuntap", "add", "dev", f"tap{side}", "mode", "tap",
                 ns=mid)
            for dev in (f"tap{side}", f"v{side}"):
                _run("ip", "link", "set", dev, "master", f"br{side}", ns=mid)
            for dev in (f"br{side}", f"tap{side}"):
                _run("ip", "link", "set", dev, "up", ns=mid)
        self.spawn(["ip", "netns", "exec", mid] + argv, log)

    def spawn(self, argv, log):
        with open(log, "ab") as out:
            p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL,
                                 start_new_session=True)
        self.processes.append(p)
        return p

    def stop(self):
        for p in self.processes:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for ns in self.ns.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def throughput(self, seconds):
        return float(_run("python3", "-c", SEND, str(seconds),
                          ns=self.ns["in"]))

    def rtts(self, count):
        out = _run("ping", "-n", "-c", str(count), "-i", "0.01", "-W", "2",
                   "10.77.0.2", ns=self.ns["in"])
        return [float(ms) * 1e6 for ms in re.findall(r"time=([\d.]+) ms", out)]


def _start(settings, name, case, logs, prefix):
    router = Router(name, prefix)
    try:
        if case is None:
            router.linux()
        else:
            image = settings.path("apps", "router", f"router.{name}")
            if not os.path.exists(image):
                router.stop()
                return Skipped(name, UNILAB, f"{image} is not built")
            options = ["--net=tap:tapin", "--net=tap:tapout", "--mem=32M"]
            argv = [image] + options if name == "posix" else \
                [case.argv[0]] + options + [image]
            router.unilab(argv + ["ip=192.168.7.1/24,10.77.0.1/24"],
                          os.path.join(logs, f"router-{name}.log"))
        router.spawn(["ip", "netns", "exec", router.ns["out"], "python3",
                      "-c", SINK], os.path.join(logs, f"sink-{name}.log"))
        deadline = time.monotonic() + 30
        while True:
            try:
                _run("ping", "-n", "-c", "1", "-W", "1", "10.77.0.2",
                     ns=router.ns["in"])
                return router
            except OSError:
                if time.monotonic() > deadline or any(
                        p.poll() is not None for p in router.processes):
                    raise OSError("no ping through the router after 30 s "
                                  f"(logs in {logs})")
    except OSError:
        router.stop()
        raise


def run(settings, cases, trials, progress):
    why = requirements()
    entries = {}
    repetitions, seconds, pings = _plan(settings)
    routers = []
    if why:
        entries = {n: {"kind": k, "status": "skipped", "reason": why}
                   for n, k, _ in ROUTERS}
    else:
        logs = os.path.join(settings.out, "router-logs")
        os.makedirs(logs, exist_ok=True)
        by_name = {c.name: c for c in cases}
        try:
            for i, (name, kind, case_name) in enumerate(ROUTERS):
                case = by_name.get(case_name) if case_name else None
                if case_name and (case is None or isinstance(case, Skipped)):
                    entries[name] = {"kind": kind, "status": "skipped",
                                     "reason": case.reason if case else
                                     f"no {case_name} case"}
                    continue
                try:
                    r = _start(settings, name, case, logs,
                               f"ubr{os.getpid()}{i}")
                except OSError as error:
                    entries[name] = {"kind": kind, "status": "failed",
                                     "reason": f"cannot start: {error}"}
                    continue
                if isinstance(r, Skipped):
                    entries[name] = records.entry(r)
                    continue
                entries[name] = {"kind": kind, "status": "measured",
                                 "mb_per_s": [], "rtt_ns": [], "round": []}
                routers.append(r)
            _measure(routers, repetitions, seconds, pings, progress, entries)
        finally:
            for r in routers:
                r.stop()
    return {"routers": {n: entries[n] for n, _, _ in ROUTERS},
            "seconds": seconds, "pings": pings,
            "ratios": records.ratios(entries, COMPARED_WITH,
                                             ("mb_per_s", "rtt_ns"), settings)}


def _measure(routers, repetitions, seconds, pings, progress, entries):
    progress.start("router (bulk TCP, ping)", repetitions * len(routers),
                   repetitions * len(routers) * (seconds + pings * 0.02))
    for rep, r in records.take_turns(routers, repetitions):
        e = entries[r.name]
        if e["status"] == "measured":
            try:
                e["mb_per_s"].append(r.throughput(seconds))
                e["rtt_ns"].extend(r.rtts(pings))
                e["round"].append(rep)
            except (OSError, ValueError, subprocess.TimeoutExpired) as failure:
                e.update(status="failed", reason=str(failure))
        progress.step(r.name, seconds)
    progress.finish()
    records.summarize(entries, ("mb_per_s", "rtt_ns"))


def report(result):
    entries = result["routers"]
    lines = [f"One TCP stream for {result['seconds']} s a run (inside → "
             f"outside, through the router) and {result['pings']} pings a "
             f"run, the routers in turn. Unilab's router runs its default "
             f"rules (masquerade, stateful firewall); Linux forwards plainly. "
             f"Medians; ratios against {COMPARED_WITH} with 95% bootstrap "
             f"intervals; added RTT is the median RTT minus Linux's.", "",
             "| router | runs | MB/s | / linux | RTT | / linux | added RTT |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    base = entries.get(COMPARED_WITH, {}).get("summary")
    for name in records.measured(entries):
        s = entries[name].get("summary")
        if not s:
            continue
        cells = {}
        for r in result["ratios"]:
            if r["numerator"] == name:
                cells[r["metric"]] = units.ratio_with_interval(r)
        added = units.time_ns(s["rtt_ns"]["median"] - base["rtt_ns"]["median"]) \
            if base and name != COMPARED_WITH else "—"
        lines.append(f"| {name} | {s['mb_per_s']['n']} | "
                     f"{s['mb_per_s']['median']:.1f} | "
                     f"{cells.get('mb_per_s', '1×')} | "
                     f"{units.time_ns(s['rtt_ns']['median'])} | "
                     f"{cells.get('rtt_ns', '1×')} | {added} |")
    return lines + notes.section(result["ratios"], entries)


def csv_rows(result):
    for name, e in result["routers"].items():
        for seq, rnd in enumerate(e.get("round", [])):
            yield ("router", name, "throughput", "MB/s", seq, rnd,
                   e["mb_per_s"][seq])
        for seq, v in enumerate(e.get("rtt_ns", [])):
            yield ("router", name, "rtt", "ns", seq, 0, v)


def plot(result, directory):
    return []  # one table says it all
