"""Trying the ways to run a baseline in order, best first, and keeping the
first that works. A host's packages change under us (a new kernel that
will not boot one way, a runtime that refuses the host's cgroups), so a
baseline is never assumed to run: each way gets a trial run, and the
result records which way was used and why the ones before it failed."""
import dataclasses


@dataclasses.dataclass
class Way:
    label: str    # for the report: "microvm, PVH entry of vmlinux (TCG)"
    value: object  # what the caller builds the case from


def first_working(ways, trial):
    """The first Way of ways for which trial(way.value) returns None (it
    works; otherwise it returns why not), and the reasons of those tried
    before it ("label: why"). Returns (way or None, [reasons])."""
    reasons = []
    for way in ways:
        why = trial(way.value)
        if why is None:
            return way, reasons
        reasons.append(f"{way.label}: {why}")
    return None, reasons


def outcome_problem(outcome, marker):
    """Why a trial run's Outcome (captured) shows the way does not work,
    or None: it must exit 0 in time having printed marker."""
    if outcome.timed_out:
        problem = "it did not finish in time"
    elif outcome.status != 0:
        problem = f"exit status {outcome.status}"
    elif marker not in outcome.output:
        problem = f"exit status 0 without '{marker}'"
    else:
        return None
    lines = [line for line in outcome.output.splitlines() if line.strip()]
    return problem + (f" (last output: {lines[-1].strip()[:200]})"
                      if lines else " (no output)")
