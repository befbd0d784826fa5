"""The per-case part of a study's result that every study shares: what the
case is and whether it was measured, skipped or failed. A baseline that
cannot run is reported as skipped (unavailable here, with why), not
failed: it is built from the host's packages, not from Unilab, and a
failing Unilab case is what a failure must point at."""
from .. import stats
from ..case import BASELINE, Case


def failure_status(kind, reason):
    """The status and reason of a case of kind that did not run."""
    if kind == BASELINE:
        return {"status": "skipped", "reason": f"unavailable here: {reason}"}
    return {"status": "failed", "reason": reason}


def entry(case, failure=None):
    """The result entry of a Case or Skipped, before any measurement."""
    if not isinstance(case, Case):
        return {"kind": case.kind, "status": "skipped", "reason": case.reason}
    record = case.record()
    record["status"] = "measured"
    if failure:
        record.update(failure_status(case.kind, failure))
    return record


def measured(entries):
    """Names of the entries that hold measurements, in report order."""
    return [name for name, e in entries.items() if e["status"] == "measured"]


def not_measured(entries):
    """Report lines for the cases skipped or failed, with why."""
    lines = []
    for name, e in entries.items():
        if e["status"] != "measured":
            reason = e["reason"].splitlines()[0] if e["reason"] else ""
            lines.append(f"- **{name}** {e['status']}: {reason}")
    return lines


def ratios(entries, denominator, metrics, settings):
    """Each measured entry's median of every metric against the
    denominator entry's, with 95% bootstrap intervals ([] when the
    denominator has no samples)."""
    bottom = entries.get(denominator, {})
    if bottom.get("status") != "measured":
        return []
    found = []
    for name, top in entries.items():
        if name == denominator or top.get("status") != "measured":
            continue
        for metric in metrics:
            if top.get(metric) and bottom.get(metric):
                found.append(dict(metric=metric, numerator=name,
                                  denominator=denominator,
                                  **stats.ratio(top[metric], bottom[metric],
                                                settings.resamples,
                                                settings.seed)))
    return found


def take_turns(running, repetitions):
    """(round, item) for every item of running in every round, the order
    rotating from round to round (A B C, B C A, ...)."""
    for rep in range(repetitions):
        for i in range(len(running)):
            yield rep, running[(i + rep) % len(running)]


def summarize(entries, metrics):
    """A summary of each metric's samples for every measured entry that
    has samples of them all."""
    for e in entries.values():
        if e["status"] == "measured" and all(e.get(m) for m in metrics):
            e["summary"] = {m: stats.summary(e[m]) for m in metrics}
