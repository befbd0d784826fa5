"""The labs: one folder per lab under tests/labs/, each with a lab.toml
that says what the lab is and how it is graded.

    number = 1                      order in the course, and the handout's
    summary = "one line"
    handout = "docs/labs/01-heap.md"
    backends = ["posix", "kvm"]     where its tests can run (default posix)

    [[test]]                        one graded test; exactly one of:
    name = "..."                      unit = "tests/unit/test_heap" (a Check
    points = 10                         program, a meson target) with
    unit = "..."                        checks = [its test functions]
    checks = ["..."]                  meson = "sleepers-{backend}" (a meson
                                        test; {backend} is posix, kvm, bm)
                                      run = ["cmd", "{lab}/x.py", "{build}"]
    timeout = 120                   seconds (default 120)
    targets = ["apps/x/x.{backend}"]  what the test needs built besides
                                    what meson knows a meson test needs

    [partial.NAME]                  a partial solution, for the graders'
    strip = ["heap.coalesce"]       own tests: the solution with only these
                                    regions stripped scores some points,
                                    not all and not none
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("unit", "meson", "run")


class LabError(Exception):
    """A lab or test definition that cannot be used, said plainly."""


@dataclass
class Test:
    name: str
    points: float
    kind: str             # one of KINDS
    what: object          # the unit target, the meson test or the command
    checks: list = field(default_factory=list)
    timeout: float = 120
    hidden: bool = False  # from --extra-tests: a course's own
    base: Path = None     # the folder {lab} stands for
    targets: list = field(default_factory=list)


@dataclass
class Lab:
    name: str
    number: int
    summary: str
    handout: str
    backends: list
    tests: list
    partials: dict
    folder: Path

    def max_score(self):
        return sum(t.points for t in self.tests)


def parse_tests(entries, where, base, hidden=False):
    tests = []
    for i, t in enumerate(entries):
        label = f"{where}: test {i + 1}"
        kinds = [k for k in KINDS if k in t]
        if len(kinds) != 1:
            raise LabError(f"{label}: needs exactly one of {', '.join(KINDS)}")
        if not isinstance(t.get("name"), str) or not t["name"]:
            raise LabError(f"{label}: needs a name")
        points = t.get("points")
        if not isinstance(points, (int, float)) or points < 0:
            raise LabError(f"{label} ({t['name']}): points must be a number >= 0")
        if kinds[0] == "unit" and not t.get("checks"):
            raise LabError(f"{label} ({t['name']}): a unit test names its checks")
        tests.append(Test(t["name"], points, kinds[0], t[kinds[0]],
                          list(t.get("checks", [])), float(t.get("timeout", 120)),
                          hidden, base, list(t.get("targets", []))))
    return tests


def load_lab(folder):
    path = folder / "lab.toml"
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise LabError(f"{path}: {e}") from e
    for key in ("number", "summary", "handout"):
        if key not in data:
            raise LabError(f"{path}: missing '{key}'")
    return Lab(folder.name, int(data["number"]), data["summary"], data["handout"],
               list(data.get("backends", ["posix"])),
               parse_tests(data.get("test", []), path, folder),
               {k: list(v.get("strip", [])) for k, v in data.get("partial", {}).items()},
               folder)


def load_labs(root):
    """Every lab of the tree at root, in course order."""
    labs = [load_lab(f.parent) for f in sorted(Path(root, "tests/labs").glob("*/lab.toml"))]
    return sorted(labs, key=lambda lab: lab.number)


def find_lab(labs, name):
    for lab in labs:
        if lab.name == name:
            return lab
    raise LabError(f"no lab '{name}'; the labs are: {' '.join(l.name for l in labs)}")


def add_extra_tests(labs, folder):
    """A course's hidden tests: folder/NAME.toml holds [[test]] tables for
    lab NAME, graded like the lab's own; {lab} in them is that folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LabError(f"--extra-tests: {folder} is not a folder")
    for path in sorted(folder.glob("*.toml")):
        lab = find_lab(labs, path.stem)
        try:
            data = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise LabError(f"{path}: {e}") from e
        lab.tests += parse_tests(data.get("test", []), path, folder, hidden=True)
