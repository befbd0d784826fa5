"""The bench suite's smoke test: run `unibench --quick`, then check that the
result directory is complete and self-consistent: the files exist and
parse, every case is there (measured, or skipped with a reason), times and
sizes are positive, and each summary and ratio is what the stored samples
give. A Unilab case that failed fails the test; a baseline that could not
run here is reported skipped ("unavailable here", with why) by the harness.
Exits 77 (skipped) after passing when some cases could not run here,
naming them; CI has every facility, so nothing is skipped there.

With `soak`, it runs `unibench soak --quick` (30 s per server) instead and
checks that each server was measured, with sound samples, and passed: no
failed request, its heap at the end equal to its heap after the warm-up.

usage: check_quick.py BUILD_DIR OUT_DIR [soak]
"""
import csv
import json
import os
import subprocess
import sys

from unibench import stats
from unibench.studies import sim

# Cases that need nothing but the build: they are always measured.
ALWAYS = ("hello.posix", "static_hello")
PICTURES = ("boot.svg", "boot.png", "footprint.svg", "footprint.png",
            "latency.svg", "latency.png", "sim.svg", "sim.png")
# The sim study's cases with --quick: each workload on 2 and 10 nodes.
SIM_CASES = ("tcp.2", "tcp.10", "ping.2", "ping.10")


class Invalid(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Invalid(message)


def close(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)


def measured(study, name, entry):
    """Whether a case or server was measured; one that was not must be
    skipped, with a reason."""
    expect(entry["status"] in ("measured", "skipped"),
           f"{study}: {name} {entry['status']}: {entry.get('reason')}")
    if entry["status"] == "skipped":
        expect(entry.get("reason"), f"{study}: {name} skipped without reason")
    return entry["status"] == "measured"


def check_boot(study):
    cases = study["cases"]
    for name in ALWAYS:
        expect(cases.get(name, {}).get("status") == "measured",
               f"boot: {name} was not measured")
    for name, case in cases.items():
        expect(case["status"] in ("measured", "skipped"),
               f"boot: {name} {case['status']}: {case.get('reason')}")
        if case["status"] == "skipped":
            expect(case.get("reason"), f"boot: {name} skipped without reason")
            continue
        ns = case["samples"]["ns"]
        expect(len(ns) >= 2, f"boot: {name} has {len(ns)} samples")
        expect(all(isinstance(v, int) and v > 0 for v in ns),
               f"boot: {name} has a time that is not a positive integer")
        expect(len(case["samples"]["seq"]) == len(ns),
               f"boot: {name}: seq and samples differ in length")
        expect(close(case["summary"]["median"], stats.median(ns)),
               f"boot: {name}: the stored median is not the samples'")
        expect(case["summary"]["p5"] <= case["summary"]["median"]
               <= case["summary"]["p95"], f"boot: {name}: p5/median/p95")
    for r in study["ratios"]:
        top = cases[r["numerator"]]["samples"]["ns"]
        bottom = cases[r["denominator"]]["samples"]["ns"]
        expect(close(r["ratio"], stats.median(top) / stats.median(bottom)),
               f"boot: {r['numerator']} / {r['denominator']} is not the "
               f"ratio of the samples' medians")
        low, high = r["ci95"]
        expect(0 < low <= high, f"boot: bad interval for {r['numerator']}")
    expect(any(r["numerator"] == "hello.posix"
               and r["denominator"] == "static_hello"
               for r in study["ratios"]),
           "boot: no hello.posix / static_hello ratio")


def check_footprint(study):
    for name, case in study["cases"].items():
        if case["status"] != "measured":
            expect(case.get("reason"), f"footprint: {name} without reason")
            continue
        expect(case["file_bytes"] > 0 and case["loaded_bytes"] > 0,
               f"footprint: {name} has no size")
        rss = case["rss_kib"]["samples"]
        expect(rss and all(v > 0 for v in rss),
               f"footprint: {name} has no positive peak RSS")
    posix = study["cases"]["hello.posix"]
    expect(posix.get("min_memory", {}).get("kib", 0) > 0,
           "footprint: no smallest memory for hello.posix")


def check_latency(study):
    servers = study["servers"]
    for name, server in servers.items():
        expect(server["status"] in ("measured", "skipped"),
               f"latency: {name} {server['status']}: {server.get('reason')}")
        if server["status"] == "skipped":
            expect(server.get("reason"), f"latency: {name} without reason")
            continue
        for metric, m in server["metrics"].items():
            expect(m["status"] in ("measured", "unsupported"),
                   f"latency: {name} {metric}: {m.get('reason')}")
            expect(m["status"] == "measured" or server["kind"] != "unilab",
                   f"latency: Unilab's {name} does not support {metric}")
            if m["status"] != "measured":
                continue
            expect(m["ns"] and all(isinstance(v, int) and v > 0
                                   for v in m["ns"]),
                   f"latency: {name} {metric} has no positive times")
            expect(close(m["summary"]["median"], stats.median(m["ns"])),
                   f"latency: {name} {metric}: the stored median is wrong")
        for rate in server.get("throughput", {}).get("requests_per_s", []):
            expect(rate > 0, f"latency: {name} throughput {rate}")
    for r in study["ratios"]:
        top = servers[r["numerator"]]["metrics"][r["metric"]]["ns"]
        bottom = servers[r["denominator"]]["metrics"][r["metric"]]["ns"]
        expect(close(r["ratio"], stats.median(top) / stats.median(bottom)),
               f"latency: {r['numerator']} / {r['denominator']} "
               f"({r['metric']}) is not the ratio of the medians")


def check_sim(study):
    cases = study["cases"]
    expect(sorted(cases) == sorted(SIM_CASES),
           f"sim: the cases are {sorted(cases)}, not {sorted(SIM_CASES)}")
    for name, case in cases.items():
        if not measured("sim", name, case):
            continue
        s = case["samples"]
        expect(len(s["events"]) == 1, f"sim: {name} has "
               f"{len(s['events'])} runs, --quick makes one")
        expect(case["deterministic"], f"sim: {name}'s runs differ")
        for events, real, virtual, rate, factor in zip(
                s["events"], s["real_ns"], s["virtual_ns"],
                s["events_per_s"], s["real_time_factor"]):
            expect(events > 0 and real > 0 and virtual > 0,
                   f"sim: {name} has a count or time that is not positive")
            expect(close(rate, events * 1e9 / real),
                   f"sim: {name}: events/s is not events over real time")
            expect(close(factor, virtual / real),
                   f"sim: {name}: the real-time factor is not virtual over "
                   f"real time")
        expect(close(case["summary"]["events_per_s"]["median"],
                     stats.median(s["events_per_s"])),
               f"sim: {name}: the stored median is not the samples'")
    small, big = cases["tcp.2"], cases["tcp.10"]
    if small["status"] == big["status"] == "measured":
        expect(big["samples"]["events"][0] > small["samples"]["events"][0],
               "sim: 10 nodes made no more events than 2")


def check_files(out, document):
    with open(os.path.join(out, "results.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    boot_rows = sum(1 for r in rows if r["study"] == "boot")
    boot_samples = sum(len(c.get("samples", {}).get("ns", ()))
                       for c in document["studies"]["boot"]["cases"].values())
    expect(boot_rows == boot_samples,
           f"results.csv has {boot_rows} boot rows for {boot_samples} samples")
    sim_rows = sum(1 for r in rows if r["study"] == "sim")
    sim_runs = sum(len(c.get("samples", {}).get("events", ()))
                   for c in document["studies"]["sim"]["cases"].values())
    expect(sim_rows == len(sim.CSV_METRICS) * sim_runs,
           f"results.csv has {sim_rows} sim rows for {sim_runs} runs")
    with open(os.path.join(out, "report.md")) as f:
        text = f.read()
    for heading in ("## Targets", "## Boot to exit", "## Footprint",
                    "## Latency", "## Simulator speed", "## File system",
                    "## Environment",
                    "## Method"):
        expect(heading in text, f"report.md has no '{heading}'")
    if document["environment"]["versions"]["gnuplot"]:
        for picture in PICTURES:
            path = os.path.join(out, picture)
            expect(os.path.getsize(path) > 0, f"{picture} is missing")


def check_environment(env):
    for key in ("cpu_model", "cpu_count", "kernel", "kvm_module", "date",
                "command", "versions"):
        expect(env.get(key) not in (None, ""), f"environment has no {key}")
    expect(env["kvm_module"] in ("kvm_intel", "kvm_amd", "kvm_pvm", "none"),
           f"odd KVM module {env['kvm_module']}")


def check_soak(study):
    for name, e in study["servers"].items():
        if e["status"] == "skipped":
            continue
        expect(e["status"] == "measured",
               f"soak: {name} {e['status']}: {e.get('reason')}")
        s = e["samples"]
        expect(s["t_s"] and len(s["heap_in_use"]) == len(s["t_s"]),
               f"soak: {name}: not one heap reading per interval")
        expect(all(r > 0 for r in s["requests_per_s"]),
               f"soak: {name}: an interval without requests")
        expect(e["passed"], f"soak: {name} failed: {e['errors']} errors, "
               f"heap {e['heap_after_warmup']} -> {e['heap_at_end']} bytes "
               f"({e['heap_drift']:+.1%})")


def check_samples(study, entries, metric):
    """Every measured entry of a study with a list of samples per metric
    (dns, router): positive samples and the summary's median theirs; each
    ratio the ratio of the medians."""
    for name, entry in entries.items():
        if not measured(study, name, entry):
            continue
        samples = entry[metric]
        expect(samples and all(v > 0 for v in samples),
               f"{study}: {name}: no {metric}")
        expect(close(entry["summary"][metric]["median"],
                     stats.median(samples)),
               f"{study}: {name}: the stored median is not the samples'")


def check_ratios(study, entries, ratios):
    for r in ratios:
        top = entries[r["numerator"]][r["metric"]]
        bottom = entries[r["denominator"]][r["metric"]]
        expect(close(r["ratio"], stats.median(top) / stats.median(bottom)),
               f"{study}: {r['numerator']} / {r['denominator']} "
               f"{r['metric']} is not the ratio of the samples' medians")


def check_dns(study):
    check_samples("dns", study["servers"], "queries_per_s")
    for name, server in study["servers"].items():
        if server["status"] == "measured":
            expect(len(server["latency_ns"]) == len(server["queries_per_s"]),
                   f"dns: {name}: latencies and rates differ in number")
    check_ratios("dns", study["servers"], study["ratios"])


def check_router(study):
    check_samples("router", study["routers"], "mb_per_s")
    check_samples("router", study["routers"], "rtt_ns")
    check_ratios("router", study["routers"], study["ratios"])


def check_kvmio(study):
    """Rates, exits and ratios of the kvm I/O study."""
    servers = study["servers"]
    for metric in ("wrk_requests_per_s", "tcp_to_image_mb_s",
                   "tcp_from_image_mb_s"):
        check_samples("kvmio", servers, metric)
    kvm = servers.get("kvm", {})
    if kvm.get("status") == "measured":
        for key in ("exits_per_new_connection", "exits_per_loaded_request"):
            expect(kvm.get(key, 0) > 0, f"kvmio: kvm has no {key}")
    check_ratios("kvmio", servers, study["ratios"])


def check_ondemand(study):
    for metric in ("cold_ns", "warm_ns"):
        check_samples("ondemand", study["servers"], metric)
    check_ratios("ondemand", study["servers"], study["ratios"])


def check_fs(study):
    systems = study["systems"]
    for metric in ("write_mb_per_s", "read_mb_per_s", "creates_per_s"):
        check_samples("fs", systems, metric)
    for name, e in systems.items():
        if e["status"] != "measured":
            continue
        expect(min(e["read_device_calls"]) > 0,
               f"fs: {name}: reading a file four times the cache took no "
               f"device call")
        expect(e["kind"] != "unilab" or max(e["reread_device_calls"]) == 0,
               f"fs: {name}: a re-read of a cached file made device calls")
    check_ratios("fs", systems, study["ratios"])


def check_all(out, document):
    check_environment(document["environment"])
    check_boot(document["studies"]["boot"])
    check_footprint(document["studies"]["footprint"])
    check_latency(document["studies"]["latency"])
    check_sim(document["studies"]["sim"])
    check_dns(document["studies"]["dns"])
    check_router(document["studies"]["router"])
    check_kvmio(document["studies"]["kvmio"])
    check_ondemand(document["studies"]["ondemand"])
    check_fs(document["studies"]["fs"])
    check_files(out, document)
    expect(document["checks"][0]["met"] is not None,
           "the foundation's target was not measured")


# Where each study keeps its entries, each measured, skipped or failed.
ENTRIES = {"boot": "cases", "footprint": "cases", "latency": "servers",
           "sim": "cases", "dns": "servers", "router": "routers",
           "soak": "servers", "kvmio": "servers", "ondemand": "servers",
           "fs": "systems"}


def skipped(document):
    entries = [result[ENTRIES[name]]
               for name, result in document["studies"].items()]
    return sorted({f"{name}: {entry['reason']}" for group in entries
                   for name, entry in group.items()
                   if entry["status"] == "skipped"})


def main(build, out, study=None):
    done = subprocess.run([sys.executable, "-m", "unibench", "--quick",
                           "--build", build, "--out", out]
                          + ([study] if study else []))
    if done.returncode != 0:
        print(f"FAIL: unibench --quick exited with {done.returncode}")
        return 1
    with open(os.path.join(out, "results.json")) as f:
        document = json.load(f)
    try:
        if study == "soak":
            check_soak(document["studies"]["soak"])
        else:
            check_all(out, document)
    except Invalid as problem:
        print(f"FAIL: {problem}")
        return 1
    missing = skipped(document)
    if missing:
        print("SKIP: the results are sound, but some cases could not run "
              "here:\n  " + "\n  ".join(missing))
        return 77
    print(f"ok: {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[3:] not in ([], ["soak"]):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
