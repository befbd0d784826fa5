"""The source tree as the labs see it: which files hold regions, stripping
them in place, and the git branch a lab is done on."""
import subprocess
from pathlib import Path

from . import markers


def git(root, *args, check=True):
    return subprocess.run(["git", "-C", str(root), *args], check=check,
                          capture_output=True, text=True)


def source_files(root):
    """The files git tracks that mention a lab region."""
    out = git(root, "grep", "-l", "-E", r"(/\*|#) LAB [a-z0-9.-]+ BEGIN", check=False).stdout
    return [Path(root, p) for p in out.split()]


def regions(root):
    """Every region in the tree, as (path, Region)."""
    found = []
    for path in source_files(root):
        rel = str(path.relative_to(root))
        found += [(rel, r) for r in markers.find_regions(path.read_text(), rel)]
    return found


def strip_tree(root, names):
    """Strip the regions of the labs or parts in names, in place; returns
    how many regions went, per file."""
    done = {}
    for path in source_files(root):
        rel = str(path.relative_to(root))
        text, count = markers.strip(path.read_text(), names, rel)
        if count:
            path.write_text(text)
            done[rel] = count
    return done


def branch(lab_name):
    return f"lab/{lab_name}"


def current_branch(root):
    return git(root, "rev-parse", "--abbrev-ref", "HEAD", check=False).stdout.strip()


def branch_exists(root, name):
    return git(root, "rev-parse", "--verify", "--quiet", name, check=False).returncode == 0
