"""Every case the harness knows, in the order the report lists them: the
Unilab images first, then the baselines, then the floor. Cases this
machine cannot run come back as Skipped, with why."""
from . import container, host_programs, linux_vm, unilab_images
from .case import KINDS


def collect(settings):
    found = (unilab_images.cases(settings) + host_programs.cases(settings)
             + container.cases(settings) + linux_vm.cases(settings))
    return sorted(found, key=lambda c: KINDS.index(c.kind))
