"""Trying the ways to run a baseline in order, best first, and keeping the
first that works. A host's packages change under us (a new kernel that
will not boot one way, a runtime that refuses the host's cgroups), so a
baseline is never assumed to run: each way gets trial runs, and the
result records which way was used and why the ones before it failed. A
way that works only now and then (a kernel whose PVH entry faults one
boot in four) must pass several trial runs in a row to be kept: one good
run says little, and a study boots it many times."""
import dataclasses


@dataclasses.dataclass
class Way:
    label: str    # for the report: "microvm, PVH entry of vmlinux (TCG)"
    value: object  # what the caller builds the case from


def first_working(ways, trial, runs=1):
    """The first Way of ways for which runs calls of trial(way.value) in a
    row return None (it works; otherwise trial returns why not), and the
    reasons of those tried before it ("label: why", saying which trial run
    failed when there are several); a way is given up at its first failed
    run. Returns (way or None, [reasons])."""
    reasons = []
    for way in ways:
        why = _failed_run(way, trial, runs)
        if why is None:
            return way, reasons
        reasons.append(f"{way.label}: {why}")
    return None, reasons


def _failed_run(way, trial, runs):
    """Why the first of runs trial runs of way that failed did, or None."""
    for number in range(1, runs + 1):
        why = trial(way.value)
        if why is not None:
            return why if runs == 1 else (f"trial run {number} of {runs} "
                                          f"failed: {why}")
    return None


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
