"""./unilab bench: parse the command line, run the studies, write the result
directory (results.json, results.csv, report.md, plots)."""
import argparse
import datetime
import functools
import os
import sys

from . import catalog, checks, env, plot, report, results, schedule, settings
from .case import Case
from .progress import Progress
from .studies import DEFAULT, STUDIES

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _seconds(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive time")
    return value


def parser():
    p = argparse.ArgumentParser(
        prog="./unilab bench",
        description="Run benchmark studies and write a result directory "
                    "(results.json with every sample, results.csv, "
                    "report.md, plots). Studies: "
                    + ", ".join(STUDIES) + " (default: "
                    + ", ".join(DEFAULT) + ").")
    p.add_argument("studies", nargs="*", metavar="STUDY")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run for CI: a few runs of each case, in "
                        "seconds; its figures are not worth quoting")
    p.add_argument("--runs", type=_positive, metavar="N",
                   help="timed runs of each case, at most (default 1000, "
                        "quick 10)")
    p.add_argument("--min-runs", type=_positive, metavar="N",
                   help="timed runs of each case, at least, however slow "
                        "(default 20, quick 2)")
    p.add_argument("--budget", type=_seconds, metavar="SECONDS",
                   help="seconds of timed runs per case before its run "
                        "count is cut (default 60, quick 1)")
    p.add_argument("--warmup", type=_positive, metavar="N",
                   help="untimed runs of each case first, the trial run "
                        "included (default 20, quick 1)")
    p.add_argument("--out", metavar="DIR", help="the result directory (default: "
                                 "BUILD/bench/results/DATE-TIME)")
    p.add_argument("--build", default="build", metavar="DIR",
                   help="the meson build directory (default: build)")
    p.add_argument("--baseline", default="static_hello", metavar="CASE",
                   help="the case the tables divide by (default: "
                        "static_hello)")
    p.add_argument("--vm-accel", choices=("auto", "kvm", "tcg"),
                   default="auto",
                   help="how QEMU runs the Linux VM (default: KVM where a "
                        "trial boot works, TCG otherwise)")
    p.add_argument("--soak-minutes", type=_seconds, metavar="MINUTES",
                   help="how long the soak study loads each server "
                        "(default 10, quick 0.5)")
    p.add_argument("--seed", type=int, default=1, metavar="N",
                   help="seed of the bootstrap (default: 1)")
    p.add_argument("--redraw", metavar="DIR",
                   help="run nothing: rewrite report.md, results.csv and "
                        "the plots of the result directory DIR from its "
                        "results.json")
    return p


def _studies(p, names):
    for name in names:
        if name not in STUDIES:
            p.error(f"unknown study '{name}'; the studies are: "
                    + ", ".join(STUDIES))
    return list(dict.fromkeys(names)) or list(DEFAULT)


def _default_out(build):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return os.path.join(build, "bench", "results", stamp)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p = parser()
    args = p.parse_args(argv)
    if args.redraw:
        _write(args.redraw, results.load(args.redraw), Progress())
        return 0
    names = _studies(p, args.studies)
    args.out = args.out or _default_out(args.build)
    config = settings.make(args, SOURCE)
    if not os.path.isdir(config.build):
        p.error(f"{config.build} is not a build directory (./unilab build)")
    os.makedirs(config.out, exist_ok=True)
    progress = Progress()

    environment = env.record(SOURCE, ["./unilab", "bench"] + argv)
    cases = catalog.collect(config)
    if config.baseline not in (c.name for c in cases):
        p.error(f"--baseline {config.baseline}: no such case; the cases are: "
                + ", ".join(c.name for c in cases))
    for case in cases:
        if not isinstance(case, Case):
            progress.note(f"skipping {case.name}: {case.reason}")
    environment["qemu_accelerators"] = env.qemu_accelerators(cases)
    # Run once, by the first study that wants them.
    trials = functools.cache(lambda: schedule.trial(
        [c for c in cases if isinstance(c, Case)], progress))
    measured = {name: STUDIES[name].run(config, cases, trials, progress)
                for name in names}
    environment["runs_run_again"] = env.runs_run_again(cases)
    document = {
        "format": results.FORMAT,
        "environment": environment,
        "settings": {k: v for k, v in vars(config).items()
                     if k not in ("source", "build", "out", "cache")},
        "studies": measured,
        "checks": checks.evaluate(measured),
    }
    _write(config.out, document, progress)
    return 0


def _write(out, document, progress):
    """The result directory's files, then a summary on stdout."""
    results.write(out, document, STUDIES)
    pictures = {}
    if plot.available():
        pictures = {name: STUDIES[name].plot(result, out)
                    for name, result in document["studies"].items()}
    else:
        progress.note("no plots: gnuplot is not installed (gnuplot-nox)")
    report.write(out, document, STUDIES, pictures)
    for check in document["checks"]:
        verdict = {True: "met", False: "MISSED", None: None}[check["met"]]
        print(f"{check['target']}: {check['measured']}"
              + (f" ({verdict})" if verdict else ""))
    print(f"report: {os.path.join(out, 'report.md')}")
