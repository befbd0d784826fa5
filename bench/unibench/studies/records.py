"""The per-case part of a study's result that every study shares: what the
case is and whether it was measured, skipped or failed."""
from ..case import Case


def entry(case, failure=None):
    """The result entry of a Case or Skipped, before any measurement."""
    if not isinstance(case, Case):
        return {"kind": case.kind, "status": "skipped", "reason": case.reason}
    record = case.record()
    record["status"] = "failed" if failure else "measured"
    if failure:
        record["reason"] = failure
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
