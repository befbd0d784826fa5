"""What a study measures: a case is one command that boots something, says
a known line and exits; a skipped case is one this machine cannot run."""
import dataclasses
from typing import Callable, Optional

# Kinds of case, in the order the report lists them.
UNILAB = "unilab"      # a Unilab image on one backend
BASELINE = "baseline"  # what Unilab is compared with: process, container, VM
FLOOR = "floor"        # the least any program of its kind can do
KINDS = (UNILAB, BASELINE, FLOOR)


@dataclasses.dataclass
class Memory:
    """How to give a case a memory size, for the smallest-memory search.
    argv(kib) is the command with that much memory; sizes are searched
    between low and high KiB (inclusive), to a resolution of step KiB."""
    argv: Callable[[int], list]
    low: int
    high: int
    step: int


@dataclasses.dataclass
class Case:
    name: str              # short and unique: hello.kvm, crun, linux-vm
    kind: str              # UNILAB, BASELINE or FLOOR
    what: str              # one line for the report
    argv: list             # argv[0] is an absolute path
    expect: str            # a string its output must contain
    files: list            # what the image is made of, for its size
    timeout: float = 30.0  # seconds before a run counts as hung
    notes: dict = dataclasses.field(default_factory=dict)  # e.g. accelerator
    memory: Optional[Memory] = None
    cleanup: Optional[list] = None  # argv to run after a failed run
    # Failed runs that are run again (each recorded) before the case
    # fails, in a whole bench run: for a baseline built from host packages
    # that fails now and then (a Linux kernel's boot); 0 for Unilab, whose
    # every failure counts.
    retries: int = 0
    failed_runs: list = dataclasses.field(default_factory=list)  # why, each

    def record(self):
        """The case as results.json keeps it."""
        return {"kind": self.kind, "what": self.what, "command": self.argv,
                "files": self.files, "notes": self.notes}


@dataclasses.dataclass
class Skipped:
    name: str
    kind: str
    reason: str
