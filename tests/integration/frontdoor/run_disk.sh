#!/usr/bin/env bash
# ./unilab run APP --backend=B --disk=FILE (and --disk FILE, a path from
# where ./unilab is run): each disk reaches the image as a block device.
#
#   run_disk.sh BUILD_DIR SOURCE_DIR BACKEND
. "$(dirname "$0")/lib.sh"
backend=$3
need_backend "$backend"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
truncate -s 64K "$tmp/one.img" "$tmp/two.img"
out=$(cd "$tmp" && "$SRC/unilab" run hello --backend="$backend" --disk=one.img \
	--disk "$tmp/two.img" -- loglevel=debug 2>&1) ||
	fail "hello with two disks on $backend: $out"
grep -q 'devices: 0 network interface(s), 2 block device(s)' <<<"$out" ||
	fail "the image on $backend did not see two disks: $out"
echo "ok: two disks reach the image on $backend"
