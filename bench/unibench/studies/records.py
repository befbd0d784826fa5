"""The per-case part of a study's result that every study shares: what the
case is and whether it was measured, skipped or failed. A baseline that
cannot run is reported as skipped (unavailable here, with why), not
failed: it is built from the host's packages, not from Unilab, and a
failing Unilab case is what a failure must point at."""
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
