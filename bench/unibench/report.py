"""report.md: the environment, the targets, then each study's tables and
plots, and how the figures were made."""
import os

from . import stats

METHOD = """Each case first runs once with its output checked (the trial run,
which also says how long a run takes), then a few untimed warm-up runs.
Timed runs follow in rounds: every case once per round, in an order that
rotates from round to round, so drift in the machine's load hits every
case alike. A case runs up to {runs} times, fewer when that would take
more than about {budget:g} s, but at least {min_runs} times. A run is timed
from posix_spawn to waitpid with the monotonic clock; its output goes to
/dev/null. Medians and percentiles interpolate between ranks; a ratio is
of medians, its interval a {resamples}-resample percentile bootstrap
(seed {seed}). A case is flagged when p95 − p5 exceeds
{spread:g}× its median, a ratio when its interval is wider than
{interval:.0%} of it."""


def _trials(boots):
    """What kept a way chosen by trial boots, for its row."""
    return f" — kept after {boots} good trial boots in a row" if boots \
        and boots > 1 else ""


def qemu_rows(env):
    """The environment table's rows on how QEMU runs each case: its
    accelerator, the way it boots and why, its runs that failed and were
    run again."""
    rows = [f"| QEMU accelerator ({name}) | {a['accelerator']}"
            f"{' — ' + a['why'] if a.get('why') else ''} |"
            for name, a in env.get("qemu_accelerators", {}).items()]
    rows += [f"| boot way ({name}) | {a['way']}"
             f"{_trials(a.get('trial_boots'))}"
             f"{' — tried first: ' + '; '.join(a['fallbacks']) if a.get('fallbacks') else ''} |"
             for name, a in env.get("qemu_accelerators", {}).items()
             if a.get("way")]
    rows += [f"| runs failed and run again ({name}) | {len(whys)}: "
             f"{'; '.join(whys)} |"
             for name, whys in env.get("runs_run_again", {}).items()]
    return rows


def _environment(env):
    versions = env["versions"]
    return [
        "| | |", "|---|---|",
        f"| date | {env['date']} |",
        f"| command | `{' '.join(env['command'])}` |",
        f"| Unilab commit | {env['unilab_commit']} |",
        f"| CPU | {env['cpu_model']}, {env['cpu_count']} CPUs "
        f"({env['cpus_usable']} usable) |",
        f"| memory | {env['memory_kib'] // 1024} MiB |",
        f"| kernel | {env['kernel']} |",
        f"| KVM module | {env['kvm_module']} (/dev/kvm usable: "
        f"{env['kvm_usable']}) |",
        f"| load average at start | "
        f"{', '.join(f'{x:.2f}' for x in env['load_average'])} |",
    ] + qemu_rows(env) + [f"| {tool} | {version or 'not installed'} |"
                      for tool, version in versions.items()]


def _checks(checks):
    verdict = {True: "met", False: "**missed**", None: "not measured"}
    return ["| from | target | measured | result |", "|---|---|---:|---|"] + [
        f"| {c['from']} | {c['target']} | "
        f"{'–' if c['met'] is None else c['measured']} | "
        f"{verdict[c['met']]} |" for c in checks]


def write(directory, document, studies, pictures):
    """pictures: {study: [paths]} of the plots drawn."""
    settings = document["settings"]
    lines = ["# Unilab benchmark report", "",
             f"Studies: {', '.join(document['studies'])}"
             f"{' (quick smoke run: too few runs to quote)' if settings['quick'] else ''}.",
             "", "## Targets", ""] + _checks(document["checks"])
    for name, result in document["studies"].items():
        module = studies[name]
        lines += ["", f"## {module.TITLE} (`{name}`)", ""]
        lines += [f"![{name}]({os.path.basename(p)})"
                  for p in pictures.get(name, []) if p.endswith(".svg")]
        if pictures.get(name):
            lines.append("")
        lines += module.report(result)
    lines += ["", "## Environment", ""] + _environment(document["environment"])
    lines += ["", "## Method", "",
              METHOD.format(spread=stats.WIDE_SPREAD,
                            interval=stats.WIDE_INTERVAL, **settings)]
    with open(os.path.join(directory, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
