#!/usr/bin/env bash
# A launcher for ../run_case.sh that boots an image the way a real PC
# would: from a GRUB ISO (made here, with the words as the image's command
# line; GRUB boots it by multiboot) on QEMU's -M pc.
#
#   iso_boot.sh IMAGE [WORDS...]     or     iso_boot.sh --check
set -u
bm=$(cd "$(dirname "$0")/../../../backends/baremetal" && pwd)
if [[ ${1:-} == --check ]]; then
	for tool in qemu-system-x86_64 grub-mkrescue xorriso; do
		command -v $tool >/dev/null || { echo "$tool is not installed"; exit 1; }
	done
	[[ -d /usr/lib/grub/i386-pc ]] || { echo "grub-pc-bin is not installed"; exit 1; }
	exit 0
fi
image=$1
shift
iso=$(mktemp "${TMPDIR:-/tmp}/unilab-XXXXXX.iso")
trap 'rm -f "$iso"' EXIT
"$bm/make-iso.sh" "$image" "$iso" "$@" || exit 122
"$bm/run-qemu.sh" "$iso"
