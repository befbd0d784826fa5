"""The boot study: from exec to exit, hello on every Unilab backend present
against a process, containers, a Linux VM and the raw KVM floor."""
from .. import plot as plotting
from .. import schedule, stats, units
from . import notes, records

TITLE = "Boot to exit"
DOTS = 100  # runs drawn per case in the plot

# The ratios the report singles out: (numerator, denominator, what it says).
COMPARISONS = (
    ("hello.posix", "static_hello", "the posix backend against the least a "
     "Linux process can do"),
    ("hello.kvm", "kvm_floor", "the kvm backend against the least a KVM "
     "monitor can do"),
    ("crun", "hello.kvm", "a crun container against hello on kvm"),
    ("runc", "hello.kvm", "a runc container against hello on kvm"),
    ("linux-vm", "hello.kvm", "a Linux VM against hello on kvm"),
    ("hello.bm", "hello.kvm", "hello under QEMU (baremetal) against kvm"),
    ("linux-vm", "hello.bm", "a Linux VM against hello on baremetal, both "
     "under QEMU"),
    ("hello.xen", "hello.kvm", "hello under Xen in QEMU against kvm"),
)


def _timed(case):
    outcome = schedule.attempt(case)
    return outcome.ns


def run(settings, cases, trials, progress):
    costs, failures = trials()
    ok = [c for c in cases if c.name in costs]
    warmups = schedule.warmups(costs, settings)
    warm = schedule.interleave(ok, warmups, _timed, costs, progress,
                               "boot warm-up")
    failures = dict(failures, **{name: w["failure"] for name, w in
                                 warm.items() if w["failure"]})
    ok = [c for c in ok if c.name not in failures]
    counts = schedule.counts(costs, settings)
    timings = schedule.interleave(ok, counts, _timed, costs, progress, "boot")

    entries = {}
    for case in cases:
        timing = timings.get(case.name, {})
        failure = failures.get(case.name) or timing.get("failure")
        entries[case.name] = records.entry(case, failure)
        if case.name in timings:
            values = timing["values"]
            entries[case.name].update(
                samples={"ns": values, "round": timing["rounds"],
                         "seq": timing["seq"]},
                trial_ns=int(costs[case.name] * 1e9),
                warmup_runs=1 + warmups[case.name])
            if values:
                spread = stats.relative_spread(values)
                entries[case.name].update(summary=stats.summary(values),
                                          spread=spread,
                                          wide=spread > stats.WIDE_SPREAD)
    return {
        "unit": "ns",
        "baseline": settings.baseline,
        "cases": entries,
        "ratios": _ratios(entries, settings),
    }


def _ratios(entries, settings):
    """Every measured case against the baseline, then the comparisons."""
    names = records.measured(entries)
    pairs = [(n, settings.baseline, f"against {settings.baseline}")
             for n in names if n != settings.baseline]
    pairs += [p for p in COMPARISONS if p[1] != settings.baseline]
    result = []
    for top, bottom, what in pairs:
        if top in names and bottom in names:
            entry = stats.ratio(entries[top]["samples"]["ns"],
                                entries[bottom]["samples"]["ns"],
                                settings.resamples, settings.seed)
            result.append(dict(numerator=top, denominator=bottom, what=what,
                               **entry))
    return result


def find_ratio(result, numerator, denominator):
    for entry in result["ratios"]:
        if (entry["numerator"], entry["denominator"]) == (numerator,
                                                          denominator):
            return entry
    return None


def report(result):
    baseline = result["baseline"]
    lines = [f"Each run is timed from spawn to exit. Ratios are of medians, "
             f"with a 95% bootstrap interval in brackets.", "",
             f"| case | what | runs | median | p5 | p95 | / {baseline} |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name in records.measured(result["cases"]):
        e = result["cases"][name]
        s = e["summary"]
        against = find_ratio(result, name, baseline)
        cell = (units.ratio_with_interval(against) if against
                else "1×" if name == baseline else "–")
        lines.append(f"| {name} | {e['what']} | {s['n']} | "
                     f"{units.time_ns(s['median'])} | {units.time_ns(s['p5'])}"
                     f" | {units.time_ns(s['p95'])} | {cell} |")
    comparisons = [r for r in result["ratios"]
                   if not r["what"].startswith("against ")]
    if comparisons:
        lines += ["", "| ratio | what it compares | value [95% CI] |",
                  "|---|---|---:|"]
        lines += [f"| {r['numerator']} / {r['denominator']} | {r['what']} | "
                  f"{units.ratio_with_interval(r)} |" for r in comparisons]
    lines += _warnings(result)
    return lines


def _warnings(result):
    cases = result["cases"]
    lines = notes.wide_spreads([(n, cases[n]["spread"])
                                for n in records.measured(cases)
                                if cases[n]["wide"]])
    lines += notes.wide_intervals([f"{r['numerator']} / {r['denominator']}"
                                   for r in result["ratios"] if r["wide"]])
    lines += records.not_measured(cases)
    return ["", "Notes:", ""] + lines if lines else []


def csv_rows(result):
    for name, e in result["cases"].items():
        samples = e.get("samples", {})
        for value, rnd, seq in zip(samples.get("ns", ()),
                                   samples.get("round", ()),
                                   samples.get("seq", ())):
            yield ("boot", name, "boot_time", "ns", seq, rnd, value)


def plot(result, directory):
    """boot.svg/png: each case's distribution on a log scale; the box spans
    the middle half of the runs, the whiskers p5 to p95, the bar is the
    median and the dots are the runs."""
    names = records.measured(result["cases"])
    if not names:
        return []
    boxes, dots = [], []
    for x, name in enumerate(names, 1):
        ns = result["cases"][name]["samples"]["ns"]
        ms = [v / 1e6 for v in ns]
        boxes.append((x, stats.percentile(ms, 25), stats.percentile(ms, 5),
                      stats.percentile(ms, 95), stats.percentile(ms, 75),
                      stats.median(ms), name))
        # A fixed, spread-out jitter so the picture is the same every time;
        # at most DOTS of the runs, evenly spaced, keep the file small.
        step = max(1, len(ms) // DOTS)
        dots += [(x + ((i * 0.618) % 1 - 0.5) * 0.5, v)
                 for i, v in enumerate(ms[::step])]
    plotting.data_file(directory, "boot-boxes.dat", boxes)
    plotting.data_file(directory, "boot-runs.dat", dots)
    body = f"""set title 'Boot to exit (log scale)'
set ylabel 'milliseconds'
set logscale y
set format y '%g'
set grid ytics mytics
set xrange [0.4:{len(names) + 0.6}]
set xtics rotate by -30 left
set key off
set boxwidth 0.5
set bmargin 6
plot 'boot-runs.dat' using 1:2 with points pt 7 ps 0.4 lc rgb '#9ecae1', \\
     'boot-boxes.dat' using 1:2:3:4:5:xtic(7) with candlesticks \\
        lc rgb '#08519c' lw 1.5 whiskerbars 0.5 fs empty, \\
     '' using 1:6:6:6:6 with candlesticks lc rgb '#d94801' lw 2.5"""
    return plotting.draw(directory, "boot", body,
                         size=(max(700, 90 * len(names)), 500))
