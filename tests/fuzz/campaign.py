#!/usr/bin/env python3
"""./unilab fuzz: a longer libFuzzer campaign on one fuzz target or each in
turn. The targets, their fuzzers and their corpus folders are the build's
fuzz-NAME tests (tests/fuzz/meson.build is the one list); each runs through
run_fuzz.sh --keep, so a crash found goes into the target's corpus in the
tree and its replay test feeds it from then on.

usage: campaign.py BUILD_DIR [TARGET...] [--time=SECONDS]
"""
import json
import os
import subprocess
import sys

DEFAULT_SECONDS = 300


def targets(build):
    """{name: (runner, fuzzer, corpus folders)} from the build's tests
    (the fuzzer as a path from the build folder)."""
    tests = json.loads(subprocess.run(
        ["meson", "introspect", build, "--tests"], check=True,
        capture_output=True, text=True).stdout)
    found = {}
    for test in tests:
        if "unilab:fuzz" in test["suite"]:
            runner, fuzzer, _seconds, *corpus = test["cmd"]
            found[test["name"].removeprefix("fuzz-")] = (runner, fuzzer,
                                                         corpus)
    return found


def main(argv):
    if not argv:
        sys.exit(__doc__)
    build, seconds, names = argv[0], DEFAULT_SECONDS, []
    for arg in argv[1:]:
        if arg.startswith("--time="):
            value = arg.split("=", 1)[1]
            if not value.isdigit() or int(value) == 0:
                sys.exit(f"fuzz: --time wants whole seconds, not '{value}'")
            seconds = int(value)
        elif arg.startswith("-"):
            sys.exit(f"fuzz: unknown option '{arg}'\n\n{__doc__}")
        else:
            names.append(arg)
    known = targets(build)
    if not known:
        sys.exit("fuzz: this build has no libFuzzer targets: clang is not "
                 "installed (./unilab setup installs it), or the build was "
                 "configured with -Dfuzz=disabled")
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"fuzz: no target {', '.join(unknown)}; the targets are: "
                 f"{' '.join(sorted(known))}")
    failed = []
    for name in names or sorted(known):
        runner, fuzzer, corpus = known[name]
        print(f"==> fuzz {name} for {seconds} s from {' '.join(corpus)}",
              flush=True)
        subprocess.run(["ninja", "-C", build, fuzzer], check=True,
                       capture_output=True)
        if subprocess.run([runner, "--keep", os.path.join(build, fuzzer),
                           str(seconds)] + corpus).returncode != 0:
            failed.append(name)
    if failed:
        sys.exit(f"fuzz: {' '.join(failed)} found a crash (kept in the "
                 f"corpus, above)")
    print("fuzz: no crash found")


if __name__ == "__main__":
    main(sys.argv[1:])
