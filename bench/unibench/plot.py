"""Plots rendered with gnuplot, each as SVG (for the web and docs) and PNG
(for anything else). The gnuplot script and its data are kept beside the
pictures, so a plot can be restyled and redrawn by hand."""
import os
import subprocess

from . import host


def available():
    return host.tool("gnuplot") is not None


def data_file(directory, name, rows):
    """Write rows (tuples) as a whitespace-separated data file; strings are
    quoted so gnuplot reads a name with spaces as one column."""
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        for row in rows:
            f.write(" ".join(f'"{v}"' if isinstance(v, str) else repr(v)
                             for v in row) + "\n")
    return path


def draw(directory, name, body, size=(900, 500)):
    """Render the gnuplot commands body to NAME.svg and NAME.png in
    directory; returns their paths, or raises RuntimeError with gnuplot's
    complaint. The body is given once per terminal, so it may be a
    multiplot."""
    width, height = size
    # noenhanced: case names such as static_hello are not subscripts.
    terminals = (
        ("svg", f"svg size {width},{height} dynamic noenhanced "
                f"font 'sans,12' background '#ffffff'"),
        ("png", f"pngcairo size {width},{height} noenhanced font 'sans,10'"),
    )
    script = "".join(f"reset\nset terminal {terminal}\n"
                     f"set output '{name}.{ext}'\n{body}\nunset output\n"
                     for ext, terminal in terminals)
    with open(os.path.join(directory, name + ".gp"), "w") as f:
        f.write(script)
    done = subprocess.run([host.tool("gnuplot"), name + ".gp"],
                          cwd=directory, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"gnuplot failed on {name}.gp: {done.stderr}")
    return [os.path.join(directory, f"{name}.{ext}") for ext, _ in terminals]
