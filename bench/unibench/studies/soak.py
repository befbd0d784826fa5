"""The soak study: Unilab's httpd on the posix and kvm backends under wrk
for minutes on end (--soak-minutes, default 10 each; --quick 30 s), to
show that a long-running image neither slows down, errs nor leaks. wrk
runs in intervals; after each, once the load is over and the server has
settled, the harness reads the heap in use from httpd's /stats. A server passes when no request failed and its
heap in use at the end equals, byte for byte, what it was after the first
minute (after the first interval of a run shorter than two minutes): a
server that has settled holds no more than it did, however long it ran."""
import os
import re
import socket
import time

from .. import netns, probes, servers, units
from .. import plot as plotting
from ..case import Case

TITLE = "Soak"
BACKENDS = ("posix", "kvm")
CONNECTIONS = 8
WARMUP_SECONDS = 60.0
SETTLE_SECONDS = 5.0


def intervals(settings):
    """(seconds per interval, how many) for the study's length."""
    total = settings.soak_minutes * 60
    step = 5.0 if total < 120 else 10.0
    return step, max(2, round(total / step))


def heap_in_use(address):
    """heap_in_use from httpd's /stats, on a connection of its own that this
    side closes first: the side that closes first keeps the connection in
    TIME_WAIT for two minutes' lifetimes, and on the server's side that
    would be heap the reading itself left behind."""
    with socket.create_connection(address, timeout=5) as s:
        s.sendall(b"GET /stats HTTP/1.1\r\nHost: soak\r\n\r\n")
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += _receive(s)
        head, body = reply.split(b"\r\n\r\n", 1)
        length = re.search(rb"(?im)^content-length: *(\d+)", head)
        if not length:
            raise probes.Failure(f"/stats without Content-Length: {head!r}")
        while len(body) < int(length.group(1)):
            body += _receive(s)
    found = re.search(rb"^heap_in_use (\d+)$", body, re.MULTILINE)
    if not found:
        raise probes.Failure(f"/stats has no heap_in_use: {body[-300:]!r}")
    time.sleep(0.2)   # for the server to see the close and free its side
    return int(found.group(1))


def settled_heap(address):
    """The heap in use once the server has finished with the load: the
    connections wrk dropped take a moment to close (longer on kvm, whose
    exits are slow), so readings are taken until two in a row agree, for
    at most SETTLE_SECONDS."""
    deadline = time.monotonic() + SETTLE_SECONDS
    last = heap_in_use(address)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = heap_in_use(address)
        if now == last:
            break
        last = now
    return last


def _receive(s):
    chunk = s.recv(65536)
    if not chunk:
        raise probes.Failure("/stats: the server closed the connection early")
    return chunk


def verdict(samples, step):
    """The figures and the pass/fail of one server's samples: the heap
    after the warm-up (the first minute, or the first interval of a shorter
    run) against the heap at the end, and the errors."""
    heap = samples["heap_in_use"]
    warm = 0
    if len(heap) * step >= 2 * WARMUP_SECONDS:
        warm = round(WARMUP_SECONDS / step) - 1
    reference, end = heap[warm], heap[-1]
    drift = (end - reference) / reference if reference else 0.0
    errors = sum(samples["bad_responses"]) + sum(samples["socket_errors"])
    return {"heap_after_warmup": reference, "warmup_s": (warm + 1) * step,
            "heap_at_end": end, "heap_drift": drift, "errors": errors,
            "requests": sum(samples["requests"]),
            "passed": errors == 0 and end == reference}


def run(settings, cases, trials, progress):
    why = servers.requirements() or (
        None if probes.wrk_available() else "wrk is not installed (wrk)")
    by_name = {c.name: c for c in cases}
    entries = {}
    step, count = intervals(settings)
    runnable = []
    for backend in BACKENDS:
        case = by_name.get(f"hello.{backend}")
        if why or not isinstance(case, Case):
            entries[backend] = {"kind": "unilab", "status": "skipped",
                                "reason": why or (case.reason if case else
                                                  f"no hello.{backend}")}
        else:
            runnable.append((backend, case))
    if runnable:
        logs = os.path.join(settings.out, "soak-logs")
        os.makedirs(logs, exist_ok=True)
        progress.start("soak", len(runnable) * count,
                       len(runnable) * count * step)
        with netns.Namespace():
            subnets = servers.Subnets()
            for backend, case in runnable:
                entries[backend] = _soak(settings, case, subnets, logs, step,
                                         count, progress)
        progress.finish()
    return {"interval_s": step, "connections": CONNECTIONS,
            "page": probes.PATH,
            "servers": {b: entries[b] for b in BACKENDS}}


def _soak(settings, case, subnets, logs, step, count, progress):
    """One backend's httpd under wrk for count intervals of step s."""
    try:
        server = servers.unilab(settings, case, subnets, logs)
    except OSError as error:
        return {"kind": "unilab", "status": "failed",
                "reason": f"cannot start: {error}"}
    if not isinstance(server, servers.Server):
        return {"kind": "unilab", "status": "skipped",
                "reason": server.reason}
    samples = {k: [] for k in ("t_s", "requests_per_s", "requests",
                               "bad_responses", "socket_errors",
                               "heap_in_use")}
    entry = {"kind": "unilab", "what": f"Unilab's httpd on {case.name}, "
             f"wrk with {CONNECTIONS} connections", "samples": samples}
    try:
        servers.wait_ready(server)
        start = time.monotonic()
        for _ in range(count):
            server.check()
            load = probes.wrk(server.http, int(step), CONNECTIONS)
            samples["t_s"].append(round(time.monotonic() - start, 3))
            for key in ("requests_per_s", "requests", "bad_responses",
                        "socket_errors"):
                samples[key].append(load[key])
            samples["heap_in_use"].append(settled_heap(server.http))
            progress.step(case.name, step)
        server.check()
    except (OSError, probes.Failure) as failure:
        entry.update(status="failed", reason=str(failure))
        return entry
    finally:
        server.stop()
    entry.update(status="measured", **verdict(samples, step))
    return entry


def report(result):
    lines = [f"Each server runs under wrk ({result['connections']} "
             f"connections, `{result['page']}`) in {result['interval_s']:g} s "
             f"intervals; after each, with no load, the heap in use is read "
             f"from httpd's `/stats`. A server passes with no failed request "
             f"and its heap at the end equal to the heap after the warm-up.",
             "",
             "| server | duration | requests | requests/s first → last "
             "interval (median) | heap after warm-up | heap at end | drift "
             "| errors | verdict |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, e in result["servers"].items():
        if e["status"] != "measured":
            lines.append(f"| {name} | {e['status']}: "
                         f"{e['reason'].splitlines()[0]} ||||||||")
            continue
        s = e["samples"]
        rates = sorted(s["requests_per_s"])
        lines.append(
            f"| {name} | {s['t_s'][-1]:.0f} s | {e['requests']} | "
            f"{s['requests_per_s'][0]:.0f} → {s['requests_per_s'][-1]:.0f} "
            f"({rates[len(rates) // 2]:.0f}) | "
            f"{units.size_bytes(e['heap_after_warmup'])} "
            f"(at {e['warmup_s']:g} s) | {units.size_bytes(e['heap_at_end'])}"
            f" | {e['heap_drift']:+.1%} | {e['errors']} | "
            f"{'passed' if e['passed'] else '**failed**'} |")
    return lines


def csv_rows(result):
    for name, e in result["servers"].items():
        s = e.get("samples")
        if e["status"] != "measured":
            continue
        for i in range(len(s["t_s"])):
            yield ("soak", name, "requests_per_s", "1/s", i, i,
                   s["requests_per_s"][i])
            yield ("soak", name, "heap_in_use", "B", i, i,
                   s["heap_in_use"][i])


def plot(result, directory):
    """soak.svg/png: requests/s and heap in use against time, a line per
    server."""
    drawn = []
    for name, e in result["servers"].items():
        if e["status"] == "measured":
            s = e["samples"]
            plotting.data_file(directory, f"soak-{name}.dat", list(zip(
                s["t_s"], s["requests_per_s"], s["heap_in_use"])))
            drawn.append(name)
    if not drawn:
        return []

    def lines(column):
        return ", \\\n     ".join(f"'soak-{n}.dat' using 1:{column} with "
                                   f"linespoints pt 7 title '{n}'"
                                   for n in drawn)
    body = f"""set multiplot layout 1,2 title 'httpd under wrk over time'
set xlabel 'time (s)'
set grid
set yrange [0:*]
set ylabel 'requests/s'
plot {lines(2)}
set ylabel 'heap in use (bytes)'
plot {lines(3)}
unset multiplot"""
    return plotting.draw(directory, "soak", body, size=(1000, 450))
