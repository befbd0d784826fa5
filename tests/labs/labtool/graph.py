"""`./unilab graph APP`: what an image is made of, drawn with Graphviz.

Every function in the image is charged to the source file it came from
(read from the image's own debug line table with `nm -l`), files are
grouped by the part of Unilab they belong to (the app, the network stack,
the file systems, the core, the backend), and each box is sized by its
code bytes. The image is built in a build directory of its own with debug
information kept (-Dimage_debug_info=true): the code is the same as the
everyday build's, only the DWARF stays."""
import argparse
import math
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SUFFIX = {"posix": "posix", "kvm": "kvm", "baremetal": "bm", "bm": "bm", "xen": "xen"}
TEXT_TYPES = set("tTwW")  # code symbols in nm's letters


def part_of(path):
    """The part of Unilab a source file belongs to: 'net', 'core',
    'backends/kvm', 'apps/httpd', ...; None outside the tree."""
    try:
        rel = Path(path).resolve().relative_to(ROOT)
    except ValueError:
        return None
    top = rel.parts[0]
    if top in ("backends", "apps") and len(rel.parts) > 2:
        return f"{top}/{rel.parts[1]}"
    return top


def text_section(image):
    """(address, size) of the image's .text section."""
    out = subprocess.run(["size", "-A", "-d", str(image)], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[0] == ".text":
            return int(fields[2]), int(fields[1])
    sys.exit(f"unilab graph: {image} has no .text section")


def code_by_file(image):
    """{source file (relative to the tree, or a name outside it): bytes}
    of the image's .text. Each function owns the bytes from its address to
    the next function's, so assembly without sizes and the padding between
    functions are counted too."""
    start, size = text_section(image)
    out = subprocess.run(["nm", "-n", "-l", "--defined-only", str(image)],
                         capture_output=True, text=True, check=True).stdout
    symbols = []
    for line in out.splitlines():
        fields = line.split(None, 3)
        if len(fields) < 3 or fields[1] not in TEXT_TYPES:
            continue
        addr = int(fields[0], 16)
        if start <= addr < start + size:
            where = fields[3].rsplit(":", 1)[0] if len(fields) == 4 else ""
            symbols.append((addr, where))
    sizes = defaultdict(int)
    ends = [a for a, _ in symbols[1:]] + [start + size]
    if symbols:
        sizes[symbols[0][1]] += symbols[0][0] - start  # before the first symbol
    for (addr, where), end in zip(symbols, ends):
        sizes[where] += end - addr
    return {name_of(where): n for where, n in sizes.items() if n}


def name_of(where):
    """A source path relative to the tree, or what kind of code it is."""
    if where and part_of(where):
        return str(Path(where).resolve().relative_to(ROOT))
    if where:
        return "(C library, runtime)"
    return "(no line info)"


def text_size(image):
    return text_section(image)[1]


def human(n):
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} B"


ROW = 8  # boxes per row inside a part

# Parts from the app at the top down to the machine, for the drawing's order.
LAYERS = ["apps", "net", "fs", "debugger", "core", "backends"]


def layer(part):
    top = part.split("/")[0]
    return LAYERS.index(top) if top in LAYERS else len(LAYERS)


def dot(app, backend, sizes):
    parts = defaultdict(dict)
    for path, size in sizes.items():
        parts["other" if path.startswith("(") else part_of(ROOT / path)][path] = size
    total = sum(sizes.values())
    lines = ["digraph image {", "  rankdir=TB; node [shape=box, style=filled, fontname=Helvetica];",
             f'  label="{app}.{SUFFIX[backend]}: {human(total)} of code in '
             f'{len(sizes)} files"; labelloc=t; fontname=Helvetica;']
    order = sorted(parts, key=lambda p: (layer(p), p))
    for i, part in enumerate(order):
        files = sorted(parts[part].items(), key=lambda kv: -kv[1])
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f'    label="{part}/ ({human(sum(parts[part].values()))})"; '
                     f'style=rounded; color=gray50;')
        for path, size in files:
            side = 0.9 + 0.5 * math.sqrt(size / 1024)  # area grows with bytes
            name = Path(path).name if part != "other" else path.strip("()")
            lines.append(f'    "{path}" [label="{name}\\n{human(size)}", width={side:.2f}, '
                         f'height={side * 0.5:.2f}, fixedsize=true, fontsize=9, '
                         f'fillcolor="/pastel19/{i % 9 + 1}"];')
        # Rows of ROW boxes: each box sits above the one ROW places on.
        for (a, _), (b, _) in zip(files, files[ROW:]):
            lines.append(f'    "{a}" -> "{b}" [style=invis];')
        lines.append("  }")
    # Invisible edges stack the parts from the app down to the backend.
    lasts = [max(parts[p], key=parts[p].get) for p in order]
    firsts = [min(parts[p], key=parts[p].get) for p in order]
    for a, b in zip(firsts, lasts[1:]):
        lines.append(f'  "{a}" -> "{b}" [style=invis];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_image(build, app, suffix):
    """Configure (once) a build with debug information kept, and build
    only APP's image for the backend; returns its path."""
    if not (build / "meson-private" / "coredata.dat").is_file():
        subprocess.run(["meson", "setup", str(build), "-Dimage_debug_info=true"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    target = f"apps/{app}/{app}.{suffix}"
    proc = subprocess.run(["meson", "compile", "-C", str(build), target],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"unilab graph: building {target} failed:\n{proc.stdout}{proc.stderr}")
    return build / target


def main(argv):
    p = argparse.ArgumentParser(prog="./unilab graph",
                                description="Draw what an image is made of, sized by code bytes.")
    p.add_argument("app")
    p.add_argument("--backend", default="kvm", choices=sorted(SUFFIX))
    p.add_argument("--build", default="build", help="the everyday build (the graph's is BUILD-graph)")
    p.add_argument("--out", help="where DOT and SVG go (default: BUILD/graph)")
    args = p.parse_args(argv)
    if not (ROOT / "apps" / args.app / "meson.build").is_file():
        apps = " ".join(sorted(d.name for d in (ROOT / "apps").iterdir() if (d / "meson.build").is_file()))
        sys.exit(f"unilab graph: unknown app '{args.app}'; the apps are: {apps}")
    build = ROOT / f"{args.build}-graph"
    image = build_image(build, args.app, SUFFIX[args.backend])
    sizes = code_by_file(image)
    out = Path(args.out) if args.out else ROOT / args.build / "graph"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{args.app}.{SUFFIX[args.backend]}"
    Path(f"{stem}.dot").write_text(dot(args.app, args.backend, sizes))
    svg = subprocess.run(["dot", "-Tsvg", f"{stem}.dot", "-o", f"{stem}.svg"],
                         capture_output=True, text=True)
    if svg.returncode != 0:
        sys.exit(f"unilab graph: dot failed: {svg.stderr}")
    counted, text = sum(sizes.values()), text_size(image)
    print(f"{stem}.dot\n{stem}.svg")
    print(f"{human(counted)} of code in {len(sizes)} files; the image's .text is "
          f"{human(text)} ({100 * counted / max(text, 1):.1f}% accounted for)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
