#!/usr/bin/env bash
# Without QEMU's isa-debug-exit device, as on a real PC, an image says how
# it ended on its last console line and powers the machine off through
# ACPI (-M pc) or, where there is no \_S5 (-M microvm), resets it: QEMU,
# told -no-reboot, then exits with 0.
#
#   exit_fallback.sh IMAGE MACHINE
set -u
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "SKIP: qemu-system-x86_64 is not installed"; exit 77; }
out=$(timeout 60 qemu-system-x86_64 -nodefaults -no-user-config -display none \
	-serial stdio -no-reboot -accel tcg -M "$2" -kernel "$1" \
	-append "faults status 42" </dev/null 2>&1)
status=$?
echo "$out"
[[ $status == 0 ]] || { echo "FAIL: QEMU exit status $status, want 0"; exit 1; }
grep -q '^baremetal: exit status 42; powering off$' <<<"$out" ||
	{ echo "FAIL: no final line"; exit 1; }
echo "ok: the final line and a machine that stopped on -M $2"
