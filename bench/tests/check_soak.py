"""The soak study's smoke test: run `unibench soak --quick` (30 s per
server), then check that each server was measured, its samples are sound
(positive rates, a heap reading per interval) and it passed: no failed
request, heap at the end within the tolerance. Exits 77 (skipped) when a
server cannot run here (no root, TAP or wrk), naming why.

usage: check_soak.py BUILD_DIR OUT_DIR
"""
import json
import os
import subprocess
import sys


def problems(servers):
    found = []
    for name, e in servers.items():
        if e["status"] == "skipped":
            continue
        if e["status"] != "measured":
            found.append(f"{name} {e['status']}: {e.get('reason')}")
            continue
        s = e["samples"]
        if not s["t_s"] or len(s["heap_in_use"]) != len(s["t_s"]):
            found.append(f"{name}: not one heap reading per interval")
        if not all(r > 0 for r in s["requests_per_s"]):
            found.append(f"{name}: an interval without requests")
        if not e["passed"]:
            found.append(f"{name} failed: {e['errors']} errors, heap "
                         f"{e['heap_after_warmup']} -> {e['heap_at_end']} "
                         f"bytes ({e['heap_drift']:+.1%})")
    return found


def main(build, out):
    done = subprocess.run([sys.executable, "-m", "unibench", "soak",
                           "--quick", "--build", build, "--out", out])
    if done.returncode != 0:
        print(f"FAIL: unibench soak --quick exited with {done.returncode}")
        return 1
    with open(os.path.join(out, "results.json")) as f:
        servers = json.load(f)["studies"]["soak"]["servers"]
    found = problems(servers)
    if found:
        print("FAIL: " + "\n  ".join(found))
        return 1
    skipped = [f"{n}: {e['reason']}" for n, e in servers.items()
               if e["status"] == "skipped"]
    if skipped:
        print("SKIP: " + "\n  ".join(skipped))
        return 77
    print(f"ok: {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
