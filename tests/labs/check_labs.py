#!/usr/bin/env python3
"""The labs' own test, on a copy of this tree (a git repository of its
own, so `lab start` makes its branches there and nowhere else):

- the solution scores full marks in every lab;
- for every lab, `lab start` then `grade` builds and scores 0, with a
  message for every test and no crash of the grader;
- every partial solution a lab declares scores some points, not all;
- --json writes Gradescope's fields, and --extra-tests adds hidden tests.

    check_labs.py SOURCE_ROOT [LAB...]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

GRADESCOPE_TEST_FIELDS = {"name": str, "score": (int, float),
                          "max_score": (int, float), "output": str}


def fail(why):
    sys.exit(f"FAIL: {why}")


def run(cmd, cwd, check=True):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        fail(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc


def copy_tree(source, dest):
    """The tree as it is now, committed files and new ones alike."""
    files = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                source).stdout.split("\0")
    for rel in filter(None, files):
        src = Path(source, rel)
        if src.is_file():
            Path(dest, rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, Path(dest, rel))
    git = ["git", "-c", "user.name=check", "-c", "user.email=check@unilab.invalid"]
    run(["git", "init", "-q", "-b", "main"], dest)
    run(["git", "add", "-A"], dest)
    run(git + ["commit", "-q", "-m", "tree under test"], dest)


def grade(tree, lab, *extra):
    """(exit status, results.json, printed text) of ./unilab grade LAB."""
    out = Path(tree, "results.json")
    out.unlink(missing_ok=True)
    proc = run([sys.executable, "-m", "labtool", "grade", lab, "--json", str(out), *extra],
               tree, check=False)
    text = proc.stdout + proc.stderr
    if "Traceback" in proc.stderr:  # stdout may quote a test's own
        fail(f"the grader crashed on {lab}:\n{text}")
    if not out.is_file():
        fail(f"grade {lab} wrote no results.json:\n{text}")
    return proc.returncode, json.loads(out.read_text()), text


def check_gradescope(results, text):
    if not isinstance(results.get("score"), (int, float)) or not results.get("tests"):
        fail(f"results.json lacks a score or tests: {results}")
    for t in results["tests"]:
        for key, kind in GRADESCOPE_TEST_FIELDS.items():
            if not isinstance(t.get(key), kind):
                fail(f"results.json test {t.get('name')!r}: '{key}' missing or not {kind}")
        if not 0 <= t["score"] <= t["max_score"]:
            fail(f"results.json test {t['name']!r}: score {t['score']} out of range")
    if abs(sum(t["score"] for t in results["tests"]) - results["score"]) > 1e-9:
        fail("results.json: the score is not the sum of the tests' scores")


def total(results):
    return sum(t["max_score"] for t in results["tests"])


def labs_of(tree):
    sys.path.insert(0, str(Path(tree, "tests/labs")))
    from labtool import catalog
    return catalog.load_labs(tree)


def check_solution(tree, lab):
    status, results, text = grade(tree, lab.name)
    check_gradescope(results, text)
    if status != 0 or results["score"] != total(results):
        fail(f"the solution of lab {lab.name} scored {results['score']}/{total(results)}:\n{text}")
    print(f"ok: lab {lab.name}: the solution scores full marks ({results['score']:g})")


def check_stripped(tree, lab):
    run(["git", "checkout", "-q", "main"], tree)
    start = run([sys.executable, "-m", "labtool", "start", lab.name], tree, check=False)
    if start.returncode != 0 or "Traceback" in start.stderr:
        fail(f"lab start {lab.name} failed:\n{start.stdout}{start.stderr}")
    status, results, text = grade(tree, lab.name)
    check_gradescope(results, text)
    if status == 0 or results["score"] != 0:
        fail(f"lab {lab.name} as handed out scored {results['score']}, not 0:\n{text}")
    if "the build failed" in text:
        fail(f"lab {lab.name} as handed out does not build:\n{text}")
    for t in results["tests"]:
        if not t["output"].strip() or t["output"] == "passed":
            fail(f"lab {lab.name}: test {t['name']!r} failed without saying why")
    print(f"ok: lab {lab.name}: as handed out it builds and scores 0 of {total(results):g}")
    run(["git", "checkout", "-q", "main"], tree)


def check_partial(tree, lab, name, parts):
    from labtool import tree as labtree
    run(["git", "checkout", "-q", "main"], tree)
    if not labtree.strip_tree(Path(tree), parts):
        fail(f"lab {lab.name}: partial {name} strips nothing ({parts})")
    status, results, text = grade(tree, lab.name)
    run(["git", "checkout", "-q", "--", "."], tree)
    if not 0 < results["score"] < total(results):
        fail(f"lab {lab.name}: partial solution {name} scored {results['score']} "
             f"of {total(results)}, expected some but not all:\n{text}")
    print(f"ok: lab {lab.name}: partial solution '{name}' scores {results['score']:g} "
          f"of {total(results):g}")


def check_extra_tests(tree, lab):
    extra = Path(tree, "extra-tests")
    extra.mkdir(exist_ok=True)
    test = lab.tests[0]  # the lab's first test again, as a hidden one
    again = f'{test.kind} = {json.dumps(test.what)}\n'
    if test.checks:
        again += f'checks = {json.dumps(test.checks)}\n'
    if test.targets:
        again += f'targets = {json.dumps(test.targets)}\n'
    again = again.replace("{lab}", str(test.base))
    Path(extra, f"{lab.name}.toml").write_text(
        f'[[test]]\nname = "hidden: {test.name}"\npoints = 3\n{again}\n'
        f'[[test]]\nname = "hidden: a script"\npoints = 2\nrun = ["sh", "{{lab}}/fails.sh"]\n')
    Path(extra, "fails.sh").write_text("echo 'the hidden script says no'; exit 1\n")
    status, results, text = grade(tree, lab.name, "--extra-tests", str(extra))
    check_gradescope(results, text)
    hidden = {t["name"]: t for t in results["tests"] if t["name"].startswith(f"{lab.name}: hidden")}
    if len(hidden) != 2:
        fail(f"--extra-tests: expected 2 hidden tests, got {sorted(hidden)}:\n{text}")
    passed = hidden[f"{lab.name}: hidden: {test.name}"]
    failed = hidden[f"{lab.name}: hidden: a script"]
    if passed["score"] != 3 or failed["score"] != 0 or "says no" not in failed["output"]:
        fail(f"--extra-tests: wrong scores or output: {hidden}")
    if status == 0:
        fail("--extra-tests: a failing hidden test must make grade exit non-zero")
    print(f"ok: --extra-tests adds hidden tests to lab {lab.name}, graded the same way")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    source = Path(argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="unilab-labs-") as tmp:
        tree = Path(tmp, "tree")
        copy_tree(source, tree)
        os.environ["PYTHONPATH"] = str(tree / "tests/labs")
        labs = [l for l in labs_of(tree) if len(argv) == 2 or l.name in argv[2:]]
        for lab in labs:
            check_solution(tree, lab)
        check_extra_tests(tree, labs[0])
        for lab in labs:
            for name, parts in lab.partials.items():
                check_partial(tree, lab, name, parts)
        for lab in labs:
            check_stripped(tree, lab)
    print(f"{len(labs)} labs checked")


if __name__ == "__main__":
    main(sys.argv)
