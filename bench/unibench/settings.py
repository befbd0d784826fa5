"""The options of one benchmark run, and what follows from them."""
import dataclasses
import os


@dataclasses.dataclass
class Settings:
    source: str        # the Unilab source tree
    build: str         # the meson build directory with the images
    out: str           # the result directory
    cache: str         # generated baselines (bundle, initramfs, vmlinux)
    runs: int          # timed runs of each case, at most
    min_runs: int      # timed runs of each case, at least
    budget: float      # seconds of timed runs per case, roughly
    warmup: int        # untimed runs of each case first, at most
    resamples: int     # bootstrap resamples per ratio
    seed: int          # of the bootstrap, so intervals can be recomputed
    baseline: str      # the case every other is divided by in the tables
    vm_accel: str      # auto, kvm or tcg: how QEMU runs the Linux VM
    quick: bool        # a smoke run: few runs, no slow searches
    soak_minutes: float  # the soak study's load on each server

    def path(self, *parts):
        """A file in the build directory."""
        return os.path.join(self.build, *parts)


def make(args, source):
    """Settings from the parsed command line; --quick lowers the defaults
    to what a CI smoke run can afford, but explicit options still win."""
    quick = args.quick
    build = os.path.abspath(args.build)
    return Settings(
        source=source,
        build=build,
        out=os.path.abspath(args.out),
        cache=os.path.join(build, "bench", "baselines"),
        runs=args.runs or (10 if quick else 1000),
        min_runs=args.min_runs or (2 if quick else 20),
        budget=args.budget or (1.0 if quick else 60.0),
        warmup=args.warmup or (1 if quick else 20),
        resamples=200 if quick else 2000,
        seed=args.seed,
        baseline=args.baseline,
        vm_accel=args.vm_accel,
        quick=quick,
        soak_minutes=args.soak_minutes or (0.5 if quick else 10.0),
    )
