#!/usr/bin/env python3
"""Lab 8, the experiment: TCP throughput against loss and latency, in the
simulator. For every latency and loss of the grid it runs one transfer per
seed between two tcpxfer nodes across one link, and writes to OUT:

    throughput.dat   one line per point: latency_ms loss_percent
                     throughput_kbit (the median over the seeds, as the
                     receiver measured it in virtual time) model_kbit (the
                     Mathis et al. bound, 0 where loss is 0)
    throughput.svg   the plot (gnuplot), one curve per latency
    report.md        the table, the plot and what it shows

    sweep.py BUILD OUT
"""
import math
import re
import statistics
import subprocess
import sys
from pathlib import Path

LATENCIES_MS = (5, 20, 50)            # one way
LOSSES_PERCENT = (0, 0.5, 1, 2, 5)    # each direction
SEEDS = (1, 2, 3)
BYTES = 1 << 20
BANDWIDTH = "10Mbit"
MSS = 1460                            # bytes: Ethernet's MTU less 40
RECEIVED = re.compile(r"tcpxfer: received (\d+) bytes in (\d+) ms \((\d+) kbit/s\)")


def scenario(latency_ms, loss_percent, seed):
    return (f"seed {seed}\n"
            "node srv tcpxfer ip=10.0.0.1/24 recv 5001\n"
            f"node cli tcpxfer ip=10.0.0.2/24 send 10.0.0.1 5001 {BYTES}\n"
            f"link cli srv latency={latency_ms}ms bandwidth={BANDWIDTH} queue=100 "
            f"loss={loss_percent}%\n")


def measure(build, work, latency_ms, loss_percent):
    """The median throughput in kbit/s over SEEDS of a BYTES transfer."""
    # LAB experiment.measure BEGIN: for each seed, write the scenario to a
    # file in work, run BUILD/sim/unilab-sim on it (--quiet --out DIR),
    # and read the receiver's "received N bytes in T ms (K kbit/s)" line
    # from DIR/srv.log; return the median K over the seeds.
    rates = []
    for seed in SEEDS:
        name = f"l{latency_ms}-p{loss_percent}-s{seed}"
        path = Path(work, name + ".sim")
        path.write_text(scenario(latency_ms, loss_percent, seed))
        run = subprocess.run([str(Path(build, "sim", "unilab-sim")), str(path), "--quiet",
                              "--out", str(Path(work, name))], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"sweep: {name}: unilab-sim failed:\n{run.stdout}{run.stderr}")
        found = RECEIVED.search(Path(work, name, "srv.log").read_text())
        if not found or int(found.group(1)) != BYTES:
            sys.exit(f"sweep: {name}: the transfer did not complete")
        rates.append(int(found.group(3)))
    return statistics.median(rates)
    # LAB experiment.measure END: raise NotImplementedError("lab experiment: measure() is yours to write")


def model(latency_ms, loss_percent):
    """Mathis, Semke, Mahdavi and Ott (1997): a TCP's rate is at most
    MSS / RTT * sqrt(3/2) / sqrt(p), in kbit/s; 0 (no bound) without loss."""
    # LAB experiment.model BEGIN: the bound, with RTT twice the one-way
    # latency (the link adds no other delay worth counting) and p the
    # loss as a fraction.
    if loss_percent == 0:
        return 0
    rtt = 2 * latency_ms / 1000
    return MSS * 8 / rtt * math.sqrt(1.5) / math.sqrt(loss_percent / 100) / 1000
    # LAB experiment.model END: return 0  # the bound is yours to write (lab experiment)


def plot(out):
    script = (f'set terminal svg size 720,440; set output "{out}/throughput.svg"\n'
              'set xlabel "loss (%)"; set ylabel "throughput (kbit/s)"; set logscale y\n'
              'set key top right; set grid\n'
              'plot ' + ", ".join(
                  f'"{out}/throughput.dat" using 2:($1=={lat} ? $3 : 1/0) '
                  f'with linespoints title "{lat} ms one way"' for lat in LATENCIES_MS) + "\n")
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def report(out, rows):
    table = "\n".join(f"| {l} | {p} | {t:.0f} | {m:.0f} |" for l, p, t, m in rows)
    Path(out, "report.md").write_text(f"""# TCP throughput against loss and latency

A {BYTES // 1024} KiB transfer between two tcpxfer images across one
{BANDWIDTH}/s link of the simulator, for each one-way latency and loss
rate; the median of {len(SEEDS)} seeds, as the receiver measured it in
virtual time.

| latency (ms) | loss (%) | throughput (kbit/s) | Mathis bound (kbit/s) |
|---|---|---|---|
{table}

![throughput](throughput.svg)

## Explanation

Without loss the transfer is limited by the link's bandwidth and by slow
start: the longer the round trip, the longer the window takes to open, so
even at 0% loss a 50 ms link moves the file more slowly than a 5 ms one.
With loss, every lost segment halves the congestion window (fast
retransmit) or, when too few duplicate ACKs come back, waits for the
retransmission timer; the window then grows by one segment per round trip.
The average window is therefore proportional to 1/sqrt(p), and the rate to
MSS / (RTT sqrt(p)): throughput falls with the square root of the loss rate
and linearly with the round-trip time, which is the shape the curves show.
The Mathis bound follows the same trend. It describes a long transfer in
its steady state: at high loss the measured rates stay below it, because
retransmission timeouts (which the model leaves out) dominate there; at low
loss a 1 MiB transfer sees only a few losses, can finish before reaching
that state and so may beat the bound, until the link's bandwidth caps it.
""")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    build, out = Path(argv[1]), Path(argv[2])
    work = out / "runs"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for latency in LATENCIES_MS:
        for loss in LOSSES_PERCENT:
            rows.append((latency, loss, measure(build, work, latency, loss), model(latency, loss)))
    with open(out / "throughput.dat", "w") as f:
        f.write("# latency_ms loss_percent throughput_kbit model_kbit\n")
        for row in rows:
            f.write("%g %g %.0f %.0f\n" % row)
    plot(out)
    report(out, rows)
    print(f"wrote {out}/throughput.dat, throughput.svg and report.md")


if __name__ == "__main__":
    main(sys.argv)
