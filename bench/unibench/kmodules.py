"""Kernel modules a Linux VM needs in its initramfs (Debian builds virtio as
modules), found with their dependencies through the kernel's modules.dep.
A module the kernel has built in (modules.builtin) needs no file: a kernel
configured that way boots the same initramfs without it."""
import lzma
import os

ROOT = "/lib/modules"


def _dependencies(version, root):
    """{module path: [paths it needs]} from ROOT/VERSION/modules.dep."""
    deps = {}
    with open(os.path.join(root, version, "modules.dep")) as f:
        for line in f:
            module, _, needs = line.partition(":")
            deps[module] = needs.split()
    return deps


def _builtin(version, root):
    """Names of the modules built into the kernel (none if it has no
    modules.builtin)."""
    try:
        with open(os.path.join(root, version, "modules.builtin")) as f:
            return {_name(line.strip()) for line in f if line.strip()}
    except FileNotFoundError:
        return set()


def _name(path):
    return os.path.basename(path).split(".ko")[0].replace("-", "_")


def load_order(version, names, root=ROOT):
    """The module files (paths under ROOT/VERSION) that load names, each
    after what it needs; built-in ones are left out. Raises ValueError for
    a module neither there nor built in."""
    deps = _dependencies(version, root)
    builtin = _builtin(version, root)
    by_name = {_name(path): path for path in deps}
    order = []

    def visit(path):
        if path in order:
            return
        for need in deps.get(path, []):
            visit(need)
        order.append(path)

    for name in names:
        if name in builtin and name not in by_name:
            continue
        if name not in by_name:
            raise ValueError(f"no module {name} for kernel {version}")
        visit(by_name[name])
    return order


def contents(version, path, root=ROOT):
    """A module file's bytes, uncompressed (busybox insmod wants them
    plain); raises ValueError for a compression Python cannot undo."""
    with open(os.path.join(root, version, path), "rb") as f:
        data = f.read()
    if path.endswith(".ko"):
        return data
    if path.endswith(".ko.xz"):
        return lzma.decompress(data)
    raise ValueError(f"{path}: compressed in a format we cannot unpack")
