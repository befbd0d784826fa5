"""The on-demand study: what a client sees of a service that boots when
its first request comes. httpd.kvm under `unilab-kvm --on-demand` holds
its TAP and boots a VM on the first frame; it ends after IDLE_EXIT
seconds without traffic, and the next request boots a fresh VM. Against
it, in the same rounds: crun starting a container (busybox httpd, the
same page) when the request comes, its network prepared in advance as the
monitor's TAP is. The metric is the time to the first byte of the answer
(from the client's connect) of the cold request, boot included, and of
warm ones to the same running service, each on a new connection."""
import os
import re
import socket
import subprocess
import time

from .. import container, netns, probes, servers, stats, units
from ..case import BASELINE, UNILAB, Case
from . import notes, records

TITLE = "Services that boot on demand"
COMPARED_WITH = "crun"
TARGET_MS = 10.0       # the cold first request at the client (issue 15)
IDLE_EXIT = 0.2        # seconds: the guest ends soon, for the next round
WARM = 5               # warm requests per round
ROUNDS = 100
CONNECT_EVERY = 0.0005  # crun: how often the client tries to connect
START_TIMEOUT = 10.0
METRICS = ("cold_ns", "warm_ns")


def _first_byte(address, retry_until=None, since=None):
    """One GET on a new connection: ns from the first connect attempt (or
    from perf_counter_ns() value since) to the first byte of the answer,
    which must be a 200. With retry_until, a refused connection is tried
    again (the server is still starting)."""
    before = time.perf_counter_ns() if since is None else since
    while True:
        try:
            s = socket.create_connection(address, timeout=probes.TIMEOUT * 5)
            break
        except ConnectionRefusedError:
            if retry_until is None or time.monotonic() > retry_until:
                raise probes.Failure(f"{address[0]} refused the connection")
            time.sleep(CONNECT_EVERY)
    with s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(probes.REQUEST_CLOSE)
        first = s.recv(65536)
        took = time.perf_counter_ns() - before
        if not first.startswith(b"HTTP/1.") or b" 200 " not in first[:16]:
            raise probes.Failure(f"answered {first[:40]!r}")
        while s.recv(65536):
            pass
    return took


class KvmOnDemand:
    """unilab-kvm --on-demand httpd.kvm on a TAP; a round waits for the
    guest of the round before to end (its idle exit) first."""

    def __init__(self, settings, case, subnets, logs):
        n, host_side, address = subnets.take()
        tap = f"ubt{n}"
        netns.tap(tap, host_side)
        self.log = os.path.join(logs, "kvm-ondemand.log")
        self.server = servers.Server(name="kvm", what="")
        image = settings.path("apps", "httpd", "httpd.kvm")
        self.server.spawn([case.argv[0], "--on-demand", f"--net=tap:{tap}",
                           f"--mem={servers.UNILAB_MEMORY}", image,
                           f"ip={address}/24", f"idle-exit={IDLE_EXIT:g}"],
                          self.log)
        self.address = (address, 80)
        self.ended = 0
        self._wait_for("waiting for the first request", 1)

    def _wait_for(self, text, n):
        self.server.wait_output(self.log, re.escape(text), n,
                                START_TIMEOUT + IDLE_EXIT)

    def cold(self):
        return _first_byte(self.address)

    def rest(self):
        self.ended += 1
        self._wait_for("the guest ended (status 0)", self.ended)

    def stop(self):
        self.server.stop()


class CrunOnDemand:
    """crun runs the server bundle, detached, into a network namespace
    held by a process of the harness (a veth's far end in it, addressed),
    when the request comes; the round ends by deleting the container."""

    def __init__(self, settings, case, subnets, logs):
        self.runtime = case.argv[0]
        self.holder = subprocess.Popen(["unshare", "--net", "sleep",
                                        "infinity"])
        n, host_side, address = subnets.take()
        netns.veth(f"ubv{n}", f"ubc{n}", host_side)
        pid = self.holder.pid
        time.sleep(0.05)  # unshare has made the namespace by now
        netns.ip("link", "set", f"ubc{n}", "netns", str(pid))
        netns.ip("addr", "add", f"{address}/24", "dev", f"ubc{n}",
                 netns_of=pid)
        netns.ip("link", "set", f"ubc{n}", "up", netns_of=pid)
        netns.ip("link", "set", "lo", "up", netns_of=pid)
        self.bundle = container.ondemand_bundle(
            settings, servers.page(settings), f"/proc/{pid}/ns/net")
        self.ident = f"unibench-ondemand-{os.getpid()}"
        self.address = (address, 80)
        self.log = open(os.path.join(logs, "crun-ondemand.log"), "ab")

    def cold(self):
        before = time.perf_counter_ns()
        subprocess.run([self.runtime, "run", "--detach", "--bundle",
                        self.bundle, self.ident], check=True,
                       stdin=subprocess.DEVNULL, stdout=self.log,
                       stderr=self.log, timeout=START_TIMEOUT)
        return _first_byte(self.address, since=before,
                           retry_until=time.monotonic() + START_TIMEOUT)

    def rest(self):
        for argv in ([self.runtime, "kill", self.ident, "KILL"],
                     [self.runtime, "delete", "--force", self.ident]):
            subprocess.run(argv, capture_output=True, timeout=30)

    def stop(self):
        self.rest()
        self.holder.kill()
        self.holder.wait()
        self.log.close()


SERVICES = (("kvm", UNILAB, "hello.kvm", KvmOnDemand,
             "httpd.kvm under unilab-kvm --on-demand, over a TAP"),
            ("crun", BASELINE, "crun", CrunOnDemand,
             "busybox httpd in a crun container started on demand, over a "
             "veth pair"))


def run(settings, cases, trials, progress):
    why = servers.requirements()
    by_name = {c.name: c for c in cases}
    entries = {}
    for name, kind, case_name, _, what in SERVICES:
        case = by_name.get(case_name)
        if why or not isinstance(case, Case):
            reason = why or (case.reason if case else f"no {case_name} case")
            entries[name] = {"kind": kind, "status": "skipped",
                             "reason": reason}
        else:
            entries[name] = {"kind": kind, "what": what, "status": "measured",
                             "notes": dict(case.notes), "cold_ns": [],
                             "warm_ns": []}
    if not why:
        with netns.Namespace():
            _measure(settings, by_name, entries, progress)
    records.summarize(entries, METRICS)
    return {"servers": entries, "page": probes.PATH, "idle_exit_s": IDLE_EXIT,
            "target_ms": TARGET_MS,
            "ratios": records.ratios(entries, COMPARED_WITH, METRICS,
                                     settings)}


def _start(settings, by_name, entries, logs):
    subnets = servers.Subnets()
    running = []
    for name, kind, case_name, make, _ in SERVICES:
        if entries[name]["status"] != "measured":
            continue
        try:
            running.append((name, make(settings, by_name[case_name],
                                       subnets, logs)))
        except (OSError, subprocess.SubprocessError, probes.Failure) as e:
            entries[name].update(records.failure_status(
                kind, f"cannot start: {e}"))
    return running


def _measure(settings, by_name, entries, progress):
    logs = os.path.join(settings.out, "ondemand-logs")
    os.makedirs(logs, exist_ok=True)
    running = _start(settings, by_name, entries, logs)
    rounds = min(ROUNDS, settings.runs)
    progress.start("ondemand", rounds * len(running),
                   rounds * len(running) * (IDLE_EXIT + 0.1))
    try:
        for _, (name, service) in records.take_turns(running, rounds):
            e = entries[name]
            if e["status"] != "measured":
                continue
            try:
                e["cold_ns"].append(service.cold())
                e["warm_ns"] += [_first_byte(service.address)
                                 for _ in range(WARM)]
                service.rest()
            except (OSError, subprocess.SubprocessError,
                    probes.Failure) as failure:
                e.update(records.failure_status(e["kind"], str(failure)))
                progress.note(f"ondemand: {name}: "
                              f"{str(failure).splitlines()[0]}")
            progress.step(name)
    finally:
        for _, service in running:
            service.stop()
        progress.finish()


def report(result):
    entries = result["servers"]
    lines = [f"The client connects and sends `GET {result['page']}`; times "
             f"run from its connect to the first byte of the answer. Cold: "
             f"the service is not running (kvm: the monitor waits with its "
             f"TAP open, and the VM is made and booted on the first frame; "
             f"crun: its network namespace and veth are ready, and the "
             f"harness runs the container when the request comes, then "
             f"connects as soon as busybox httpd listens). Warm: {WARM} "
             f"requests right after, each on a new connection. The guest "
             f"ends after idle-exit={result['idle_exit_s']:g} s, so every "
             f"round's cold request boots a fresh VM. Ratios against "
             f"{COMPARED_WITH}, with a 95% bootstrap interval.", "",
             "| service | rounds | cold median | cold p95 | / crun | "
             "warm median | warm p95 | / crun |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    spreads = []
    for name, e in entries.items():
        if e["status"] != "measured" or "summary" not in e:
            continue
        cold, warm = e["summary"]["cold_ns"], e["summary"]["warm_ns"]
        lines.append(f"| {name} | {cold['n']} | {units.time_ns(cold['median'])}"
                     f" | {units.time_ns(cold['p95'])} | "
                     f"{_ratio_cell(result, 'cold_ns', name)} | "
                     f"{units.time_ns(warm['median'])} | "
                     f"{units.time_ns(warm['p95'])} | "
                     f"{_ratio_cell(result, 'warm_ns', name)} |")
        for metric in METRICS:
            spread = stats.relative_spread(e[metric])
            if spread > stats.WIDE_SPREAD:
                spreads.append((f"{name} {metric}", spread))
    kvm = entries.get("kvm", {})
    if "summary" in kvm:
        cold_ms = kvm["summary"]["cold_ns"]["median"] / 1e6
        met = "met" if cold_ms < result["target_ms"] else "not met"
        lines += ["", f"Target: the cold first request under "
                      f"{result['target_ms']:g} ms at the client: {met} "
                      f"(median {cold_ms:.2f} ms)."]
    warnings = notes.wide_spreads(spreads)
    warnings += notes.wide_intervals(
        [f"{r['numerator']} / {r['denominator']} {r['metric']}"
         for r in result["ratios"] if r["wide"]])
    warnings += records.not_measured(entries)
    return lines + (["", "Notes:", ""] + warnings if warnings else [])


def _ratio_cell(result, metric, name):
    for r in result["ratios"]:
        if (r["metric"], r["numerator"]) == (metric, name):
            return units.ratio_with_interval(r)
    return "1×" if name == COMPARED_WITH else "–"


def csv_rows(result):
    for name, e in result["servers"].items():
        for metric in METRICS:
            for seq, value in enumerate(e.get(metric, ())):
                yield ("ondemand", name, metric, "ns", seq, "", value)


def plot(result, directory):
    return []
