#!/usr/bin/env bash
# Link every object of the freestanding core into one relocatable object and
# check that the only symbols it still needs are the platform seam
# (ul_plat_* in core/platform.h), the app's ul_main, and the optional hooks
# of the file system and the sockets (weak: present only when the image
# uses them).
set -eu
lib=$1 platform_h=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ld -r -o "$work/core.o" --whole-archive "$lib"
nm -u "$work/core.o" | awk '{print $2}' | sort > "$work/needed"
{ grep -oE '\bul_plat_[a-z_]+' "$platform_h"; echo ul_main; echo ul_fs_boot; echo ul_fs_shutdown;
  echo ul_sock_close; echo ul_file_close; } | sort -u > "$work/allowed"

extra=$(comm -23 "$work/needed" "$work/allowed")
if [ -n "$extra" ]; then
	echo "FAIL: the freestanding core needs symbols outside the platform seam:"
	echo "$extra"
	exit 1
fi
echo "ok: the freestanding core needs only: $(tr '\n' ' ' < "$work/needed")"
