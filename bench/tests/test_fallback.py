"""Unit tests of choosing how a baseline runs: the first way whose trial
run works, the Linux VM's ways in order (PVH on microvm, then the bzImage
on pc), a baseline that cannot run reported as unavailable rather than
failed, and kernel modules the kernel has built in."""
import os
import tempfile
import types
import unittest
from unittest import mock

from unibench import fallback, kmodules, linux_vm, run
from unibench.case import BASELINE, UNILAB, Case, Skipped
from unibench.studies import records


def outcome(status=0, output="", timed_out=False):
    return run.Outcome(ns=1, status=status, timed_out=timed_out,
                       output=output)


class FirstWorking(unittest.TestCase):
    def test_first_that_works_with_why_the_others_failed(self):
        ways = [fallback.Way("a", 1), fallback.Way("b", 2),
                fallback.Way("c", 3)]
        tried = []

        def trial(value):
            tried.append(value)
            return None if value >= 2 else f"{value} is too small"
        way, reasons = fallback.first_working(ways, trial)
        self.assertEqual(way.label, "b")
        self.assertEqual(reasons, ["a: 1 is too small"])
        self.assertEqual(tried, [1, 2])   # c is never tried

    def test_none_works(self):
        way, reasons = fallback.first_working(
            [fallback.Way("a", 1), fallback.Way("b", 2)], lambda v: "no")
        self.assertIsNone(way)
        self.assertEqual(reasons, ["a: no", "b: no"])

    def test_outcome_problem(self):
        self.assertIsNone(fallback.outcome_problem(
            outcome(output="boot\nHELLO\n"), "HELLO"))
        self.assertEqual(fallback.outcome_problem(outcome(), "HELLO"),
                         "exit status 0 without 'HELLO' (no output)")
        self.assertEqual(
            fallback.outcome_problem(outcome(1, "a\ntriple fault\n\n"), "X"),
            "exit status 1 (last output: triple fault)")
        self.assertTrue(fallback.outcome_problem(
            outcome(timed_out=True), "X").startswith("it did not finish"))


class LinuxVmWays(unittest.TestCase):
    """linux_vm.cases with a kernel, QEMU and busybox stood in for, and
    trial boots that fail the ways a test says."""

    def cases(self, failing, vm_accel="tcg", pvh=("/cache/vmlinux", None)):
        settings = types.SimpleNamespace(vm_accel=vm_accel, cache="/cache")
        tried = []

        def try_way(notes, initrd):
            tried.append((notes["machine"], notes["accelerator"]))
            return ("triple fault" if (notes["machine"], notes["accelerator"])
                    in failing else None)
        with mock.patch.object(linux_vm, "_newest_kernel",
                               return_value="/boot/vmlinuz-6.1.0-57-amd64"), \
                mock.patch.object(linux_vm, "_pvh_kernel",
                                  return_value=pvh), \
                mock.patch.object(linux_vm, "_initramfs",
                                  return_value="/cache/initramfs.cpio"), \
                mock.patch.object(linux_vm.host, "tool",
                                  return_value="/usr/bin/qemu"), \
                mock.patch.object(linux_vm.os.path, "exists",
                                  return_value=True), \
                mock.patch.object(linux_vm.elf, "is_static",
                                  return_value=True):
            return linux_vm.cases(settings, try_way), tried

    def test_pvh_on_microvm_first(self):
        (case,), tried = self.cases(failing=())
        self.assertIsInstance(case, Case)
        self.assertEqual(tried, [("microvm", "tcg")])
        self.assertEqual(case.notes["machine"], "microvm")
        self.assertEqual(case.notes["fallbacks"], [])
        self.assertIn("/cache/vmlinux", case.argv)

    def test_falls_back_to_the_bzimage_on_pc(self):
        (case,), tried = self.cases(failing={("microvm", "tcg")})
        self.assertEqual(tried, [("microvm", "tcg"), ("pc", "tcg")])
        self.assertEqual(case.notes["machine"], "pc")
        self.assertIn("/boot/vmlinuz-6.1.0-57-amd64", case.argv)
        self.assertIn("pc", case.argv)
        self.assertEqual(case.notes["boot_way"], "pc, the bzImage (TCG)")
        self.assertEqual(case.notes["fallbacks"], [
            "microvm, PVH entry of the extracted vmlinux (TCG): "
            "triple fault"])

    def test_no_pvh_entry_says_why(self):
        (case,), tried = self.cases(failing=(), pvh=(None, "no PVH note"))
        self.assertEqual(tried, [("pc", "tcg")])
        self.assertEqual(case.notes["fallbacks"],
                         ["microvm, PVH: no PVH note"])

    def test_hardware_kvm_then_tcg(self):
        with mock.patch.object(linux_vm.host, "hardware_kvm",
                               return_value=True), \
                mock.patch.object(linux_vm.host, "kvm_module",
                                  return_value="kvm_intel"):
            (case,), tried = self.cases(
                failing={("microvm", "kvm"), ("pc", "kvm")}, vm_accel="auto")
        self.assertEqual(tried, [("microvm", "kvm"), ("pc", "kvm"),
                                 ("microvm", "tcg")])
        self.assertEqual(case.notes["accelerator"], "tcg")
        self.assertEqual(case.notes["accelerator_reason"],
                         "trial boots under KVM failed")

    def test_nothing_boots_is_unavailable_with_every_reason(self):
        (case,), _ = self.cases(failing={("microvm", "tcg"), ("pc", "tcg")})
        self.assertIsInstance(case, Skipped)
        self.assertIn("microvm, PVH entry of the extracted vmlinux (TCG): "
                      "triple fault", case.reason)
        self.assertIn("pc, the bzImage (TCG): triple fault", case.reason)


class Unavailable(unittest.TestCase):
    def case(self, kind):
        return Case(name="x", kind=kind, what="x", argv=["/bin/true"],
                    expect="x", files=[])

    def test_a_baseline_that_fails_is_unavailable(self):
        entry = records.entry(self.case(BASELINE), "exit status 1")
        self.assertEqual(entry["status"], "skipped")
        self.assertEqual(entry["reason"], "unavailable here: exit status 1")

    def test_a_unilab_case_that_fails_fails(self):
        entry = records.entry(self.case(UNILAB), "exit status 1")
        self.assertEqual(entry["status"], "failed")
        self.assertEqual(entry["reason"], "exit status 1")


class BuiltinModules(unittest.TestCase):
    def test_builtin_modules_need_no_file(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "6.1"))
            with open(os.path.join(root, "6.1", "modules.dep"), "w") as f:
                f.write("kernel/virtio_net.ko: kernel/net_failover.ko\n"
                        "kernel/net_failover.ko:\n")
            with open(os.path.join(root, "6.1", "modules.builtin"), "w") as f:
                f.write("kernel/drivers/virtio/virtio_mmio.ko\n")
            self.assertEqual(
                kmodules.load_order("6.1", ["virtio_mmio", "virtio_net"],
                                    root),
                ["kernel/net_failover.ko", "kernel/virtio_net.ko"])
            with self.assertRaisesRegex(ValueError, "no module virtio_pci"):
                kmodules.load_order("6.1", ["virtio_pci"], root)


if __name__ == "__main__":
    unittest.main()
