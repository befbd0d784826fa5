"""Unit tests of choosing how a baseline runs: the first way whose trial
runs all work, the Linux VM's ways in order (PVH on microvm, then the
bzImage on pc) and its three trial boots, a study's failed run of a case
that may fail now and then run again and recorded, a baseline that cannot
run reported as unavailable rather than failed, and kernel modules the
kernel has built in."""
import os
import tempfile
import types
import unittest
from unittest import mock

from unibench import (env, fallback, kmodules, linux_vm, probes, report, run,
                      schedule)
from unibench.studies import latency
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

    def test_every_trial_run_must_work(self):
        runs = {"a": iter([None, None, "triple fault"]), "b": iter([None] * 3)}
        tried = []

        def trial(value):
            tried.append(value)
            return next(runs[value])
        way, reasons = fallback.first_working(
            [fallback.Way("A", "a"), fallback.Way("B", "b")], trial, runs=3)
        self.assertEqual(way.label, "B")
        self.assertEqual(reasons,
                         ["A: trial run 3 of 3 failed: triple fault"])
        self.assertEqual(tried, ["a"] * 3 + ["b"] * 3)

    def test_a_way_is_given_up_at_its_first_failed_run(self):
        tried = []

        def trial(value):
            tried.append(value)
            return "no" if value == "a" else None
        way, reasons = fallback.first_working(
            [fallback.Way("A", "a"), fallback.Way("B", "b")], trial, runs=3)
        self.assertEqual(way.label, "B")
        self.assertEqual(reasons, ["A: trial run 1 of 3 failed: no"])
        self.assertEqual(tried, ["a", "b", "b", "b"])

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

    def cases(self, failing, vm_accel="tcg", pvh=("/cache/vmlinux", None),
              fails_at=1):
        """failing: the (machine, accelerator) ways whose trial boot number
        fails_at (counted per way) faults; tried: each way once, in the
        order tried, whatever its number of boots."""
        settings = types.SimpleNamespace(vm_accel=vm_accel, cache="/cache")
        tried, boots = [], {}

        def try_way(notes, initrd):
            way = (notes["machine"], notes["accelerator"])
            boots[way] = boots.get(way, 0) + 1
            if boots[way] == 1:
                tried.append(way)
            return ("triple fault" if way in failing
                    and boots[way] == fails_at else None)
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
        self.assertEqual(case.notes["trial_boots"], 3)
        self.assertEqual(case.retries, linux_vm.RETRIES)

    def test_a_pvh_boot_that_fails_later_falls_back_to_pc(self):
        # Debian's 6.1.0-57: the PVH entry faults one boot in four, so a
        # first good boot does not keep it.
        for third in (2, 3):
            (case,), tried = self.cases(failing={("microvm", "tcg")},
                                        fails_at=third)
            self.assertEqual(tried, [("microvm", "tcg"), ("pc", "tcg")])
            self.assertEqual(case.notes["machine"], "pc")
            self.assertEqual(case.notes["fallbacks"], [
                f"microvm, PVH entry of the extracted vmlinux (TCG): "
                f"trial run {third} of 3 failed: triple fault"])

    def test_falls_back_to_the_bzimage_on_pc(self):
        (case,), tried = self.cases(failing={("microvm", "tcg")})
        self.assertEqual(tried, [("microvm", "tcg"), ("pc", "tcg")])
        self.assertEqual(case.notes["machine"], "pc")
        self.assertIn("/boot/vmlinuz-6.1.0-57-amd64", case.argv)
        self.assertIn("pc", case.argv)
        self.assertEqual(case.notes["boot_way"], "pc, the bzImage (TCG)")
        self.assertEqual(case.notes["fallbacks"], [
            "microvm, PVH entry of the extracted vmlinux (TCG): "
            "trial run 1 of 3 failed: triple fault"])

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
                      "trial run 1 of 3 failed: triple fault", case.reason)
        self.assertIn("pc, the bzImage (TCG): trial run 1 of 3 failed: "
                      "triple fault", case.reason)

    def test_the_report_says_which_way_and_why(self):
        (case,), _ = self.cases(failing={("microvm", "tcg")}, fails_at=2)
        case.failed_runs.append("exit status 0 without 'Hello' (no output)")
        document = {"qemu_accelerators": env.qemu_accelerators([case]),
                    "runs_run_again": env.runs_run_again([case])}
        rows = report.qemu_rows(document)
        self.assertIn("| boot way (linux-vm) | pc, the bzImage (TCG) — kept "
                      "after 3 good trial boots in a row — tried first: "
                      "microvm, PVH entry of the extracted vmlinux (TCG): "
                      "trial run 2 of 3 failed: triple fault |", rows)
        self.assertIn("| runs failed and run again (linux-vm) | 1: exit "
                      "status 0 without 'Hello' (no output) |", rows)


class RunAgain(unittest.TestCase):
    """schedule.attempt runs a case that may fail now and then once more
    after a failure, as long as its retries last, and keeps why."""

    def case(self, retries):
        return Case(name="x", kind=BASELINE, what="x", argv=["/bin/x"],
                    expect="OK", files=[], retries=retries)

    def attempt(self, case, outputs, **kwargs):
        runs = iter(outputs)
        with mock.patch.object(schedule.run, "execute",
                               side_effect=lambda *a, **k: outcome(
                                   output=next(runs))):
            return schedule.attempt(case, capture=True, **kwargs)

    def test_a_failed_run_is_run_again_and_recorded(self):
        case = self.case(retries=2)
        self.assertIn("OK", self.attempt(case, ["", "", "OK"]).output)
        self.assertEqual(case.failed_runs, ["no 'OK' in its output:"] * 2)

    def test_retries_last_the_whole_run_then_the_failure_counts(self):
        case = self.case(retries=2)
        self.attempt(case, ["", "OK"])
        with self.assertRaises(schedule.Failure):
            self.attempt(case, ["", "", "OK"])
        self.assertEqual(len(case.failed_runs), 2)

    def test_no_retries_fails_at_once(self):
        case = self.case(retries=0)
        with self.assertRaises(schedule.Failure):
            self.attempt(case, ["", "OK"])
        self.assertEqual(case.failed_runs, [])

    def test_not_again_when_asked(self):
        case = self.case(retries=3)
        with self.assertRaises(schedule.Failure):
            self.attempt(case, ["", "OK"], again=False)
        self.assertEqual(case.failed_runs, [])


class LatencyServerAgain(unittest.TestCase):
    """The latency study starts a server whose boot failed again, while its
    case's retries last."""

    def wait(self, retries, answers):
        case = Case(name="linux-vm", kind=BASELINE, what="x", argv=["/x"],
                    expect="x", files=[], retries=retries)
        made, stopped, answer = [], [], iter(answers)

        def server():
            made.append(types.SimpleNamespace(
                stop=lambda: stopped.append(len(made))))
            return made[-1]

        def ready(_):
            if not next(answer):
                raise probes.Failure("qemu-system-x86_64 ended with status 0")
        with mock.patch.object(latency.servers, "wait_ready",
                               side_effect=ready):
            try:
                return latency._wait(server(), case, server), case, made, \
                    stopped
            except probes.Failure:
                return None, case, made, stopped

    def test_started_again_after_a_failed_boot(self):
        got, case, made, stopped = self.wait(3, [False, True])
        self.assertIs(got, made[1])
        self.assertEqual(stopped, [1])
        self.assertEqual(case.failed_runs, [
            "latency server: qemu-system-x86_64 ended with status 0"])

    def test_given_up_when_retries_are_spent(self):
        got, case, made, stopped = self.wait(1, [False, False, True])
        self.assertIsNone(got)
        self.assertEqual((len(made), stopped, len(case.failed_runs)),
                         (2, [1, 2], 1))


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
