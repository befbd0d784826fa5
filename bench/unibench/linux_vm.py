"""The full-VM baseline: QEMU boots Debian's kernel with a busybox
initramfs whose /init prints a line and powers off. Each way is tried with
trial boots, best first, and the first whose TRIAL_BOOTS boots all work is
used: microvm with a PVH boot of the uncompressed kernel (the fastest way
QEMU boots Linux), then the pc machine with the bzImage (some kernels
fault on the PVH entry, some only now and then: Debian's 6.1.0-57 in
about one boot in four, with no word from QEMU); KVM when it is hardware
KVM, then TCG. A study's boot that fails all the same is run again, up to
RETRIES times in a bench run, and the failures are recorded."""
import glob
import os
import re

from . import cache, elf, fallback, host, initramfs, kmodules, run, vmlinux
from .case import BASELINE, Case, Memory, Skipped

NAME = "linux-vm"
MARKER = "Hello from a Linux VM"
MEMORY_MIB = 128
BUSYBOX = "/bin/busybox"
TRIAL_SECONDS = 120  # a TCG boot takes seconds; more on a loaded machine
TRIAL_BOOTS = 3      # good boots in a row that keep a way
RETRIES = 3          # failed study boots run again, per bench run


def _newest_kernel():
    def version(path):
        digits = re.findall(r"\d+", os.path.basename(path))
        return [int(d) for d in digits]
    kernels = sorted(glob.glob("/boot/vmlinuz-*"), key=version)
    return kernels[-1] if kernels else None


def _initramfs(settings):
    target = os.path.join(settings.cache, "initramfs.cpio")
    # This file holds the script, initramfs.py the archive's layout.
    if not cache.fresh(target, [BUSYBOX, __file__, initramfs.__file__]):
        with open(BUSYBOX, "rb") as f:
            cache.write(target, initramfs.archive(
                {"bin/busybox": f.read()},
                f"/bin/busybox echo {MARKER}\n/bin/busybox poweroff -f\n"))
    return target


def _pvh_kernel(settings, bzimage):
    """The cached vmlinux of bzimage, or None (with why) if it cannot be
    extracted or has no PVH entry."""
    target = os.path.join(settings.cache,
                          "vmlinux-" + os.path.basename(bzimage)[8:])
    if cache.fresh(target, [bzimage]):
        return target, None
    with open(bzimage, "rb") as f:
        try:
            kernel = vmlinux.extract(f.read())
        except ValueError as error:
            return None, str(error)
    if not elf.has_pvh_entry(kernel):
        return None, "the kernel has no PVH entry note"
    cache.write(target, kernel)
    return target, None


def command(notes, initrd, mib, extra=(), append_extra=""):
    """QEMU's command line for the VM the notes of the linux-vm case
    describe (its qemu, machine, accelerator and kernel), with initrd, mib
    MiB of memory, extra QEMU arguments and extra kernel parameters."""
    append = "console=ttyS0 quiet panic=-1" + append_extra
    if notes["machine"] == "microvm":
        # microvm has the legacy PIT, PIC and RTC only when asked; and
        # without a known TSC rate, PIT calibration can hang under TCG.
        board = "microvm,pit=on,pic=on,rtc=on"
        append += " pci=off"
        khz = host.cpu_khz()
        if khz:
            append += f" tsc_early_khz={khz}"
    else:
        board = "pc"
    accel = notes["accelerator"]
    return [notes["qemu"], "-M", board, "-accel", accel,
            "-cpu", "host" if accel == "kvm" else "max",
            "-m", f"{mib}M", "-smp", "1", "-nodefaults", "-no-user-config",
            "-display", "none", "-serial", "stdio", "-no-reboot",
            "-kernel", notes["booted"], "-initrd", initrd,
            "-append", append] + list(extra)


def _accelerators(settings):
    """The accelerators to try, best first, each with why it is the one if
    it is used: --vm-accel decides; else KVM then TCG where KVM is
    hardware KVM, TCG alone otherwise (a software KVM such as kvm_pvm
    cannot boot a stock Linux)."""
    if settings.vm_accel != "auto":
        return [(settings.vm_accel, "chosen with --vm-accel")]
    module = host.kvm_module()
    if not host.hardware_kvm():
        return [("tcg", "kvm_pvm (a software KVM) cannot boot a stock Linux "
                        "kernel" if module == "kvm_pvm"
                 else f"no usable hardware KVM ({module})")]
    return [("kvm", f"{module}: a trial boot under KVM succeeded"),
            ("tcg", "trial boots under KVM failed")]


def ways(settings, qemu, bzimage):
    """The ways to boot the kernel, best first, as fallback.Ways whose
    values are the case's notes; and why there is no PVH way, or None."""
    vmlinux_file, why_not_pvh = _pvh_kernel(settings, bzimage)
    base = {"qemu": qemu, "kernel": bzimage,
            "version": os.path.basename(bzimage)[8:]}
    result = []
    for accel, why in _accelerators(settings):
        notes = dict(base, accelerator=accel, accelerator_reason=why)
        if vmlinux_file:
            result.append(fallback.Way(
                f"microvm, PVH entry of the extracted vmlinux "
                f"({accel.upper()})",
                dict(notes, machine="microvm", booted=vmlinux_file)))
        result.append(fallback.Way(
            f"pc, the bzImage ({accel.upper()})",
            dict(notes, machine="pc", booted=bzimage)))
    return result, why_not_pvh


def trial(notes, initrd):
    """None if QEMU boots the way notes say to the marker, else why not."""
    outcome = run.execute(command(notes, initrd, MEMORY_MIB),
                          timeout=TRIAL_SECONDS, capture=True)
    return fallback.outcome_problem(outcome, MARKER)


def cases(settings, try_way=trial):
    qemu = host.tool("qemu-system-x86_64")
    bzimage = _newest_kernel()
    missing = [why for ok, why in (
        (qemu, "qemu-system-x86_64 is not installed (qemu-system-x86)"),
        (bzimage, "no kernel in /boot (linux-image-amd64)"),
        (os.path.exists(BUSYBOX) and elf.is_static(BUSYBOX),
         f"no static {BUSYBOX} (busybox-static)"),
    ) if not ok]
    if missing:
        return [Skipped(NAME, BASELINE, "; ".join(missing))]

    initrd = _initramfs(settings)
    candidates, why_not_pvh = ways(settings, qemu, bzimage)
    way, failed = fallback.first_working(
        candidates, lambda notes: try_way(notes, initrd), TRIAL_BOOTS)
    if why_not_pvh:
        failed.insert(0, f"microvm, PVH: {why_not_pvh}")
    if way is None:
        return [Skipped(NAME, BASELINE, "no way to boot Debian's kernel "
                        "worked: " + "; ".join(failed))]
    notes = dict(way.value, boot_way=way.label, fallbacks=failed,
                 trial_boots=TRIAL_BOOTS)
    if failed:
        notes["machine_reason"] = failed[0]
    return [Case(
        name=NAME, kind=BASELINE,
        what=f"QEMU {notes['machine']} ({notes['accelerator'].upper()}), "
             f"Debian's kernel {notes['version']}, busybox initramfs",
        argv=command(notes, initrd, MEMORY_MIB), expect=MARKER,
        files=[notes["booted"], initrd], timeout=120, notes=notes,
        retries=RETRIES,
        memory=Memory(argv=lambda kib: command(notes, initrd, kib // 1024),
                      low=8 * 1024, high=MEMORY_MIB * 1024, step=1024))]


# The latency study's VM: busybox httpd and udp_echo, its address taken
# from the kernel command line (unibench.ip=ADDR/PREFIX).
SERVER_INIT = """{insmod}
/bin/busybox mkdir -p /proc
/bin/busybox mount -t proc proc /proc
for word in $(/bin/busybox cat /proc/cmdline); do
	case $word in unibench.ip=*) address=${{word#unibench.ip=}} ;; esac
done
/bin/busybox ip link set lo up
/bin/busybox ip addr add $address dev eth0
/bin/busybox ip link set eth0 up
/bin/busybox httpd -p 80 -h /www
exec /bin/udp_echo 7
"""


def server_command(settings, case, tap, address, udp_echo, page):
    """QEMU's command line for the latency study's VM, like the linux-vm
    case's, with a virtio-net device on the TAP device tap. Debian builds
    virtio as modules, so they go into this initramfs with what they need;
    raises ValueError if they cannot."""
    version = case.notes["version"]
    transport = "virtio_mmio" if case.notes["machine"] == "microvm" \
        else "virtio_pci"
    modules = kmodules.load_order(version, [transport, "virtio_net"])
    files = {f"lib/modules/{os.path.basename(m)}":
             kmodules.contents(version, m) for m in modules}
    for path, source in (("bin/busybox", BUSYBOX), ("bin/udp_echo", udp_echo),
                         (f"www/{os.path.basename(page)}", page)):
        with open(source, "rb") as f:
            files[path] = f.read()
    insmod = "\n".join(f"/bin/busybox insmod /lib/modules/"
                        f"{os.path.basename(m)}" for m in modules)
    initrd = os.path.join(settings.cache, "initramfs-server.cpio")
    cache.write(initrd, initramfs.archive(
        files, SERVER_INIT.format(insmod=insmod)))
    device = ("virtio-net-device" if case.notes["machine"] == "microvm"
              else "virtio-net-pci")
    return command(case.notes, initrd, MEMORY_MIB,
                   extra=["-netdev", f"tap,id=net0,ifname={tap},script=no,"
                                     f"downscript=no",
                          "-device", f"{device},netdev=net0"],
                   append_extra=f" unibench.ip={address}/24")
