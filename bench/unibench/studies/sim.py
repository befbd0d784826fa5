"""The sim study: how fast unilab-sim runs networks of 2, 10 and 100 nodes,
in events per second of real time and in virtual seconds per real second
(the real-time factor), for a busy workload (TCP transfers) and a sparse one
(pings once a second)."""
import math
import os
import re
import tempfile

from .. import plot as plotting
from .. import schedule, stats, units
from ..case import UNILAB, Case, Skipped
from . import notes, records

TITLE = "Simulator speed"
NODES = (2, 10, 100)
QUICK_NODES = (2, 10)
MIN_RUNS = 3    # a run is a rate over thousands of events: a few suffice
MAX_RUNS = 10   # so the 100-node runs (seconds each) stay affordable
TIMEOUT = 300.0

# What unilab-sim says on stderr at the end of a run, and in its summary.
SPEED = re.compile(r"unilab-sim: (\d+) events and (\d+) node runs in")
ENDED = re.compile(r"ended at (\d+)\.(\d{9}) s of virtual time")


def _tcp_pair(i, server, client, quick):
    size = 64 * 1024 if quick else 1 << 20
    return [f"node s{i} tcpxfer ip={server}/24 recv 5001",
            f"node c{i} tcpxfer ip={client}/24 send {server} 5001 {size}"]


def _ping_pair(i, server, client, quick):
    pings = "-c 3 -i 200" if quick else "-c 60"
    return [f"node s{i} daemon=yes echo ip={server}/24",
            f"node c{i} ping ip={client}/24 {pings} {server}"]


# (workload, what it is, the images it needs, one pair's node lines)
WORKLOADS = (
    ("tcp", "TCP transfers of 1 MiB (64 KiB with --quick), one per pair",
     ("tests/images/tcpxfer/tcpxfer.posix",), _tcp_pair),
    ("ping", "a ping a second for 60 s (3, 0.2 s apart, with --quick), "
     "one pinger per pair against the stack's echo app",
     ("apps/echo/echo.posix", "apps/ping/ping.posix"), _ping_pair),
)


def scenario(pair, nodes, quick):
    """nodes/2 pairs on one learning switch, every link 1 ms and 100 Mbit/s
    (the workloads of docs/sim.md's performance table)."""
    lines = ["seed 1", "switch sw", "defaults latency=1ms bandwidth=100Mbit"]
    for i in range(1, nodes // 2 + 1):
        lines += pair(i, f"10.0.0.{i}", f"10.0.0.{100 + i}", quick)
        lines += [f"link s{i} sw", f"link c{i} sw"]
    return "\n".join(lines) + "\n"


def _cases(settings):
    """A Case (or Skipped) per workload and node count; the scenarios are
    kept in the result directory, so any run can be repeated by hand."""
    sim = settings.path("sim", "unilab-sim")
    folder = os.path.join(settings.out, "sim-scenarios")
    os.makedirs(folder, exist_ok=True)
    work = tempfile.mkdtemp(prefix="unibench-sim.")
    cases = []
    for workload, what, images, pair in WORKLOADS:
        missing = [i for i in images if not os.path.exists(settings.path(i))]
        for nodes in QUICK_NODES if settings.quick else NODES:
            name = f"{workload}.{nodes}"
            if not os.access(sim, os.X_OK):
                cases.append(Skipped(name, UNILAB, f"{sim} is not built"))
                continue
            if missing:
                cases.append(Skipped(name, UNILAB, "not built: "
                                     + ", ".join(missing)))
                continue
            path = os.path.join(folder, name + ".sim")
            with open(path, "w") as f:
                f.write(scenario(pair, nodes, settings.quick))
            # --out is reused run after run: the simulator clears its own
            # earlier outputs there.
            cases.append(Case(
                name=name, kind=UNILAB, what=f"{nodes} nodes: {what}",
                argv=[sim, path, "--quiet", "--build", settings.build,
                      "--out", os.path.join(work, name)],
                expect="result: ok", files=[path], timeout=TIMEOUT,
                notes={"workload": workload, "nodes": nodes}))
    return cases, work


def _measure(case):
    """One run: the simulator's own count of events and node runs, the
    virtual time it ended at, and the real time from spawn to exit."""
    outcome = schedule.attempt(case, capture=True)
    speed = SPEED.search(outcome.output)
    ended = ENDED.search(outcome.output)
    if not speed or not ended:
        raise schedule.Failure("no event count or end time in its output:\n"
                               + outcome.output[-2000:])
    return {"events": int(speed.group(1)), "node_runs": int(speed.group(2)),
            "virtual_ns": int(ended.group(1)) * 10**9 + int(ended.group(2)),
            "real_ns": outcome.ns}


def counts(costs, settings):
    """Timed runs per case: one with --quick; else as many as fit in the
    budget, between MIN_RUNS and MAX_RUNS, and never more than --runs."""
    if settings.quick:
        return {name: 1 for name in costs}
    return {name: min(settings.runs, MAX_RUNS,
                      max(MIN_RUNS, math.floor(settings.budget / cost)))
            for name, cost in costs.items()}


def run(settings, cases, trials, progress):
    sims, work = _cases(settings)
    runnable = [c for c in sims if isinstance(c, Case)]
    try:
        costs, failures = schedule.trial(runnable, progress)
        timings = schedule.interleave(
            [c for c in runnable if c.name in costs],
            counts(costs, settings), _measure, costs, progress, "sim")
    finally:
        # The outputs of 50 TCP transfers are a hundred megabytes of pcap.
        for case in runnable:
            _remove_outputs(case.argv[-1])
        os.rmdir(work)
    entries = {}
    for case in sims:
        timing = timings.get(case.name, {})
        failure = failures.get(case.name) or timing.get("failure")
        entries[case.name] = records.entry(case, failure)
        workload, nodes = case.name.split(".")
        entries[case.name].update(workload=workload, nodes=int(nodes))
        if timing.get("values"):
            entries[case.name].update(_figures(timing))
    return {"workloads": {w: what for w, what, _, _ in WORKLOADS},
            "cases": entries}


def _remove_outputs(out):
    if os.path.isdir(out):
        for name in os.listdir(out):
            os.remove(os.path.join(out, name))
        os.rmdir(out)


def _figures(timing):
    """The samples of one case's runs, with each run's rates, and their
    summaries."""
    runs = timing["values"]
    samples = {key: [r[key] for r in runs]
               for key in ("events", "node_runs", "virtual_ns", "real_ns")}
    samples["events_per_s"] = [r["events"] * 1e9 / r["real_ns"] for r in runs]
    samples["real_time_factor"] = [r["virtual_ns"] / r["real_ns"]
                                   for r in runs]
    samples.update(round=timing["rounds"], seq=timing["seq"])
    spread = stats.relative_spread(samples["real_ns"])
    return {"samples": samples,
            "summary": {key: stats.summary(samples[key]) for key in
                        ("real_ns", "events_per_s", "real_time_factor")},
            "spread": spread, "wide": spread > stats.WIDE_SPREAD,
            # A run depends only on its scenario and seed.
            "deterministic": (len(set(samples["events"])) == 1
                              and len(set(samples["virtual_ns"])) == 1)}


def report(result):
    lines = ["Each workload is nodes/2 pairs on one switch, every link 1 ms "
             "and 100 Mbit/s (the scenarios are in `sim-scenarios/`). "
             "Events and node runs are the simulator's own counts (an event "
             "is a frame arriving, a node's deadline or a scenario action); "
             "real time is from spawn to exit; the real-time factor is "
             "virtual seconds per real second. Medians of the runs.", "",
             "| workload | nodes | runs | events | node runs | virtual time "
             "| real time | events/s | real-time factor |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    cases = result["cases"]
    for name in records.measured(cases):
        e = cases[name]
        s, summary = e["samples"], e["summary"]
        lines.append(
            f"| {e['workload']} | {e['nodes']} | {len(s['events'])} | "
            f"{s['events'][0]} | {s['node_runs'][0]} | "
            f"{units.time_ns(s['virtual_ns'][0])} | "
            f"{units.time_ns(summary['real_ns']['median'])} | "
            f"{summary['events_per_s']['median']:.0f} | "
            f"{_factor(summary['real_time_factor']['median'])} |")
    lines += ["", "Workloads:", ""]
    lines += [f"- **{w}**: {what}" for w, what in result["workloads"].items()]
    return lines + _warnings(cases)


def _factor(value):
    """A real-time factor to two significant figures at least: 100 nodes
    of TCP run at a few hundredths of real time."""
    return units.ratio(value) if value >= 0.1 else f"{value:.2g}×"


def _warnings(cases):
    measured = records.measured(cases)
    lines = notes.wide_spreads([(n, cases[n]["spread"]) for n in measured
                                if cases[n]["wide"]])
    varied = [n for n in measured if not cases[n]["deterministic"]]
    if varied:
        lines.append("- The event count or the virtual end time differed "
                     "between runs of the same scenario, which the simulator "
                     "promises never happens: " + ", ".join(varied) + ".")
    lines += records.not_measured(cases)
    return ["", "Notes:", ""] + lines if lines else []


# (sample, metric, unit) for results.csv
CSV_METRICS = (
    ("events", "events", "count"),
    ("node_runs", "node_runs", "count"),
    ("virtual_ns", "virtual_time", "ns"),
    ("real_ns", "real_time", "ns"),
    ("events_per_s", "events_per_s", "1/s"),
    ("real_time_factor", "real_time_factor", "ratio"),
)


def csv_rows(result):
    for name, e in result["cases"].items():
        samples = e.get("samples")
        if not samples:
            continue
        for i, (rnd, seq) in enumerate(zip(samples["round"], samples["seq"])):
            for key, metric, unit in CSV_METRICS:
                yield ("sim", name, metric, unit, seq, rnd, samples[key][i])


def plot(result, directory):
    """sim.svg/png: events/s and the real-time factor against the node
    count, one line per workload; the bars span p5 to p95 of the runs."""
    cases = result["cases"]
    drawn = []
    for workload in result["workloads"]:
        rows = []
        for name in records.measured(cases):
            e = cases[name]
            if e["workload"] == workload:
                eps, rtf = (e["summary"]["events_per_s"],
                            e["summary"]["real_time_factor"])
                rows.append((e["nodes"], eps["median"], eps["p5"], eps["p95"],
                             rtf["median"], rtf["p5"], rtf["p95"]))
        if rows:
            plotting.data_file(directory, f"sim-{workload}.dat",
                               sorted(rows))
            drawn.append(workload)
    if not drawn:
        return []

    def lines(first):
        return ", \\\n     ".join(
            f"'sim-{w}.dat' using 1:{first}:{first + 1}:{first + 2} "
            f"with yerrorlines pt 7 title '{w}'" for w in drawn)
    body = f"""set multiplot layout 1,2 title 'Simulator speed against node count'
set logscale x
set xrange [1.5:150]
set xtics (2, 10, 100)
set xlabel 'nodes'
set grid
set key top right
set title 'events per second of real time'
set yrange [0:*]
plot {lines(2)}
set title 'real-time factor (virtual s per real s, log scale)'
set logscale y
set format y '%g'
set yrange [*:*]
plot {lines(5)}
unset multiplot"""
    return plotting.draw(directory, "sim", body, size=(1000, 450))
