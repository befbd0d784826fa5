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

# The patterns of tests/images/blockio/main.c.
python3 - "$disk" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    for s in range(2048):
        f.write(bytes((7 * s + i) & 0xff for i in range(512)))
PY
out=$(timeout 60 "$@" "--disk=$disk" "$image" 2>&1)
status=$?
echo "$out"
[[ $status == 0 ]] || { echo "FAIL: exit status $status"; exit 1; }
grep -q '^blockio: ok$' <<<"$out" || { echo "FAIL: no 'blockio: ok'"; exit 1; }
python3 - "$disk" <<'PY' || exit 1
import sys
data = open(sys.argv[1], "rb").read()
for s in range(2048):
    image = 16 <= s < 16 + 200
    want = bytes(((13 * s + 3 * i + 1) if image else (7 * s + i)) & 0xff
                 for i in range(512))
    if data[s * 512:(s + 1) * 512] != want:
        sys.exit(f"FAIL: sector {s} of the disk file is not what "
                 f"{'the image' if image else 'the host'} wrote")
print("ok: the disk file holds the image's sectors 16..215 and the host's elsewhere")
PY
