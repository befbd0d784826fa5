"""The build the grader uses: the checkout's own build directory,
configured once, and only the targets a test needs compiled, so code the
lab does not touch cannot fail its grade."""
import json
import subprocess
from pathlib import Path


class Build:
    def __init__(self, root, directory):
        self.root = Path(root)
        self.dir = Path(directory) if Path(directory).is_absolute() else self.root / directory
        self._tests = None
        self._targets = None

    def configured(self):
        return (self.dir / "meson-private" / "coredata.dat").is_file()

    def configure(self):
        """(ok, log): meson setup, when the directory is not set up yet."""
        if self.configured():
            return True, ""
        proc = subprocess.run(["meson", "setup", str(self.dir)], cwd=self.root,
                              capture_output=True, text=True)
        return proc.returncode == 0, proc.stdout + proc.stderr

    def compile(self, targets):
        """(ok, log) of building the targets (all of them when none are
        named: a test that did not say what it needs)."""
        ok, log = self.configure()
        if not ok:
            return False, log
        proc = subprocess.run(["meson", "compile", "-C", str(self.dir), *targets],
                              capture_output=True, text=True)
        return proc.returncode == 0, proc.stdout + proc.stderr

    def introspect(self, what):
        ok, _ = self.configure()
        if not ok:
            return []
        proc = subprocess.run(["meson", "introspect", what, str(self.dir)],
                              capture_output=True, text=True)
        return json.loads(proc.stdout) if proc.returncode == 0 else []

    def targets_of_test(self, name):
        """The meson targets a registered test needs, as far as meson knows
        (those it depends on and those its command names), as names `meson
        compile` takes; None
        when the build has no test of that name."""
        if self._tests is None:
            self._tests = self.introspect("--tests")
            self._targets = self.introspect("--targets")
        test = next((t for t in self._tests if t["name"] == name), None)
        if test is None:
            return None
        words = set(test["cmd"])
        wanted = []
        for t in self._targets:
            if t["id"] in test["depends"] or words & set(t["filename"]):
                subdir = Path(t["defined_in"]).parent.relative_to(self.root.resolve())
                wanted.append(f"{subdir}/{t['name']}" if str(subdir) != "." else t["name"])
        return wanted
