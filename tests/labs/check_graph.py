#!/usr/bin/env python3
"""`./unilab graph`'s test: the drawings of hello.kvm and httpd.kvm render
with dot, their boxes add up to the image's .text size within 5%, and they
contain what each image uses and nothing it does not (hello has no network
stack; httpd has TCP).

    check_graph.py BUILD_DIR OUT_DIR
"""
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from labtool import graph  # noqa: E402

UNITS = {"B": 1, "KiB": 1024}


def fail(why):
    sys.exit(f"FAIL: {why}")


def boxes(dot_text):
    """{file: bytes} from the DOT file's box labels."""
    found = {}
    for path, size, unit in re.findall(r'^\s+"([^"]+)" \[label="[^"\\]*\\n([\d.]+) (B|KiB)"',
                                       dot_text, re.M):
        found[path] = float(size) * UNITS[unit]
    return found


def check(build, out, app, present, absent):
    proc = subprocess.run([sys.executable, "-m", "labtool.graph", "--build", build,
                           "--out", out, app, "--backend=kvm"],
                          capture_output=True, text=True, env={"PYTHONPATH": str(Path(__file__).parent),
                                                               "PATH": "/usr/bin:/bin:/usr/local/bin"})
    if proc.returncode != 0:
        fail(f"graph {app} failed:\n{proc.stdout}{proc.stderr}")
    dot_file, svg = Path(out, f"{app}.kvm.dot"), Path(out, f"{app}.kvm.svg")
    if not svg.is_file() or "<svg" not in svg.read_text():
        fail(f"no SVG drawn for {app}")
    sizes = boxes(dot_file.read_text())
    image = Path(f"{build}-graph", "apps", app, f"{app}.kvm")
    text = graph.text_size(image)
    total = sum(sizes.values())
    if abs(total - text) > 0.05 * text:
        fail(f"{app}: boxes add up to {total:.0f} bytes, the .text is {text}")
    for f in present:
        if f not in sizes:
            fail(f"{app}: no box for {f}")
    for prefix in absent:
        if any(p.startswith(prefix) for p in sizes):
            fail(f"{app}: has code from {prefix}, which it does not use")
    print(f"ok: {app}.kvm: {len(sizes)} boxes, {total:.0f} of {text} .text bytes")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    build, out = argv[1], argv[2]
    check(build, out, "hello", ["apps/hello/main.c", "core/printf.c"], ["net/"])
    check(build, out, "httpd", ["apps/httpd/main.c", "net/tcp_input.c", "core/sched.c"], [])


if __name__ == "__main__":
    main(sys.argv)
