"""Grading: build what a lab's tests need, run each with a time limit, and
score it. Nothing a test does (a build error, a crash, a hang) stops the
grader: it becomes that test's failure, with the first lines of why and
the commands that rerun it alone and under gdb."""
import json
import os
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .build import Build

# Check's log lines: path:line:P|F|E:tcase:function:iteration: message
CHECK_RESULT = {"P": "passed", "F": "failed", "E": "error"}
WHY_LINES = 12
# What booting an image on a backend needs built besides the image.
BACKEND_NEEDS = {"kvm": ["backends/kvm/unilab-kvm"]}


@dataclass
class Result:
    test: object
    passed: bool
    output: str
    seconds: float = 0.0
    hints: list = field(default_factory=list)

    @property
    def score(self):
        return self.test.points if self.passed else 0


def first_lines(text, n=WHY_LINES):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    more = f"\n... ({len(lines) - n} more lines)" if len(lines) > n else ""
    return "\n".join(lines[:n]) + more


def run_limited(cmd, timeout, cwd=None, env=None):
    """(exit status or None on time-out, output) of cmd, which is killed
    with its whole process group when it runs past timeout."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            errors="replace", start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, _ = proc.communicate()
        return None, out + f"\n(stopped after {timeout:.0f} s)"


class Grader:
    def __init__(self, root, build_dir, backend="posix"):
        self.root = Path(root)
        self.build = Build(self.root, build_dir)
        self.backend = backend
        self.check_logs = {}   # Check program -> parsed results, run once

    def words(self, test):
        return {"lab": str(test.base), "build": str(self.build.dir),
                "root": str(self.root), "backend": self.backend}

    def fill(self, text, test):
        return text.format(**self.words(test))

    # -- what to build ---------------------------------------------------
    def targets(self, test):
        if test.kind == "unit":
            return [test.what]
        named = [self.fill(t, test) for t in test.targets]
        if named and self.backend in BACKEND_NEEDS:
            named += BACKEND_NEEDS[self.backend]
        if test.kind == "meson":
            known = self.build.targets_of_test(self.fill(test.what, test))
            return None if known is None else known + named
        return named

    # -- running ---------------------------------------------------------
    def run_check_program(self, target, timeout):
        """Run a Check program once (every check in it), each check in its
        own process so a panic or a hang fails that check alone."""
        if target in self.check_logs:
            return self.check_logs[target]
        program = self.build.dir / target
        with tempfile.NamedTemporaryFile("r", suffix=".log") as log:
            env = dict(os.environ, CK_LOG_FILE_NAME=log.name, CK_FORK="yes")
            status, out = run_limited([str(program)], timeout, env=env)
            results = {}
            for line in Path(log.name).read_text(errors="replace").splitlines():
                parts = line.split(":", 6)
                # A loop test logs each iteration; any failure counts.
                if len(parts) == 7 and parts[2] in CHECK_RESULT and \
                        results.get(parts[4], ("P",))[0] == "P":
                    results[parts[4]] = (parts[2], parts[3], parts[6].strip())
        self.check_logs[target] = (status, out, results)
        return self.check_logs[target]

    def run_unit(self, test):
        status, out, results = self.run_check_program(test.what, test.timeout)
        lines, ok, cases = [], True, set()
        for check in test.checks:
            code, case, message = results.get(check, ("E", "", "did not run"))
            cases.add(case)
            if code != "P":
                ok = False
                lines.append(f"{check}: {CHECK_RESULT.get(code, code)}: {message}")
        if not results:
            lines.append(f"the program ended (status {status}) before any check ran:\n{out}")
        program = shlex.quote(str(self.build.dir / test.what))
        case = next(iter(cases)) if len(cases) == 1 and "" not in cases else None
        select = f"CK_RUN_CASE={shlex.quote(case)} " if case else ""
        first = next((c for c in test.checks if results.get(c, ("E",))[0] != "P"), test.checks[0])
        hints = [f"rerun:  {select}{program}",
                 f"debug:  {select}CK_FORK=no gdb -ex 'break {first}' -ex run --args {program}"]
        return ok, "\n".join(lines), hints

    def run_meson(self, test):
        name = self.fill(test.what, test)
        status, out = run_limited(
            ["meson", "test", "-C", str(self.build.dir), "--no-rebuild",
             "--print-errorlogs", name], test.timeout)
        build = shlex.quote(str(self.build.dir))
        hints = [f"rerun:  meson test -C {build} --print-errorlogs {name}",
                 f"debug:  meson test -C {build} --gdb {name}"]
        return status == 0, "" if status == 0 else out, hints

    def run_command(self, test):
        cmd = [self.fill(w, test) for w in test.what]
        status, out = run_limited(cmd, test.timeout, cwd=self.root)
        shown = " ".join(shlex.quote(w) for w in cmd)
        debugger = "python3 -m pdb" if Path(cmd[0]).name.startswith("python") else "gdb --args"
        hints = [f"rerun:  {shown}",
                 f"debug:  {debugger} {' '.join(shlex.quote(w) for w in cmd[1:]) if debugger.startswith('python') else shown}"]
        return status == 0, "" if status == 0 else out, hints

    def run(self, test):
        start = time.monotonic()
        targets = self.targets(test)
        if targets is None:
            return Result(test, False, f"the build has no test '{self.fill(test.what, test)}'"
                          f" (is the {self.backend} backend built here?)")
        built, log = self.build.compile(targets) if targets else (True, "")
        if not built:
            return Result(test, False, "the build failed:\n" + first_lines(log, 30),
                          hints=[f"see it:  meson compile -C {self.build.dir}"])
        runner = {"unit": self.run_unit, "meson": self.run_meson,
                  "run": self.run_command}[test.kind]
        try:
            ok, out, hints = runner(test)
        except OSError as e:
            ok, out, hints = False, f"could not run the test: {e}", []
        return Result(test, ok, out, time.monotonic() - start, hints)

    def grade(self, lab, progress=None):
        results = []
        for test in lab.tests:
            if progress:
                progress(test)
            results.append(self.run(test))
        return results


def table(lab, results):
    """The score table: one line a test, then why each failure failed and
    how to rerun it."""
    width = max([len(r.test.name) for r in results] + [4])
    lines = [f"lab {lab.name}: {lab.summary}", "",
             f"  {'test':<{width}}  {'points':>9}  result"]
    for r in results:
        mark = "pass" if r.passed else "FAIL"
        hidden = " (hidden)" if r.test.hidden else ""
        lines.append(f"  {r.test.name:<{width}}  {r.score:>4g}/{r.test.points:<4g}  {mark}{hidden}")
    score, total = sum(r.score for r in results), sum(r.test.points for r in results)
    lines.append(f"  {'total':<{width}}  {score:>4g}/{total:<4g}")
    for r in results:
        if r.passed:
            continue
        lines += ["", f"--- {r.test.name}: failed"]
        lines += ["  " + l for l in first_lines(r.output or "(no output)").splitlines()]
        lines += ["  " + h for h in r.hints]
    return "\n".join(lines)


def gradescope(all_results):
    """Gradescope's autograder results.json: top-level score, and one entry
    per test with name, score, max_score and output."""
    tests, score = [], 0
    for lab, results in all_results:
        for r in results:
            score += r.score
            output = "passed" if r.passed else first_lines(r.output or "failed", 40)
            if not r.passed and r.hints:
                output += "\n" + "\n".join(r.hints)
            tests.append({"name": f"{lab.name}: {r.test.name}", "score": r.score,
                          "max_score": r.test.points, "output": output,
                          "visibility": "after_published" if r.test.hidden else "visible",
                          "execution_time": round(r.seconds, 3)})
    return {"score": score, "tests": tests}


def write_json(path, all_results):
    Path(path).write_text(json.dumps(gradescope(all_results), indent=2) + "\n")
