#!/usr/bin/env python3
"""Lab 8's grader: checks what sweep.py wrote to BUILD/lab-experiment.

    check.py BUILD sweep     run the sweep afresh; its data covers the grid
    check.py BUILD matches   three points, re-run here, give the same rates
    check.py BUILD trends    throughput falls with loss and with latency
    check.py BUILD model     the model column is the Mathis bound
    check.py BUILD report    the plot has a curve per latency; the report
                             explains the result
"""
import math
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import sweep  # noqa: E402  (the grid and the scenarios, not the answers)

SPOT_CHECKS = ((5, 0), (20, 1), (50, 2))


def fail(why):
    sys.exit(f"FAIL: {why}")


def data(out):
    path = out / "throughput.dat"
    if not path.is_file():
        fail(f"no {path}: the sweep did not write it (see the 'sweep' test)")
    rows = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            lat, loss, rate, model = (float(x) for x in line.split())
        except ValueError:
            fail(f"{path}:{n}: not four numbers: {line!r}")
        rows[(lat, loss)] = (rate, model)
    want = {(float(l), float(p)) for l in sweep.LATENCIES_MS for p in sweep.LOSSES_PERCENT}
    if set(rows) != want:
        fail(f"{path}: the points are not the grid; missing {sorted(want - set(rows))}, "
             f"extra {sorted(set(rows) - want)}")
    return rows


def check_sweep(build, out):
    shutil.rmtree(out, ignore_errors=True)
    run = subprocess.run([sys.executable, str(Path(__file__).parent / "sweep.py"),
                          str(build), str(out)], capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"sweep.py exited {run.returncode}:\n{run.stdout}{run.stderr}")
    data(out)


def rate_here(build, latency, loss):
    """The median rate of a point, measured here the way the lab asks."""
    rates = []
    with tempfile.TemporaryDirectory() as work:
        for seed in sweep.SEEDS:
            path = Path(work, f"{seed}.sim")
            path.write_text(sweep.scenario(latency, loss, seed))
            subprocess.run([str(build / "sim" / "unilab-sim"), str(path), "--quiet",
                            "--out", str(Path(work, str(seed)))], check=True,
                           capture_output=True)
            found = sweep.RECEIVED.search(Path(work, str(seed), "srv.log").read_text())
            rates.append(int(found.group(3)))
    return statistics.median(rates)


def check_matches(build, out):
    rows = data(out)
    for latency, loss in SPOT_CHECKS:
        theirs = rows[(latency, loss)][0]
        ours = rate_here(build, latency, loss)
        if abs(theirs - ours) > 0.005 * ours + 1:
            fail(f"{latency} ms, {loss}% loss: the data says {theirs:.0f} kbit/s, "
                 f"the simulator gives {ours:.0f} (the same scenario and seeds)")


def check_trends(build, out):
    rows = data(out)
    lo, hi = min(sweep.LOSSES_PERCENT), max(sweep.LOSSES_PERCENT)
    near, far = min(sweep.LATENCIES_MS), max(sweep.LATENCIES_MS)
    for lat in sweep.LATENCIES_MS:
        if not rows[(lat, hi)][0] * 2 < rows[(lat, lo)][0]:
            fail(f"{lat} ms: {hi}% loss should at least halve the rate of {lo}%")
    for loss in sweep.LOSSES_PERCENT:
        if loss and not rows[(far, loss)][0] < rows[(near, loss)][0]:
            fail(f"{loss}% loss: {far} ms should be slower than {near} ms")


def check_model(build, out):
    for (lat, loss), (_, model) in data(out).items():
        want = 0 if loss == 0 else (sweep.MSS * 8 / (2 * lat / 1000) * math.sqrt(1.5)
                                    / math.sqrt(loss / 100) / 1000)
        if abs(model - want) > 0.01 * want + 1:
            fail(f"{lat} ms, {loss}%: model {model:.0f} kbit/s, the Mathis bound is {want:.0f}")


def check_report(build, out):
    svg = out / "throughput.svg"
    if not svg.is_file() or "<svg" not in svg.read_text():
        fail(f"no plot at {svg}")
    curves = len(re.findall(r"<path[^>]*stroke=", svg.read_text()))
    if curves < len(sweep.LATENCIES_MS):
        fail(f"{svg}: {curves} curves, want one per latency")
    report = out / "report.md"
    text = report.read_text() if report.is_file() else ""
    part = text.split("## Explanation", 1)
    if len(part) < 2 or len(part[1].split()) < 80:
        fail(f"{report}: needs an '## Explanation' section of 80 words or more")


CHECKS = {"sweep": check_sweep, "matches": check_matches, "trends": check_trends,
          "model": check_model, "report": check_report}


def main(argv):
    if len(argv) != 3 or argv[2] not in CHECKS:
        sys.exit(__doc__)
    build = Path(argv[1]).resolve()
    CHECKS[argv[2]](build, build / "lab-experiment")
    print(f"ok: {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
