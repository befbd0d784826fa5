"""The latency study: UDP echo round trips and HTTP requests (on one
kept-alive connection, and on a new connection each) to Unilab's echo and
httpd apps on the posix and kvm backends, against the same services in a
crun container and in a Linux VM; HTTPS requests and full TLS handshakes
to httpd --https against nginx (a process) serving the same page with the
same certificate; then HTTP throughput with wrk. Every server sits on a
virtual link of its own in a network namespace the study makes, and the
client (the harness) talks to them in rotating rounds."""
import functools
import math
import os

from .. import netns, probes, servers, stats, units
from .. import plot as plotting
from ..case import BASELINE, UNILAB, Case
from . import notes, records

TITLE = "Latency"
COMPARED_WITH = "crun"  # Linux's own network stack, in a container

# (server, kind, the boot case it is built from, how to start it)
SERVERS = (
    ("posix", UNILAB, "hello.posix", servers.unilab),
    ("kvm", UNILAB, "hello.kvm", servers.unilab),
    ("crun", BASELINE, "crun", servers.crun),
    ("linux-vm", BASELINE, "linux-vm", servers.linux),
    ("nginx", BASELINE, "nginx", servers.nginx),
)
# (metric, what it is, the probe, the service it talks to)
METRICS = (
    ("udp_rtt", "UDP echo round trip", probes.udp_round_trips, "udp"),
    ("http_keepalive", "HTTP request on a kept-alive connection",
     probes.http_kept_alive, "http"),
    ("http_new", "HTTP request on a new connection",
     probes.http_new_connections, "http"),
    ("https_keepalive", "HTTPS request on a kept-alive connection",
     probes.http_kept_alive, "https"),
    ("https_new", "HTTPS request on a new connection (full handshake)",
     probes.http_new_connections, "https"),
    ("tls_handshake", "TLS 1.2 full handshake (connect, handshake, close)",
     probes.tls_handshakes, "https"),
)
# What each metric's ratios divide by: TLS is compared with nginx, which
# serves the same page with the same certificate.
RATIO_BASE = {"https_keepalive": "nginx", "https_new": "nginx",
              "tls_handshake": "nginx"}
ROUNDS = 50
CDF_POINTS = 200  # points per curve in the plot
WRK_CONNECTIONS = 8


def _throughput_plan(settings):
    """(repetitions, seconds) of wrk per server."""
    return (1, 1) if settings.quick else (3, 5)


def run(settings, cases, trials, progress):
    entries = {}
    why = servers.requirements()
    if why:
        entries = {name: {"kind": kind, "status": "skipped", "reason": why}
                   for name, kind, _, _ in SERVERS}
    else:
        _run_servers(settings, cases, progress, entries)
    return {"servers": {name: entries[name] for name, _, _, _ in SERVERS},
            "page": probes.PATH,
            "wrk": probes.wrk_available(),
            "ratios": _ratios(entries, settings)}


def _run_servers(settings, cases, progress, entries):
    """Start the servers in a network namespace of their own, measure,
    and stop them; the namespace goes with them."""
    logs = os.path.join(settings.out, "latency-logs")
    os.makedirs(logs, exist_ok=True)
    with netns.Namespace():
        running = []
        try:
            running = _start(settings, cases, logs, entries)
            _measure(running, settings, progress, entries)
            if probes.wrk_available():
                _throughput(running, settings, progress, entries)
        finally:
            for server in running:
                server.stop()


def _start(settings, cases, logs, entries):
    """Start every server that can run, wait until they answer; returns
    those that do, and fills entries for all."""
    by_name = {c.name: c for c in cases}
    by_name.setdefault("nginx", servers.nginx_case())
    subnets = servers.Subnets()
    started = []
    for name, kind, case_name, start in SERVERS:
        case = by_name.get(case_name)
        if not isinstance(case, Case):
            entries[name] = {"kind": kind, "status": "skipped",
                             "reason": case.reason if case else
                             f"no {case_name} case"}
            continue
        try:
            server = start(settings, case, subnets, logs)
        except (OSError, ValueError, probes.Failure) as error:
            entries[name] = dict(kind=kind, **records.failure_status(
                kind, f"cannot start: {error}"))
            continue
        if not isinstance(server, servers.Server):
            entries[name] = records.entry(server)
            continue
        started.append((server, case,
                        functools.partial(start, settings, case, subnets,
                                          logs)))
        entries[name] = {"kind": kind, "what": server.what,
                         "status": "measured", "notes": server.notes,
                         "metrics": {}}
    ready = []
    for server, case, restart in started:
        name = server.name
        try:
            server = _wait(server, case, restart)
            ready.append(server)
            entries[name].update(
                udp=list(server.udp or ()), http=list(server.http),
                https=list(server.https[:2]) if server.https else [])
        except (OSError, ValueError, probes.Failure) as failure:
            entries[name].update(records.failure_status(
                entries[name]["kind"], f"not ready: {failure}"))
    return ready


def _wait(server, case, restart):
    """The server once it answers. One that ends or does not answer is
    stopped and, while its case's retries last (a Linux VM's boot fails
    now and then), started again by restart(), each failure kept in
    case.failed_runs; else the failure is raised."""
    while True:
        try:
            servers.wait_ready(server)
            return server
        except probes.Failure as failure:
            server.stop()
            if len(case.failed_runs) >= case.retries:
                raise
            case.failed_runs.append(
                f"latency server: {str(failure).splitlines()[0]}")
            server = restart()


def _measure(running, settings, progress, entries):
    """settings.runs samples of each metric for each server, in rounds
    that rotate the servers' order."""
    rounds = min(ROUNDS, settings.runs)
    batch = math.ceil(settings.runs / rounds)
    progress.start("latency", rounds * len(running), 0)
    seq = 0
    for number in range(rounds):
        for i in range(len(running)):
            server = running[(i + number) % len(running)]
            metrics = entries[server.name]["metrics"]
            for metric, _, probe, service in METRICS:
                result = metrics.setdefault(metric, {
                    "status": "measured", "ns": [], "round": [], "seq": []})
                if result["status"] != "measured":
                    continue
                if getattr(server, service) is None:
                    result.update(status="unsupported",
                                  reason=f"no {service} service")
                    continue
                try:
                    server.check()
                    times = probe(getattr(server, service), batch)
                except probes.NoKeepAlive as why:
                    result.update(status="unsupported", reason=str(why))
                    continue
                except (OSError, probes.Failure) as failure:
                    result.update(status="failed", reason=str(failure))
                    progress.note(f"latency: {server.name} {metric}: "
                                  f"{str(failure).splitlines()[0]}")
                    continue
                result["ns"] += times
                result["round"] += [number] * len(times)
                result["seq"] += list(range(seq, seq + len(times)))
                seq += len(times)
            progress.step(server.name)
    progress.finish()
    for server in running:
        for result in entries[server.name]["metrics"].values():
            if result["ns"] and result["status"] == "measured":
                result["summary"] = stats.summary(result["ns"])


def _throughput(running, settings, progress, entries):
    """Requests per second under wrk, the servers in rotating order."""
    repetitions, seconds = _throughput_plan(settings)
    progress.start("latency throughput (wrk)", repetitions * len(running),
                   repetitions * len(running) * seconds)
    for server in running:
        entries[server.name]["throughput"] = {"status": "measured",
                                              "requests_per_s": []}
    for rep in range(repetitions):
        for i in range(len(running)):
            server = running[(i + rep) % len(running)]
            result = entries[server.name]["throughput"]
            if result["status"] == "measured":
                try:
                    result["requests_per_s"].append(probes.throughput(
                        server.http, seconds, WRK_CONNECTIONS))
                except probes.Failure as failure:
                    result.update(status="failed", reason=str(failure))
            progress.step(server.name, seconds)
    progress.finish()
    for server in running:
        result = entries[server.name]["throughput"]
        if result["requests_per_s"]:
            result["summary"] = stats.summary(result["requests_per_s"])
        result.update(seconds=seconds, connections=WRK_CONNECTIONS)


def _samples(entries, name, metric):
    entry = entries.get(name, {})
    result = entry.get("metrics", {}).get(metric, {})
    ok = entry.get("status") == "measured" and result.get("status") == \
        "measured"
    return result.get("ns") if ok else None


def _ratios(entries, settings):
    """Each server's median against the container's (nginx's for TLS), per
    metric."""
    ratios = []
    for metric, _, _, _ in METRICS:
        base = RATIO_BASE.get(metric, COMPARED_WITH)
        bottom = _samples(entries, base, metric)
        for name, _, _, _ in SERVERS:
            top = _samples(entries, name, metric)
            if name != base and top and bottom:
                ratios.append(dict(metric=metric, numerator=name,
                                   denominator=base,
                                   **stats.ratio(top, bottom,
                                                 settings.resamples,
                                                 settings.seed)))
    return ratios


def _ratio_cell(result, metric, name):
    for r in result["ratios"]:
        if (r["metric"], r["numerator"]) == (metric, name):
            return units.ratio_with_interval(r)
    return "1×" if name == RATIO_BASE.get(metric, COMPARED_WITH) else "–"


def report(result):
    entries = result["servers"]
    lines = [f"Each server has a virtual link of its own (a TAP, or a veth "
             f"pair for the container and nginx) in a network namespace the "
             f"study makes; the HTTP servers serve `{result['page']}`. "
             f"Times run from the request's send to the answer's last byte; "
             f"ratios are of medians against {COMPARED_WITH} (nginx for "
             f"HTTPS and handshakes: same page, same certificate, TLS 1.2), "
             f"with a 95% bootstrap interval. One client, one request at a "
             f"time: full handshakes per second are 1 s over the handshake "
             f"median."]
    unsupported, spreads = [], []
    for metric, what, _, _ in METRICS:
        lines += ["", f"**{what}**", "",
                  f"| server | runs | median | p5 | p95 | "
                  f"/ {RATIO_BASE.get(metric, COMPARED_WITH)} |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, e in entries.items():
            m = e.get("metrics", {}).get(metric)
            if e["status"] != "measured" or not m:
                continue
            if m["status"] == "unsupported" and \
                    m["reason"].startswith("no "):
                continue  # a server without that service: not a result
            if m["status"] != "measured":
                lines.append(f"| {name} | – | {m['status']} | | | |")
                unsupported.append(f"- {name}, {what}: {m['status']}: "
                                   f"{m['reason'].splitlines()[0]}")
                continue
            s = m["summary"]
            lines.append(f"| {name} | {s['n']} | {units.time_ns(s['median'])}"
                         f" | {units.time_ns(s['p5'])} | "
                         f"{units.time_ns(s['p95'])} | "
                         f"{_ratio_cell(result, metric, name)} |")
            spread = stats.relative_spread(m["ns"])
            if spread > stats.WIDE_SPREAD:
                spreads.append((f"{name} {metric}", spread))
    warnings = unsupported
    lines += _throughput_table(result, warnings)
    warnings += notes.wide_spreads(spreads)
    warnings += notes.wide_intervals(
        [f"{r['numerator']} / {r['denominator']} {r['metric']}"
         for r in result["ratios"] if r["wide"]])
    warnings += records.not_measured(entries)
    return lines + (["", "Notes:", ""] + warnings if warnings else [])


def _throughput_table(result, warnings):
    if not result.get("wrk"):
        warnings.append("- throughput not measured: wrk is not installed")
        return []
    lines = ["", f"**HTTP throughput** (wrk, one thread, "
                 f"{WRK_CONNECTIONS} connections)", "",
             "| server | runs | median requests/s | min | max |",
             "|---|---:|---:|---:|---:|"]
    for name, e in result["servers"].items():
        t = e.get("throughput")
        if not t:
            continue
        if "summary" not in t:
            warnings.append(f"- {name}, throughput: "
                            f"{t.get('reason', 'none')}")
            continue
        s = t["summary"]
        lines.append(f"| {name} | {s['n']} | {s['median']:.0f} | "
                     f"{s['min']:.0f} | {s['max']:.0f} |")
    return lines


def csv_rows(result):
    for name, e in result["servers"].items():
        for metric, m in e.get("metrics", {}).items():
            for value, rnd, seq in zip(m["ns"], m["round"], m["seq"]):
                yield ("latency", name, metric, "ns", seq, rnd, value)
        for value in e.get("throughput", {}).get("requests_per_s", ()):
            yield ("latency", name, "http_throughput", "requests/s", "", "",
                   value)


def plot(result, directory):
    """latency.svg/png: the distribution (CDF) of each metric's times, one
    panel per metric, one line per server, log scale."""
    panels = []
    for metric, what, _, _ in METRICS:
        blocks, titles = [], []
        # A server keeps its colour in every panel: its place in SERVERS.
        for colour, (name, e) in enumerate(result["servers"].items(), 1):
            m = e.get("metrics", {}).get(metric, {})
            if m.get("status") != "measured" or not m.get("ns"):
                continue
            ordered = sorted(v / 1e6 for v in m["ns"])
            # At most CDF_POINTS steps of the curve, and its very end.
            ranks = sorted(set(range(len(ordered) - 1, -1,
                                     -max(1, len(ordered) // CDF_POINTS))))
            blocks.append([(ordered[i], (i + 1) / len(ordered))
                           for i in ranks])
            titles.append((name, colour))
        if not blocks:
            continue
        data = f"latency-{metric}.dat"
        with open(os.path.join(directory, data), "w") as f:
            # Two blank lines end a block, which gnuplot's index counts.
            f.write("\n\n\n".join("\n".join(f"{x!r} {y!r}"
                                             for x, y in block)
                                   for block in blocks) + "\n")
        curves = ", ".join(f"'{data}' index {i} using 1:2 with lines lw 2 "
                           f"lc {colour} title '{name}'"
                           for i, (name, colour) in enumerate(titles))
        panels.append(f"set title '{what}'\nplot {curves}")
    if not panels:
        return []
    body = (f"set multiplot layout 1,{len(panels)}\n"
            "set logscale x\nset format x '%g'\nset xlabel 'milliseconds'\n"
            "set ylabel 'fraction of requests'\nset yrange [0:1]\n"
            "set grid\nset key bottom right opaque\n"
            + "\n".join(panels) + "\nunset multiplot")
    return plotting.draw(directory, "latency", body,
                         size=(460 * len(panels), 420))
