"""hello, the Unilab app every backend boots, as one case per backend: posix
(a Linux process), kvm (under unilab-kvm), and the backends QEMU runs
(baremetal, xen) when their image and launcher are built."""
import glob
import os
import subprocess

from . import host
from .case import UNILAB, Case, Memory, Skipped

MARKER = "Hello from Unilab!"
KIB = 1024


def _image(settings, suffix):
    return settings.path("apps", "hello", "hello." + suffix)


def posix(settings):
    image = _image(settings, "posix")
    if not os.access(image, os.X_OK):
        return Skipped("hello.posix", UNILAB, f"{image} is not built")
    return Case(
        name="hello.posix", kind=UNILAB,
        what="hello on the posix backend (a Linux process)",
        argv=[image], expect=MARKER, files=[image],
        # --mem is the heap the core manages; below a few pages it panics.
        memory=Memory(argv=lambda kib: [image, f"--mem={kib}K"],
                      low=4, high=64 * KIB, step=4))


def kvm(settings):
    image = _image(settings, "kvm")
    monitor = settings.path("backends", "kvm", "unilab-kvm")
    why = next((f"{path} is not built" for path in (monitor, image)
                if not os.path.exists(path)), None) or host.kvm_usable()
    if why:
        return Skipped("hello.kvm", UNILAB, why)
    return Case(
        name="hello.kvm", kind=UNILAB,
        what="hello on the kvm backend, under the unilab-kvm monitor",
        argv=[monitor, image], expect=MARKER, files=[image],
        notes={"monitor": monitor},
        # The monitor accepts 256K..4G of guest memory: the search cannot
        # go below 256K.
        memory=Memory(argv=lambda kib: [monitor, f"--mem={kib}K", image],
                      low=256, high=4 * KIB, step=4))


def _xen_accelerator(launcher, image):
    return "tcg", ("run-xen.sh runs Xen under QEMU TCG, which boots it on "
                   "any host (Xen does not boot under a software KVM)")


def _asked_accelerator(launcher, image):
    """The accelerator the launcher picks, read from its --dry-run."""
    words = subprocess.run([launcher, "--dry-run", image],
                           capture_output=True, text=True).stdout.split()
    accel = words[words.index("-accel") + 1] if "-accel" in words[:-1] \
        else "unknown"
    return accel, (f"{os.path.basename(launcher)} chooses it: KVM only on "
                   f"hardware KVM (kvm_intel, kvm_amd), else TCG")


# The backends whose images QEMU boots through a launcher script in their
# folder (run*.sh IMAGE [ARGS], with --mem=SIZE, and --check saying why this
# machine cannot): (suffix, folder, what, how to tell QEMU's accelerator).
LAUNCHED = (
    ("bm", "baremetal", "hello on the baremetal backend, under QEMU",
     _asked_accelerator),
    ("xen", "xen", "hello under real Xen, as its first domain, in QEMU",
     _xen_accelerator),
)


def launched(settings, suffix, folder, what, accelerator):
    """The case for a launcher-run backend; none while the backend has no
    launcher in the tree (it is not written yet)."""
    launchers = sorted(glob.glob(os.path.join(settings.source, "backends",
                                              folder, "run*.sh")))
    if not launchers:
        return []
    launcher, image = launchers[0], _image(settings, suffix)
    name = "hello." + suffix
    if not os.path.exists(image):
        return [Skipped(name, UNILAB, f"{image} is not built")]
    check = subprocess.run([launcher, "--check"], capture_output=True,
                           text=True)
    if check.returncode != 0:
        return [Skipped(name, UNILAB, check.stdout.strip()
                        or f"{launcher} --check failed")]
    accel, why = accelerator(launcher, image)
    return [Case(
        name=name, kind=UNILAB, what=what, argv=[launcher, image],
        expect=MARKER, files=[image], timeout=120,
        notes={"launcher": launcher, "accelerator": accel,
               "accelerator_reason": why},
        # Whole MiB: QEMU's -m wants them.
        memory=Memory(
            argv=lambda kib: [launcher, f"--mem={kib // KIB}M", image],
            low=KIB, high=64 * KIB, step=KIB))]


def cases(settings):
    found = [posix(settings), kvm(settings)]
    for backend in LAUNCHED:
        found += launched(settings, *backend)
    return found
