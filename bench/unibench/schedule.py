"""Running cases in interleaved rounds. Every case runs once per round, in
an order that rotates from round to round (A B C, B C A, C A B, ...), so a
change in the machine's load during a study weighs on every case alike and
no case always follows the same neighbour. A slow case (a Linux VM under
TCG takes seconds) runs fewer times than a fast one, its runs spread evenly
over the rounds rather than bunched at the start."""
import math

from . import run


class Failure(Exception):
    """A run that did not do what the case promises."""


def plan(counts):
    """The rounds for cases run counts[i] times each: a list of rounds, each
    a list of case indices. Case i runs in the rounds where its share,
    counts[i] * round / rounds, passes a whole number."""
    rounds = max(counts, default=0)
    schedule = []
    for r in range(rounds):
        order = [(i + r) % len(counts) for i in range(len(counts))]
        schedule.append([i for i in order
                         if (r + 1) * counts[i] // rounds
                         > r * counts[i] // rounds])
    return schedule


def check(case, outcome):
    """Raise Failure unless the run exited 0 in time (and, when its output
    was captured, said what the case expects)."""
    if outcome.timed_out:
        raise Failure("it did not exit in time")
    if outcome.status != 0:
        raise Failure(f"exit status {outcome.status}"
                      + (f"; output:\n{outcome.output[-2000:]}"
                         if outcome.output else ""))
    if outcome.output is not None and case.expect not in outcome.output:
        raise Failure(f"no '{case.expect}' in its output:\n"
                      f"{outcome.output[-2000:]}")


def attempt(case, argv=None, capture=False, timeout=None, again=True):
    """One run of case (or of argv in its place), checked; cleans up after
    a failure so the next run starts clean. Returns the Outcome. A case
    with retries runs again after a failure (when again), each failure
    kept in case.failed_runs, until it has failed more than case.retries
    times in the study: then the failure is raised."""
    while True:
        try:
            return _attempt_once(case, argv, capture, timeout)
        except Failure as failure:
            if not again or len(case.failed_runs) >= case.retries:
                raise
            case.failed_runs.append(str(failure).splitlines()[0])


def _attempt_once(case, argv, capture, timeout):
    outcome = run.execute(argv or case.argv, timeout=timeout or case.timeout,
                          capture=capture)
    if not capture:
        outcome.output = None
    try:
        check(case, outcome)
    except Failure:
        if case.cleanup:
            run.execute(case.cleanup, timeout=case.timeout)
        raise
    return outcome


def trial(cases, progress):
    """Run every case once, checking its output: it warms the caches and
    says what each run costs. Returns ({name: seconds}, {name: failure})."""
    costs, failures = {}, {}
    progress.start("trial runs", len(cases), 0)
    for case in cases:
        try:
            costs[case.name] = attempt(case, capture=True).ns / 1e9
        except Failure as failure:
            failures[case.name] = str(failure)
            progress.note(f"{case.name}: failed its trial run: "
                          f"{str(failure).splitlines()[0]}")
        progress.step(case.name)
    progress.finish()
    return costs, failures


def counts(costs, settings):
    """Timed runs per case: as many as fit in the budget, between min_runs
    and runs."""
    return {name: max(settings.min_runs,
                      min(settings.runs, math.floor(settings.budget / cost)))
            for name, cost in costs.items()}


def warmups(costs, settings):
    """Untimed runs per case after the trial run: up to warmup in all, in a
    tenth of the budget."""
    return {name: max(0, min(settings.warmup - 1,
                             math.floor(settings.budget / 10 / cost)))
            for name, cost in costs.items()}


def interleave(cases, runs, sample, costs, progress, label):
    """Run each case runs[name] times in rotating rounds; sample(case)
    returns one value or raises Failure, which ends that case. Returns
    {name: {"values", "rounds", "seq", "failure"}}, seq being the run's
    place in the whole study."""
    active = [c for c in cases if runs.get(c.name)]
    schedule = plan([runs[c.name] for c in active])
    results = {c.name: {"values": [], "rounds": [], "seq": [], "failure": None}
               for c in active}
    progress.start(label, sum(len(r) for r in schedule),
                   sum(runs[c.name] * costs[c.name] for c in active))
    seq = 0
    for number, members in enumerate(schedule):
        for i in members:
            case, result = active[i], results[active[i].name]
            if result["failure"] is None:
                try:
                    value = sample(case)
                    result["values"].append(value)
                    result["rounds"].append(number)
                    result["seq"].append(seq)
                except Failure as failure:
                    result["failure"] = str(failure)
                    progress.note(f"{case.name}: a run failed: "
                                  f"{str(failure).splitlines()[0]}")
            seq += 1
            progress.step(case.name, costs[case.name])
    progress.finish()
    return results
