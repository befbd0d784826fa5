#!/usr/bin/env bash
# virtio-blk: the blockio image reads a disk file the host filled with a
# pattern, writes its own pattern over some sectors and reads it back; the
# host then checks every byte of the file.
#
#   blockio.sh IMAGE LAUNCHER [LAUNCHER OPTIONS...]
set -u
image=$1
shift
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "SKIP: qemu-system-x86_64 is not installed"; exit 77; }
disk=$(mktemp "${TMPDIR:-/tmp}/unilab-disk.XXXXXX")
trap 'rm -f "$disk"' EXIT

disk_py=$(dirname "$0")/../../images/blockio/disk.py
"$disk_py" make "$disk"
out=$(timeout 60 "$@" "--disk=$disk" "$image" 2>&1)
status=$?
echo "$out"
[[ $status == 0 ]] || { echo "FAIL: exit status $status"; exit 1; }
grep -q '^blockio: ok$' <<<"$out" || { echo "FAIL: no 'blockio: ok'"; exit 1; }
"$disk_py" check "$disk" || exit 1
