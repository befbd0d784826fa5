"""`./unilab lab list|start NAME` and `./unilab grade [NAME] ...`."""
import argparse
import os
import sys
from pathlib import Path

from . import catalog, grade, markers, tree

ROOT = Path(__file__).resolve().parents[3]


def lab_status(lab):
    here = tree.current_branch(ROOT)
    name = tree.branch(lab.name)
    if here == name:
        return f"in progress on this branch ({name})"
    if tree.branch_exists(ROOT, name):
        return f"started (git checkout {name})"
    return "not started"


def cmd_list(args):
    labs = catalog.load_labs(ROOT)
    counts = {}
    for _, region in tree.regions(ROOT):
        counts[region.lab()] = counts.get(region.lab(), 0) + 1
    for lab in labs:
        print(f"{lab.number:2d} {lab.name:<11} {lab.summary}")
        print(f"   {'':<11} {counts.get(lab.name, 0)} regions to write, "
              f"{lab.max_score():g} points; {lab_status(lab)}; {lab.handout}")
    return 0


def identity():
    """The author of the start commit: the user's, or a stand-in when git
    has none configured (a fresh machine)."""
    if tree.git(ROOT, "config", "user.email", check=False).stdout.strip():
        return []
    return ["-c", "user.name=Unilab lab", "-c", "user.email=lab@unilab.invalid"]


def cmd_start(args):
    lab = catalog.find_lab(catalog.load_labs(ROOT), args.name)
    name = tree.branch(lab.name)
    if tree.git(ROOT, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        sys.exit("lab start: commit or stash your changes first (git status shows them)")
    if tree.branch_exists(ROOT, name):
        sys.exit(f"lab start: {name} exists already; continue there with: git checkout {name}")
    tree.git(ROOT, "checkout", "-q", "-b", name)
    stripped = tree.strip_tree(ROOT, [lab.name])
    if not stripped:
        tree.git(ROOT, "checkout", "-q", "-")
        tree.git(ROOT, "branch", "-q", "-D", name)
        sys.exit(f"lab start: lab {lab.name} marks no region in the source")
    tree.git(ROOT, *identity(), "commit", "-q", "-a", "-m",
             f"Lab {lab.name}: start, with the regions to write taken out")
    print(f"On branch {name}: the regions you write are stubbed out in")
    for path, count in sorted(stripped.items()):
        print(f"  {path} ({count})")
    print(f"Read the handout: {lab.handout}")
    grader = grade.Grader(ROOT, args.build)
    targets = sorted({t for test in lab.tests for t in (grader.targets(test) or [])})
    ok, log = grader.build.compile(targets)
    print(f"The build is ready in {args.build}/." if ok else
          f"The build failed (it should not; please report it):\n{grade.first_lines(log)}")
    print(f"Grade your work with: ./unilab grade {lab.name}")
    return 0 if ok else 1


def labs_to_grade(args, labs):
    if args.name:
        return [catalog.find_lab(labs, args.name)]
    here = tree.current_branch(ROOT)
    if here.startswith("lab/"):
        return [catalog.find_lab(labs, here[4:])]
    return labs


def cmd_grade(args):
    labs = catalog.load_labs(ROOT)
    if args.extra_tests:
        catalog.add_extra_tests(labs, args.extra_tests)
    chosen = labs_to_grade(args, labs)
    for lab in chosen:
        if args.backend and args.backend not in lab.backends and args.name:
            sys.exit(f"grade: lab {lab.name} runs on {', '.join(lab.backends)}, not {args.backend}")
    everything, full = [], True
    for lab in chosen:
        # Without --backend, a lab runs on the first backend it names.
        backend = args.backend or lab.backends[0]
        if backend not in lab.backends:
            continue
        grader = grade.Grader(ROOT, args.build, backend)
        results = grader.grade(lab, lambda t: print(f"[{lab.name}] {t.name} ...",
                                                    file=sys.stderr, flush=True))
        everything.append((lab, results))
        full &= all(r.passed for r in results)
        print(grade.table(lab, results))
        print()
    if args.json:
        grade.write_json(args.json, everything)
        print(f"wrote {args.json}")
    return 0 if full else 1


def parser():
    p = argparse.ArgumentParser(prog="./unilab lab", description="Coursework labs.")
    p.add_argument("--build", default=os.environ.get("UNILAB_BUILD", "build"),
                   help="the build directory (default: build)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the labs, their summaries and their status here")
    s = sub.add_parser("start", help="make branch lab/NAME with the lab's regions stripped")
    s.add_argument("name")
    g = sub.add_parser("grade", help="build, run a lab's tests, print the score")
    g.add_argument("name", nargs="?", help="the lab (default: this branch's, else all)")
    g.add_argument("--json", metavar="FILE", help="also write Gradescope's results.json")
    g.add_argument("--backend", help="posix, kvm or bm (default: the lab's first)")
    g.add_argument("--extra-tests", metavar="DIR",
                   help="a course's own tests: DIR/LAB.toml, graded the same way")
    return p


def main(argv):
    args = parser().parse_args(argv)
    if args.command == "grade" and args.backend == "baremetal":
        args.backend = "bm"
    try:
        return {"list": cmd_list, "start": cmd_start, "grade": cmd_grade}[args.command](args)
    except (catalog.LabError, markers.MarkerError) as e:
        sys.exit(f"unilab: {e}")
