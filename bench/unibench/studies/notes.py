"""The report's warnings about figures not to trust, one line per kind
rather than one per case, so a busy machine's report stays readable."""
from .. import stats
from . import records


def wide_spreads(spreads):
    """spreads: [(label, (p95 - p5) / median)] of the cases flagged."""
    if not spreads:
        return []
    listed = ", ".join(f"{label} ({spread:.1f}×)" for label, spread in spreads)
    return [f"- Runs spread widely (p95 − p5 above {stats.WIDE_SPREAD:g}× "
            f"the median), so the machine was busy; quote these medians with "
            f"care: {listed}."]


def wide_intervals(labels):
    """labels: the ratios whose 95% interval is wide."""
    if not labels:
        return []
    return [f"- These ratios' 95% intervals are wider than "
            f"{stats.WIDE_INTERVAL:.0%} of the ratio; repeat the study "
            f"before quoting them: {', '.join(labels)}."]


def section(ratios, entries):
    """The Notes lines under a study's table, with a heading, or none:
    ratios (each of one metric) with wide intervals, and the entries not
    measured."""
    lines = wide_intervals([f"{r['numerator']}/{r['denominator']} "
                            f"{r['metric']}" for r in ratios if r["wide"]])
    lines += records.not_measured(entries)
    return ["", "Notes:", ""] + lines if lines else []
