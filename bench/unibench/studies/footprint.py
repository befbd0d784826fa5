"""The footprint study: how big each image is on disk and once loaded, the
peak RSS of the host process that runs it, and the smallest memory it boots
in, found by bisection."""
import math
import os
import tempfile

from .. import elf, schedule, stats, units
from .. import plot as plotting
from . import records

TITLE = "Footprint"
RSS_RUNS = 10        # peak RSS runs per case, at most
QUICK_RSS_RUNS = 3


def sizes(case):
    """Bytes on disk, and bytes loaded: PT_LOAD sizes (.bss included) for
    ELF files, the whole file for anything else (initramfs, config)."""
    on_disk = sum(os.path.getsize(f) for f in case.files)
    loaded = sum(elf.loaded_size(f) or os.path.getsize(f) for f in case.files)
    return on_disk, loaded


def _peak_rss(time_tool):
    """A sampler: the run's peak RSS in KiB, as GNU time reports it. GNU
    time forks (copying only its own small state) before the exec, so the
    figure is the program's; a sample taken from the harness, which spawns
    with vfork, would count the harness's RSS as the child's."""
    def sample(case):
        with tempfile.NamedTemporaryFile("r") as out:
            # Captured, so that a failure says what went wrong.
            schedule.attempt(case, argv=[time_tool, "-f", "%M", "-o",
                                         out.name] + case.argv, capture=True)
            return int(out.read().split()[-1])
    return sample


def _boots(case, kib, timeout):
    try:
        # Not run again on failure: too little memory fails every time.
        schedule.attempt(case, argv=case.memory.argv(kib), capture=True,
                         timeout=timeout, again=False)
        return True
    except schedule.Failure:
        return False


def smallest_memory(case, cost):
    """The least memory (KiB, a multiple of the step) case boots in, and
    every (KiB, booted) probe. Assumes more memory never hurts; the first
    probes check the ends of the range. cost is a normal boot's seconds:
    short of memory, a guest may hang rather than fail, and a probe that
    takes many times longer than a boot counts as failed."""
    memory = case.memory
    timeout = min(case.timeout, 10 * cost + 10)
    probes = []

    def probe(kib):
        probes.append((kib, _boots(case, kib, timeout)))
        return probes[-1][1]

    if not probe(memory.high):
        return None, probes
    if probe(memory.low):
        return memory.low, probes
    low, high = memory.low, memory.high
    while high - low > memory.step:
        middle = (low + high) // 2 // memory.step * memory.step
        if middle <= low:
            middle = low + memory.step
        if probe(middle):
            high = middle
        else:
            low = middle
    return high, probes


def search_steps(memory):
    return 2 + math.ceil(math.log2(max(2, (memory.high - memory.low)
                                       / memory.step)))


def run(settings, cases, trials, progress):
    costs, failures = trials()
    ok = [c for c in cases if c.name in costs]
    entries = {c.name: records.entry(c, failures.get(c.name)) for c in cases}
    for case in ok:
        on_disk, loaded = sizes(case)
        entries[case.name].update(file_bytes=on_disk, loaded_bytes=loaded)
    rss_note = _measure_rss(ok, costs, settings, progress, entries)
    _measure_memory(ok, costs, settings, progress, entries)
    return {"cases": entries, "rss_note": rss_note}


def _measure_rss(ok, costs, settings, progress, entries):
    """Peak RSS of each case, into entries; returns why not, if not."""
    time_tool = "/usr/bin/time"
    if not os.access(time_tool, os.X_OK):
        return "GNU time (/usr/bin/time, package time) is missing"
    # Peak RSS hardly varies from run to run, so unlike times it is not
    # held to --min-runs: a slow case gets what fits the budget.
    cap = QUICK_RSS_RUNS if settings.quick else RSS_RUNS
    runs = {n: min(cap, max(1, math.floor(settings.budget / cost)))
            for n, cost in costs.items()}
    rss = schedule.interleave(ok, runs, _peak_rss(time_tool), costs,
                              progress, "footprint peak RSS")
    for name, result in rss.items():
        entry = {"samples": result["values"], "round": result["rounds"],
                 "seq": result["seq"]}
        if result["values"]:
            entry["summary"] = stats.summary(result["values"])
        if result["failure"]:
            entry["failure"] = result["failure"]
        entries[name]["rss_kib"] = entry
    return None


def _measure_memory(ok, costs, settings, progress, entries):
    """The smallest memory of each case that has a memory option and whose
    search fits the budget, into entries."""
    searched = []
    for case in (c for c in ok if c.memory):
        expected = costs[case.name] * search_steps(case.memory)
        if expected > settings.budget:
            entries[case.name]["min_memory"] = {
                "kib": None, "probes": [],
                "note": f"not searched: about {expected:.0f} s of boots, "
                        f"over the {settings.budget:g} s budget (--budget)"}
        else:
            searched.append((case, expected))
    progress.start("footprint smallest memory", len(searched),
                   sum(expected for _, expected in searched))
    for case, expected in searched:
        entries[case.name]["min_memory"] = _search(case, costs[case.name])
        progress.step(case.name, expected)
    progress.finish()


def _search(case, cost):
    kib, probes = smallest_memory(case, cost)
    note = None
    if kib is None:
        note = f"does not boot with {case.memory.high} KiB"
    elif kib == case.memory.low:
        note = (f"boots at the bottom of the range searched, {kib} KiB; "
                f"it may need less")
    return {"kib": kib, "probes": probes, "step_kib": case.memory.step,
            "note": note}


def _rss(entry):
    summary = entry.get("rss_kib", {}).get("summary")
    return summary["median"] if summary else None


def _min_memory(entry):
    return entry.get("min_memory", {}).get("kib")


def report(result):
    lines = ["Loaded size is what the ELF loader maps (with .bss); peak RSS "
             "is the host process's, the median of its runs; the smallest "
             "memory is found by bisection over the case's memory option.",
             "", "| case | file size | loaded size | peak RSS | smallest "
             "memory |", "|---|---:|---:|---:|---:|"]
    for name in records.measured(result["cases"]):
        e = result["cases"][name]
        rss = _rss(e)
        search = e.get("min_memory")
        memory = ("–" if search is None else
                  units.size_bytes(search["kib"] * 1024) if search["kib"]
                  else "not found" if search["probes"] else "not searched")
        lines.append(f"| {name} | {units.size_bytes(e['file_bytes'])} | "
                     f"{units.size_bytes(e['loaded_bytes'])} | "
                     f"{units.size_bytes(rss * 1024) if rss else '–'} | "
                     f"{memory} |")
    notes = [f"- {name}: {e['min_memory']['note']}"
             for name, e in result["cases"].items()
             if e.get("min_memory", {}).get("note")]
    notes += [f"- {name}: peak RSS: {e['rss_kib']['failure'].splitlines()[0]}"
              for name, e in result["cases"].items()
              if e.get("rss_kib", {}).get("failure")]
    if result["rss_note"]:
        notes.append(f"- peak RSS not measured: {result['rss_note']}")
    notes += records.not_measured(result["cases"])
    return lines + (["", "Notes:", ""] + notes if notes else [])


def csv_rows(result):
    for name, e in result["cases"].items():
        if e["status"] != "measured":
            continue
        yield ("footprint", name, "file_size", "bytes", "", "",
               e["file_bytes"])
        yield ("footprint", name, "loaded_size", "bytes", "", "",
               e["loaded_bytes"])
        rss = e.get("rss_kib", {})
        for value, rnd, seq in zip(rss.get("samples", ()),
                                   rss.get("round", ()), rss.get("seq", ())):
            yield ("footprint", name, "peak_rss", "KiB", seq, rnd, value)
        if _min_memory(e):
            yield ("footprint", name, "smallest_memory", "KiB", "", "",
                   _min_memory(e))


def plot(result, directory):
    """footprint.svg/png: one group of bars per case, log scale."""
    names = records.measured(result["cases"])
    if not names:
        return []
    rows = []
    for name in names:
        e = result["cases"][name]
        rss, memory = _rss(e), _min_memory(e)
        rows.append((name, e["file_bytes"] / 1024, e["loaded_bytes"] / 1024,
                     rss if rss else float("nan"),
                     memory if memory else float("nan")))
    plotting.data_file(directory, "footprint.dat", rows)
    body = """set title 'Footprint (log scale)'
set ylabel 'KiB'
set logscale y
set format y '%g'
set yrange [1:*]
set grid ytics
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -30 left
set bmargin 6
set key top left
plot 'footprint.dat' using 2:xtic(1) title 'file size' lc rgb '#6baed6', \\
     '' using 3 title 'loaded size' lc rgb '#2171b5', \\
     '' using 4 title 'peak RSS' lc rgb '#fd8d3c', \\
     '' using 5 title 'smallest memory' lc rgb '#74c476'"""
    return plotting.draw(directory, "footprint", body,
                         size=(max(700, 110 * len(names)), 500))
