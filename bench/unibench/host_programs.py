"""The two C programs in bench/, built by meson: static_hello, the least a
Linux process can do to say hello, and kvm_floor, the least a KVM monitor
can do to run a guest (create a VM, run `out; hlt`, exit)."""
import os

from . import host
from .case import BASELINE, FLOOR, Case, Skipped


def _built(settings, name):
    path = settings.path("bench", name)
    return path if os.access(path, os.X_OK) else None


def static_hello(settings):
    path = _built(settings, "static_hello")
    if not path:
        return Skipped("static_hello", BASELINE,
                       f"{settings.path('bench', 'static_hello')} is not built")
    return Case(name="static_hello", kind=BASELINE,
                what="a static C program that prints one line (a process)",
                argv=[path], expect="Hello from a static C program",
                files=[path])


def kvm_floor(settings):
    path = _built(settings, "kvm_floor")
    if not path:
        return Skipped("kvm_floor", FLOOR,
                       f"{settings.path('bench', 'kvm_floor')} is not built")
    why = host.kvm_usable()
    if why:
        return Skipped("kvm_floor", FLOOR, why)
    return Case(name="kvm_floor", kind=FLOOR,
                what="the raw KVM floor: create a VM, run `out; hlt`, exit",
                argv=[path], expect="", files=[path])


def cases(settings):
    return [static_hello(settings), kvm_floor(settings)]
