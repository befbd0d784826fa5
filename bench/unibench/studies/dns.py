"""The dns study: queries per second and average latency under dnsperf for
Unilab's dns app (posix and kvm backends, each on a TAP) against NSD, the
authoritative server people run, serving the same zone file as a process
in a network namespace of its own (on a veth pair). The servers take
turns, in rotating order, inside the study's network namespace."""
import os
import re
import socket
import subprocess
import time

from .. import host, netns, probes, servers, units
from ..case import BASELINE, UNILAB, Case, Skipped
from . import notes, records

TITLE = "DNS"
COMPARED_WITH = "nsd"
ZONE = "example.zone"       # apps/dns/zones/, the dns app's default zone
ORIGIN = "example.test"
# The query mix: names that exist, a CNAME chain, NODATA and NXDOMAIN.
QUERIES = ("example.test A", "www.example.test A", "host.example.test AAAA",
           "example.test MX", "text.example.test TXT", "ns1.example.test A",
           "nope.example.test A", "host.example.test TXT")
CLIENTS = 4         # dnsperf -c
OUTSTANDING = 100   # dnsperf -q: queries in flight at once
SERVERS = (("posix", UNILAB, "hello.posix"), ("kvm", UNILAB, "hello.kvm"),
           ("nsd", BASELINE, None))


def _plan(settings):
    """(repetitions, seconds) of dnsperf per server."""
    return (1, 1) if settings.quick else (5, 5)


def requirements():
    why = servers.requirements()
    if why:
        return why.replace("latency study", "dns study")
    return host.missing((("dnsperf", "dnsperf"), ("nsd", "nsd"),
                         ("unshare", "util-linux")))


def run(settings, cases, trials, progress):
    why = requirements()
    entries = {}
    if why:
        entries = {name: {"kind": kind, "status": "skipped", "reason": why}
                   for name, kind, _ in SERVERS}
    else:
        with netns.Namespace():
            running = []
            try:
                running = _start(settings, cases, entries)
                _measure(running, settings, progress, entries)
            finally:
                for server in running:
                    server.stop()
    repetitions, seconds = _plan(settings)
    return {"servers": {name: entries[name] for name, _, _ in SERVERS},
            "queries": list(QUERIES), "seconds": seconds,
            "clients": CLIENTS, "outstanding": OUTSTANDING,
            "ratios": records.ratios(entries, COMPARED_WITH,
                                             ("queries_per_s",), settings)}


def _zone(settings):
    return os.path.join(settings.source, "apps", "dns", "zones", ZONE)


def _unilab(settings, case, subnets, logs):
    backend = case.name.split(".")[1]
    image = settings.path("apps", "dns", f"dns.{backend}")
    if not os.path.exists(image):
        return Skipped(backend, UNILAB, f"{image} is not built")
    n, host_side, address = subnets.take()
    netns.tap(f"ubt{n}", host_side)
    options = [f"--net=tap:ubt{n}", f"--mem={servers.UNILAB_MEMORY}"]
    argv = [image] + options if backend == "posix" else \
        [case.argv[0]] + options + [image]
    server = servers.Server(name=backend, what=f"Unilab's dns app on the "
                                               f"{backend} backend, over a TAP")
    server.spawn(argv + [f"ip={address}/24", ZONE],
                 os.path.join(logs, f"dns-{backend}.log"))
    server.udp = (address, 53)
    return server


def _nsd(settings, subnets, logs):
    """NSD in a network namespace of its own (unshare), listening on every
    address, then given the far end of a veth pair; rate limiting off."""
    work = os.path.join(logs, "nsd")
    os.makedirs(work, exist_ok=True)
    conf = os.path.join(work, "nsd.conf")
    with open(conf, "w") as f:
        f.write(f"""server:
	port: 53
	username: ""
	chroot: ""
	zonesdir: "{os.path.dirname(_zone(settings))}"
	database: ""
	zonelistfile: "{work}/zone.list"
	xfrdfile: "{work}/xfrd.state"
	pidfile: "{work}/nsd.pid"
	server-count: 1
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: no
zone:
	name: {ORIGIN}
	zonefile: {ZONE}
""")
    version = subprocess.run([host.tool("nsd"), "-v"], capture_output=True,
                             text=True)
    server = servers.Server(name="nsd", what="NSD, one server process, in a "
                                             "network namespace of its own, "
                                             "over a veth pair",
                            notes={"version": (version.stdout +
                                               version.stderr).split("\n")[0]})
    process = server.spawn([host.tool("unshare"), "--net", host.tool("nsd"),
                            "-d", "-c", conf], os.path.join(logs, "nsd.log"))
    own = os.readlink("/proc/self/ns/net")
    deadline = time.monotonic() + 10
    while os.readlink(f"/proc/{process.pid}/ns/net") == own:
        server.check()
        if time.monotonic() > deadline:
            server.stop()
            raise OSError("unshare did not make NSD's namespace")
        time.sleep(0.02)
    n, host_side, address = subnets.take()
    try:
        netns.veth(f"ubv{n}", f"ubc{n}", host_side)
        netns.ip("link", "set", f"ubc{n}", "netns", str(process.pid))
        for args in (("link", "set", "lo", "up"),
                     ("addr", "add", f"{address}/24", "dev", f"ubc{n}"),
                     ("link", "set", f"ubc{n}", "up")):
            netns.ip(*args, netns_of=process.pid)
    except OSError:
        server.stop()
        raise
    server.udp = (address, 53)
    return server


def _answers(address):
    """True when address answers a query for the zone's SOA."""
    query = (b"\x12\x34\0\0\0\1\0\0\0\0\0\0" + b"".join(
        bytes([len(p)]) + p.encode() for p in ORIGIN.split(".")) +
        b"\0\0\6\0\1")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        try:
            s.sendto(query, address)
            return s.recv(4096)[:2] == b"\x12\x34"
        except OSError:
            return False


def _start(settings, cases, entries):
    logs = os.path.join(settings.out, "dns-logs")
    os.makedirs(logs, exist_ok=True)
    by_name = {c.name: c for c in cases}
    subnets = servers.Subnets()
    started = []
    for name, kind, case_name in SERVERS:
        case = by_name.get(case_name) if case_name else None
        if case_name and not isinstance(case, Case):
            entries[name] = {"kind": kind, "status": "skipped",
                             "reason": case.reason if case else
                             f"no {case_name} case"}
            continue
        try:
            server = _unilab(settings, case, subnets, logs) if case else \
                _nsd(settings, subnets, logs)
        except OSError as error:
            entries[name] = {"kind": kind, "status": "failed",
                             "reason": f"cannot start: {error}"}
            continue
        if isinstance(server, Skipped):
            entries[name] = records.entry(server)
            continue
        entries[name] = {"kind": kind, "what": server.what,
                         "status": "measured", "notes": server.notes,
                         "address": list(server.udp)}
        deadline = time.monotonic() + 30
        while not _answers(server.udp):
            failure = _ended(server)
            if failure or time.monotonic() > deadline:
                entries[name].update(status="failed", reason=failure or
                                     "no answer to a query after 30 s")
                server.stop()
                break
            time.sleep(0.1)
        else:
            started.append(server)
    return started


def _ended(server):
    try:
        server.check()
        return None
    except probes.Failure as failure:
        return str(failure)


def dnsperf(address, queries_file, seconds):
    """One dnsperf run: (queries per second, average latency in ns, queries
    lost)."""
    done = subprocess.run(
        [host.tool("dnsperf"), "-s", address[0], "-p", str(address[1]),
         "-d", queries_file, "-l", str(seconds), "-c", str(CLIENTS),
         "-q", str(OUTSTANDING), "-t", "2"],
        capture_output=True, text=True, timeout=seconds + 60)
    qps = re.search(r"Queries per second:\s+([\d.]+)", done.stdout)
    latency = re.search(r"Average Latency \(s\):\s+([\d.]+)", done.stdout)
    lost = re.search(r"Queries lost:\s+(\d+)", done.stdout)
    if done.returncode != 0 or not (qps and latency and lost):
        raise OSError(f"dnsperf failed: {done.stdout[-500:]}{done.stderr}")
    return float(qps[1]), float(latency[1]) * 1e9, int(lost[1])


def _measure(running, settings, progress, entries):
    repetitions, seconds = _plan(settings)
    queries_file = os.path.join(settings.out, "dns-logs", "queries")
    with open(queries_file, "w") as f:
        f.write("\n".join(QUERIES) + "\n")
    progress.start("dns (dnsperf)", repetitions * len(running),
                   repetitions * len(running) * seconds)
    for server in running:
        entries[server.name].update(queries_per_s=[], latency_ns=[], lost=[],
                                    round=[])
    for rep, server in records.take_turns(running, repetitions):
        e = entries[server.name]
        if e["status"] == "measured":
            try:
                qps, latency, lost = dnsperf(server.udp, queries_file, seconds)
                e["queries_per_s"].append(qps)
                e["latency_ns"].append(latency)
                e["lost"].append(lost)
                e["round"].append(rep)
            except (OSError, subprocess.TimeoutExpired) as failure:
                e.update(status="failed", reason=str(failure))
        progress.step(server.name, seconds)
    progress.finish()
    records.summarize(entries, ("queries_per_s", "latency_ns"))


def report(result):
    entries = result["servers"]
    lines = [f"dnsperf, {result['clients']} clients with up to "
             f"{result['outstanding']} queries in flight, "
             f"{result['seconds']} s a run, asks in turn: "
             + ", ".join(f"`{q}`" for q in result["queries"]) +
             f". Every server serves `apps/dns/zones/{ZONE}`. Medians of "
             f"the runs; the ratio is of queries/s against {COMPARED_WITH} "
             f"with a 95% bootstrap interval.", "",
             f"| server | runs | queries/s | avg latency | lost | "
             f"/ {COMPARED_WITH} |", "|---|---:|---:|---:|---:|---:|"]
    for name in records.measured(entries):
        e = entries[name]
        if "summary" not in e:
            continue
        s = e["summary"]
        ratio = next((units.ratio_with_interval(r) for r in result["ratios"]
                      if r["numerator"] == name), "1×")
        lines.append(f"| {name} | {s['queries_per_s']['n']} | "
                     f"{s['queries_per_s']['median']:.0f} | "
                     f"{units.time_ns(s['latency_ns']['median'])} | "
                     f"{sum(e['lost'])} | {ratio} |")
    warnings = notes.wide_intervals([f"{r['numerator']}/{r['denominator']}"
                                     for r in result["ratios"] if r["wide"]])
    warnings += records.not_measured(entries)
    return lines + (["", "Notes:", ""] + warnings if warnings else [])


def csv_rows(result):
    for name, e in result["servers"].items():
        for seq, rnd in enumerate(e.get("round", [])):
            yield ("dns", name, "queries_per_s", "1/s", seq, rnd,
                   e["queries_per_s"][seq])
            yield ("dns", name, "avg_latency", "ns", seq, rnd,
                   e["latency_ns"][seq])


def plot(result, directory):
    return []  # one table says it all
