"""The kvm I/O study: what the network costs Unilab's kvm backend against
its posix backend, side by side in one run, each image on a TAP of its
own in the study's network namespace:

- VM exits per small HTTP request, each on a new connection, and per
  request under wrk with 200 connections, from unilab-kvm's own --stats;
- wrk -c200 requests/s and p99 latency, kvm against posix, in turns;
- 100 MB over TCP to and from the image (tcpxfer), kvm against posix, in
  turns, timed at the Linux end.

Two figures the issue asks for are other studies' and are not measured
twice: HTTP new-connection latency of kvm against a crun container (the
latency study) and hello's boot to exit against the raw KVM floor (the
boot study); the checks read them there."""
import os
import re
import socket
import time

from .. import netns, probes, servers, stats, units
from ..case import Case
from . import records

TITLE = "kvm I/O"
BACKENDS = ("kvm", "posix")
NEW_CONNECTIONS = 200
WRK_CONNECTIONS = 200
TCP_PORT = 5001
STALL_S = 60.0


def _plan(settings):
    """(wrk repetitions, wrk seconds, TCP repetitions, TCP bytes)."""
    return (1, 2, 1, 10 << 20) if settings.quick else (3, 5, 3, 100 << 20)


def run(settings, cases, trials, progress):
    by_name = {c.name: c for c in cases}
    why = servers.requirements() or (
        None if probes.wrk_available() else "wrk is not installed (wrk)")
    entries = {}
    for backend in BACKENDS:
        case = by_name.get(f"hello.{backend}")
        images = [settings.path("apps", "httpd", f"httpd.{backend}"),
                  settings.path("tests", "images", "tcpxfer",
                                f"tcpxfer.{backend}")]
        missing = [i for i in images if not os.path.exists(i)]
        if why or not isinstance(case, Case) or missing:
            reason = why or (case.reason if case and not isinstance(case, Case)
                             else f"{(missing or ['hello.' + backend])[0]} "
                                  f"is not built")
            entries[backend] = {"kind": "unilab", "status": "skipped",
                                "reason": reason}
        else:
            entries[backend] = {"kind": "unilab", "status": "measured",
                                "monitor": case.argv[0], "images": images}
    runnable = [b for b in BACKENDS if entries[b]["status"] == "measured"]
    if runnable:
        logs = os.path.join(settings.out, "kvmio-logs")
        os.makedirs(logs, exist_ok=True)
        with netns.Namespace():
            _measure(settings, runnable, entries, logs, progress)
    for e in entries.values():
        for key in ("monitor", "images"):
            e.pop(key, None)
    metrics = ("wrk_requests_per_s", "tcp_to_image_mb_s",
               "tcp_from_image_mb_s")
    records.summarize(entries, metrics)
    return {"servers": entries, "page": probes.PATH,
            "wrk_connections": WRK_CONNECTIONS,
            "ratios": records.ratios(entries, "posix", metrics, settings)}


class _Image:
    """One image on a TAP of the study's network; kvm images run under
    unilab-kvm --stats, whose statistics stop() returns."""

    def __init__(self, entry, backend, image, subnet, log, args):
        n, host_side, self.address = subnet
        tap = f"ukv{n}"
        netns.tap(tap, host_side)
        options = [f"--net=tap:{tap}", f"--mem={servers.UNILAB_MEMORY}"]
        argv = ([image] + options if backend == "posix" else
                [entry["monitor"], "--stats"] + options + [image])
        self.server = servers.Server(name=backend, what=image)
        self.log = log
        if os.path.exists(log):  # a log of this run's only
            os.remove(log)
        self.server.spawn(
            argv + [f"ip={self.address}/24"] + args, log)

    def wait_line(self, pattern):
        self.server.wait_output(self.log, pattern, 1, STALL_S)

    def stop(self):
        """Stop it (SIGTERM: unilab-kvm prints its statistics); its log."""
        self.server.stop()
        with open(self.log, errors="replace") as f:
            return f.read()


def _exits(log):
    found = re.search(r"vm exits +(\d+)", log)
    if not found:
        raise probes.Failure(f"no statistics from unilab-kvm: {log[-500:]}")
    return int(found.group(1))


def _measure(settings, runnable, entries, logs, progress):
    wrk_reps, wrk_s, tcp_reps, nbytes = _plan(settings)
    subnets = servers.Subnets()
    progress.start("kvm I/O", 1 + wrk_reps * len(runnable)
                   + 2 * tcp_reps * len(runnable), wrk_reps * wrk_s * 2)
    for backend in runnable:
        e = entries[backend]
        e.update(wrk_requests_per_s=[], wrk_p99_ms=[],
                 tcp_to_image_mb_s=[], tcp_from_image_mb_s=[])
    try:
        if "kvm" in runnable:
            _new_connections(entries["kvm"], subnets, logs)
            progress.step("kvm exits per new connection")
        _wrk_turns(runnable, entries, subnets, logs, wrk_reps, wrk_s,
                   progress)
        for _, backend in records.take_turns(runnable, tcp_reps):
            e = entries[backend]
            e["tcp_to_image_mb_s"].append(_tcp_to_image(
                e, backend, subnets, logs, nbytes))
            progress.step(f"{backend} TCP to the image")
            e["tcp_from_image_mb_s"].append(_tcp_from_image(
                e, backend, subnets, logs, nbytes))
            progress.step(f"{backend} TCP from the image")
    except (OSError, probes.Failure) as failure:
        for backend in runnable:
            entries[backend].update(status="failed", reason=str(failure))
    progress.finish()


def _new_connections(entry, subnets, logs):
    """Small requests each on a new connection to httpd.kvm; exits each
    (the few exits of start-up included)."""
    image = _Image(entry, "kvm", entry["images"][0], subnets.take(),
                   os.path.join(logs, "kvm-httpd-new.log"), [])
    try:
        image.wait_line("httpd: serving")
        probes.http_new_connections((image.address, 80), NEW_CONNECTIONS)
    finally:
        log = image.stop()
    entry["exits_per_new_connection"] = _exits(log) / NEW_CONNECTIONS


def _wrk_turns(runnable, entries, subnets, logs, reps, seconds, progress):
    images = {}
    try:
        for backend in runnable:
            images[backend] = _Image(
                entries[backend], backend, entries[backend]["images"][0],
                subnets.take(), os.path.join(logs, f"{backend}-httpd-wrk.log"),
                [])
        requests = {backend: 0 for backend in runnable}
        for backend in runnable:
            images[backend].wait_line("httpd: serving")
        for _, backend in records.take_turns(runnable, reps):
            load = probes.wrk((images[backend].address, 80), seconds,
                              WRK_CONNECTIONS)
            if load["bad_responses"]:
                raise probes.Failure(f"{backend}: wrk saw "
                                     f"{load['bad_responses']} errors")
            entries[backend]["wrk_requests_per_s"].append(
                load["requests_per_s"])
            entries[backend]["wrk_p99_ms"].append(load["p99_ms"])
            requests[backend] += load["requests"]
            progress.step(f"{backend} wrk", seconds)
    finally:
        logs_of = {b: i.stop() for b, i in images.items()}
    if "kvm" in logs_of and requests["kvm"]:
        entries["kvm"]["exits_per_loaded_request"] = \
            _exits(logs_of["kvm"]) / requests["kvm"]


def _tcp_to_image(entry, backend, subnets, logs, nbytes):
    """Linux sends nbytes to tcpxfer recv; MB/s from connect to the
    image's close."""
    image = _Image(entry, backend, entry["images"][1], subnets.take(),
                   os.path.join(logs, f"{backend}-tcp-to.log"),
                   ["recv", str(TCP_PORT)])
    try:
        image.wait_line("tcpxfer: listening")
        block = os.urandom(1 << 20)
        start = time.perf_counter()
        with socket.create_connection((image.address, TCP_PORT),
                                      timeout=STALL_S) as s:
            for done in range(0, nbytes, len(block)):
                s.sendall(block[:min(len(block), nbytes - done)])
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        seconds = time.perf_counter() - start
        image.wait_line(f"tcpxfer: received {nbytes} bytes")
    finally:
        image.stop()
    return nbytes / 1e6 / seconds


def _tcp_from_image(entry, backend, subnets, logs, nbytes):
    """tcpxfer send to a listener here; MB/s from accept to the end."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("0.0.0.0", TCP_PORT))
        listener.listen(1)
        listener.settimeout(STALL_S)
        image = None
        try:
            subnet = subnets.take()
            image = _Image(entry, backend, entry["images"][1], subnet,
                           os.path.join(logs, f"{backend}-tcp-from.log"),
                           ["send", subnet[1].split("/")[0], str(TCP_PORT),
                            str(nbytes)])
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(STALL_S)
                start = time.perf_counter()
                got = 0
                while True:
                    chunk = conn.recv(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                seconds = time.perf_counter() - start
        finally:
            if image:
                image.stop()
    if got != nbytes:
        raise probes.Failure(f"{backend}: got {got} of {nbytes} bytes")
    return nbytes / 1e6 / seconds


def _median(e, metric):
    values = e.get(metric)
    return stats.median(values) if values else None


def report(result):
    e = result["servers"]
    kvm = e.get("kvm", {})
    lines = [f"Each image has a TAP of its own in the study's network "
             f"namespace. Exits are unilab-kvm's own `--stats` over the "
             f"whole run of its image (start-up included): "
             f"{NEW_CONNECTIONS} small requests (`{result['page']}`) each "
             f"on a new connection, and every request of the wrk runs "
             f"(-c{result['wrk_connections']}); wrk and TCP runs take turns "
             f"between the backends. HTTP new-connection latency against "
             f"crun is in the latency study; boot to exit against the raw "
             f"KVM floor in the boot study.", ""]
    if kvm.get("status") == "measured" and \
            "exits_per_new_connection" in kvm:
        lines += [f"- VM exits per small request on a new connection: "
                  f"**{kvm['exits_per_new_connection']:.2f}**",
                  f"- VM exits per request under wrk -c"
                  f"{result['wrk_connections']}: "
                  f"**{kvm.get('exits_per_loaded_request', 0):.3f}**", ""]
    lines += ["| backend | wrk requests/s | wrk p99 | TCP to the image | "
              "TCP from the image |", "|---|---:|---:|---:|---:|"]
    for name, entry in e.items():
        if entry["status"] != "measured":
            continue
        cells = [_median(entry, "wrk_requests_per_s"),
                 _median(entry, "wrk_p99_ms"),
                 _median(entry, "tcp_to_image_mb_s"),
                 _median(entry, "tcp_from_image_mb_s")]
        shown = ["–" if c is None else f"{c:.0f}" for c in cells[:1]] + \
            ["–" if c is None else f"{c:.1f} ms" for c in cells[1:2]] + \
            ["–" if c is None else f"{c:.1f} MB/s" for c in cells[2:]]
        lines.append(f"| {name} | " + " | ".join(shown) + " |")
    if result["ratios"]:
        lines += ["", "| kvm / posix | ratio of medians [95% interval] |",
                  "|---|---:|"]
        for r in result["ratios"]:
            lines.append(f"| {r['metric']} | "
                         f"{units.ratio_with_interval(r)} |")
    missing = records.not_measured(e)
    return lines + (["", "Notes:", ""] + missing if missing else [])


def find_ratio(result, metric):
    for r in result.get("ratios", ()):
        if r["metric"] == metric:
            return r
    return None


def csv_rows(result):
    for name, e in result["servers"].items():
        for metric in ("wrk_requests_per_s", "wrk_p99_ms",
                       "tcp_to_image_mb_s", "tcp_from_image_mb_s"):
            for i, value in enumerate(e.get(metric, ())):
                yield ("kvmio", name, metric, "", i, i, value)
        for metric in ("exits_per_new_connection",
                       "exits_per_loaded_request"):
            if metric in e:
                yield ("kvmio", name, metric, "exits", "", "", e[metric])


def plot(result, directory):
    return []
