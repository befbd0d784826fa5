"""Lab regions in the real source, and the student's version without them.

A region is what a student writes. In C and assembly:

    /* LAB heap BEGIN: one or more lines of hint
     * for the student */
    ...the solution...
    /* LAB heap END: stub code that compiles and fails clearly; */

and in Python, shell or meson files, with one-line markers:

    # LAB experiment BEGIN: hint
    ...the solution...
    # LAB experiment END: stub

The END's stub is optional (nothing then takes the region's place). A
region's name is a lab's name, or LAB.PART for a part of it: stripping a
lab strips all its parts; stripping one part leaves a partial solution (the
graders use that to check that the points add up)."""
import re
from dataclasses import dataclass

NAME = r"(?P<name>[a-z0-9-]+(?:\.[a-z0-9-]+)?)"
# What follows BEGIN or END: ": text" (which may go on over more lines in
# C), a bare end of comment, or nothing.
C_REST = r"(?::\s?(?P<text>.*)|\s*\*/\s*)?$"
C_BEGIN = re.compile(r"^(?P<indent>\s*)/\* LAB " + NAME + r" BEGIN" + C_REST)
C_END = re.compile(r"^(?P<indent>\s*)/\* LAB " + NAME + r" END" + C_REST)
HASH_BEGIN = re.compile(r"^(?P<indent>\s*)# LAB " + NAME + r" BEGIN(?::\s?(?P<text>.*))?$")
HASH_END = re.compile(r"^(?P<indent>\s*)# LAB " + NAME + r" END(?::\s?(?P<text>.*))?$")

# Files whose regions use C comments; every other file uses '#'.
C_SUFFIXES = (".c", ".h", ".S")


class MarkerError(Exception):
    """A region that does not open and close properly: path:line: why."""


@dataclass
class Region:
    name: str
    first: int        # line index of BEGIN (0-based)
    last: int         # line index of the END comment's last line
    indent: str
    hint: list        # the BEGIN comment's lines, "BEGIN" taken out
    stub: list        # the END comment's code, one string a line

    def lab(self):
        return self.name.split(".")[0]


def _comment(lines, i, path, style_c):
    """The comment that starts on line i: (text lines, index of its last
    line). C comments may go on over several lines until */; '#' ones are
    one line."""
    if not style_c:
        return [lines[i]], i
    j = i
    while "*/" not in lines[j]:
        j += 1
        if j == len(lines):
            raise MarkerError(f"{path}:{i + 1}: a LAB comment is never closed with */")
    return lines[i:j + 1], j


def _stub(comment_lines, match, style_c):
    """The code an END comment carries, with the comment's punctuation
    taken off."""
    text = [match.group("text") or ""] + [l.strip() for l in comment_lines[1:]]
    if style_c:
        text[-1] = text[-1].rsplit("*/", 1)[0]
        text = [t[2:] if t.startswith("* ") else t for t in text]
    return [t.rstrip() for t in text if t.strip()]


def find_regions(text, path="<text>"):
    """Every region of the file's text, in order, checked for nesting and
    for a matching END."""
    style_c = path.endswith(C_SUFFIXES)
    begin_re, end_re = (C_BEGIN, C_END) if style_c else (HASH_BEGIN, HASH_END)
    lines = text.split("\n")
    regions, open_region, i = [], None, 0
    while i < len(lines):
        b, e = begin_re.match(lines[i]), end_re.match(lines[i])
        if b:
            if open_region:
                raise MarkerError(f"{path}:{i + 1}: LAB {b.group('name')} begins inside "
                                  f"LAB {open_region.name} (line {open_region.first + 1})")
            comment, last = _comment(lines, i, path, style_c)
            hint = [comment[0].replace(f"LAB {b.group('name')} BEGIN", f"LAB {b.group('name')}", 1)]
            open_region = Region(b.group("name"), i, -1, b.group("indent"),
                                 hint + comment[1:], [])
            i = last + 1
            continue
        if e:
            if not open_region or open_region.name != e.group("name"):
                raise MarkerError(f"{path}:{i + 1}: LAB {e.group('name')} END without its BEGIN")
            comment, last = _comment(lines, i, path, style_c)
            open_region.stub = _stub(comment, e, style_c)
            open_region.last = last
            regions.append(open_region)
            open_region = None
            i = last + 1
            continue
        i += 1
    if open_region:
        raise MarkerError(f"{path}:{open_region.first + 1}: LAB {open_region.name} never ends")
    return regions


def selected(region, names):
    """Whether stripping `names` (labs or lab parts) takes this region."""
    return any(region.name == n or region.lab() == n for n in names)


def strip(text, names, path="<text>"):
    """The text with the chosen regions replaced by their hint and stub;
    other labs' regions stay as they are, so a student can start the next
    lab from this one's branch. Returns (text, count)."""
    lines = text.split("\n")
    out, at, count = [], 0, 0
    for r in find_regions(text, path):
        if not selected(r, names):
            continue
        out += lines[at:r.first]
        out += r.hint
        out += [r.indent + s for s in r.stub]
        at = r.last + 1
        count += 1
    out += lines[at:]
    return "\n".join(out), count
