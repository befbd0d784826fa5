"""Facts about this machine that decide which cases can run and how."""
import os
import shutil

KVM_MODULES = ("kvm_intel", "kvm_amd", "kvm_pvm")


def kvm_module():
    """The KVM module in use: kvm_intel, kvm_amd, kvm_pvm, or none. A loaded
    module shows up in /sys/module, whether or not lsmod is installed."""
    for name in KVM_MODULES:
        if os.path.isdir(os.path.join("/sys/module", name)):
            return name
    return "none"


def kvm_usable():
    """None if /dev/kvm can be opened read-write, else why not."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as error:
        return f"cannot open /dev/kvm: {error.strerror}"
    os.close(fd)
    return None


def hardware_kvm():
    """True when KVM runs guests on VMX/SVM, where a stock Linux boots. The
    software kvm_pvm cannot boot one (it stalls or fails to emulate)."""
    return kvm_module() in ("kvm_intel", "kvm_amd") and kvm_usable() is None


def tool(name):
    """The absolute path of a program on PATH (or in sbin), or None."""
    return shutil.which(name) or shutil.which(
        name, path="/usr/local/sbin:/usr/sbin:/sbin")


def missing(tools):
    """Why not, for the first of tools ((program, Debian package) pairs)
    that is not installed; None when all are."""
    for name, package in tools:
        if not tool(name):
            return f"{name} is not installed ({package})"
    return None


def is_root():
    return os.geteuid() == 0


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def cpu_khz():
    """The CPU clock in kHz as the kernel reports it, or None."""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("cpu MHz"):
                return int(float(line.split(":", 1)[1]) * 1000)
    return None
