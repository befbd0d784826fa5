"""Generated baseline files, rebuilt only when what they come from changes."""
import os


def fresh(target, sources):
    """True when target exists and is newer than every source file."""
    try:
        built = os.stat(target).st_mtime
    except FileNotFoundError:
        return False
    return all(os.stat(s).st_mtime <= built for s in sources)


def write(target, data):
    """Write data to target atomically, so an interrupted run leaves no
    half-written file that looks fresh."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = target + ".partial"
    with open(partial, "wb") as f:
        f.write(data)
    os.replace(partial, target)
