#!/usr/bin/env bash
# Make a bootable GRUB rescue ISO of a baremetal image, for a CD, a USB
# stick (dd it onto the whole device) or QEMU's -cdrom: GRUB (BIOS) boots
# the image at once by multiboot, with the words given as its command line.
#
#   make-iso.sh IMAGE OUTPUT.iso [CORE OPTIONS] [APP ARGS]
set -euo pipefail

die() {
	printf 'make-iso.sh: %s\n' "$*" >&2
	exit 1
}

usage="usage: make-iso.sh IMAGE OUTPUT.iso [CORE OPTIONS] [APP ARGS]"
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
	printf '%s\n\n%s\n' "$usage" \
		"Makes OUTPUT.iso, a GRUB (BIOS) ISO that boots IMAGE (APP.bm) with the
words as its command line: boot it with run-qemu.sh OUTPUT.iso, or write
it onto a USB stick (the whole device) and boot a PC from it."
	exit 0
fi
(($# >= 2)) || die "$usage (see --help)"
image=$1 output=$2
shift 2
[[ -f $image ]] || die "no such image: $image"
for tool in grub-mkrescue:grub-common xorriso:xorriso; do
	command -v "${tool%%:*}" >/dev/null ||
		die "${tool%%:*} is not installed (Debian package ${tool#*:}; ./unilab setup installs it)"
done
[[ -d /usr/lib/grub/i386-pc ]] ||
	die "GRUB's BIOS modules are not installed (Debian package grub-pc-bin)"
# GRUB re-joins the words of its multiboot line with blanks and has quoting
# rules of its own: only plain words pass through unchanged.
for w in "$@"; do
	[[ $w =~ ^[][A-Za-z0-9_.,:=+/@%^~-]+$ ]] ||
		die "'$w': only words without blanks, quotes or backslashes pass through GRUB"
done

name=$(basename "$image" .bm)
tree=$(mktemp -d "${TMPDIR:-/tmp}/unilab-iso.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/boot/grub"
cp "$image" "$tree/boot/$name.bm"
# The command line's first word names the app (bootinfo.c); GRUB passes
# only the words after the file, so the file comes twice.
cat >"$tree/boot/grub/grub.cfg" <<EOF
set timeout=0
menuentry "Unilab: $name" {
	multiboot /boot/$name.bm /boot/$name.bm $*
	boot
}
EOF
if ! log=$(grub-mkrescue -o "$output" "$tree" 2>&1); then
	printf '%s\n' "$log" >&2
	die "grub-mkrescue failed"
fi
