#!/usr/bin/env bash
# ext2 disks made and judged by e2fsprogs, used by the fswork image on one
# backend: a heavy workload (2,000 files, renames, deletes, a file past the
# double-indirect range, 10,000 entries in a folder) that e2fsck -fn must
# find clean and whose every file debugfs must read back with the digest
# the image computed; files the host wrote (mke2fs -d, e2cp) read by the
# image byte for byte; the romfs baked into the image, with a disk mounted
# on one of its folders; a full disk; and features we refuse.
#
#   disk.sh BUILD_ROOT posix|kvm|baremetal BIG_MB
set -u
build=$1 backend=$2 big=$3
image=$build/tests/images/fswork/fswork
case $backend in
posix) run() { local d=$1; shift; "$image.posix" "--disk=$d" "$@"; } ;;
kvm)
	[[ -w /dev/kvm ]] || { echo "SKIP: /dev/kvm is not usable"; exit 77; }
	run() { local d=$1; shift
		"$build/backends/kvm/unilab-kvm" --mem=64M "--disk=$d" "$image.kvm" "$@"; } ;;
baremetal)
	command -v qemu-system-x86_64 >/dev/null ||
		{ echo "SKIP: qemu-system-x86_64 is not installed"; exit 77; }
	run() { local d=$1; shift
		"$(dirname "$0")/../../../backends/baremetal/run-qemu.sh" \
			--mem=64M "--disk=$d" \
			--timeout=600 "$image.bm" "$@"; } ;;
*) echo "unknown backend $backend"; exit 2 ;;
esac
for tool in mke2fs e2fsck debugfs e2cp; do
	command -v $tool >/dev/null || PATH=$PATH:/sbin:/usr/sbin
	command -v $tool >/dev/null ||
		{ echo "SKIP: $tool is not installed (e2fsprogs, e2tools)"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/unilab-fs.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The digests of every file under a host folder, as fswork prints them.
host_sums() { (cd "$1" && find . -type f -print0 | xargs -0 -r sha256sum |
	sort -k2); }

echo "== workload on a 1 KiB-block disk, big file $big MB"
mke2fs -q -F -t ext2 -b 1024 "$work/w.img" 128M || fail "mke2fs"
run "$work/w.img" root=blk0 workload 7 "$big" > "$work/out" 2>&1
status=$?
cat "$work/out"
[[ $status == 0 ]] || fail "workload exit status $status"
grep -q '^fswork: workload done' "$work/out" || fail "workload not done"
e2fsck -fn "$work/w.img" > "$work/fsck" 2>&1 || { cat "$work/fsck"; fail "e2fsck after the workload"; }
echo "ok: e2fsck -fn finds the disk clean"
debugfs -R 'stat /big' "$work/w.img" 2>/dev/null | grep -q TIND ||
	fail "/big does not use its triple-indirect block"
run "$work/w.img" root=blk0 sums / 2>&1 | sort -k2 > "$work/image.sums"
mkdir "$work/dump"
debugfs -R "rdump / $work/dump" "$work/w.img" >/dev/null 2>&1
host_sums "$work/dump" | grep -v '\./lost+found/' > "$work/host.sums"
n=$(wc -l < "$work/host.sums")
(( n > 11000 )) || fail "only $n files on the disk"
diff "$work/host.sums" "$work/image.sums" > "$work/diff" ||
	{ head "$work/diff"; fail "the image's digests differ from debugfs's"; }
echo "ok: debugfs reads all $n files with the digests the image computed"
rm -rf "$work/dump" "$work/w.img"

echo "== files the host wrote, 4 KiB and 2 KiB blocks"
mkdir -p "$work/tree/a/b/c" "$work/tree/empty"
head -c 3000000 /dev/urandom > "$work/tree/a/random"
seq 1 100000 > "$work/tree/a/b/c/numbers"
: > "$work/tree/zero"
for i in $(seq 1 300); do echo "file $i" > "$work/tree/a/b/f$i"; done
for bs in 4096 2048; do
	mke2fs -q -F -t ext2 -b $bs -d "$work/tree" "$work/h.img" 32M || fail "mke2fs -d"
	printf 'from e2cp\n' > "$work/e2cp.txt"
	e2cp "$work/e2cp.txt" "$work/h.img:/a/e2cp.txt" || fail "e2cp"
	cp "$work/e2cp.txt" "$work/tree/a/e2cp.txt"
	run "$work/h.img" root=blk0 sums / 2>&1 | grep -v '\./lost+found/' |
		sort -k2 > "$work/image.sums"
	host_sums "$work/tree" | diff - "$work/image.sums" ||
		fail "the image reads the host's files differently ($bs-byte blocks)"
	rm "$work/tree/a/e2cp.txt"
	echo "ok: the image reads every file mke2fs -d and e2cp wrote ($bs-byte blocks)"
done

echo "== romfs in the image, a disk mounted on /disk"
run "$work/h.img" cat /etc/motd 2>&1 | grep -q '^welcome to the romfs of fswork$' ||
	fail "no motd from the image's romfs"
run "$work/h.img" mount=/disk:blk0 cat /disk/a/b/f7 2>&1 | grep -q '^file 7$' ||
	fail "no file from the disk mounted on /disk"
out=$(run "$work/h.img" mount=/nowhere:blk0 cat /etc/motd 2>&1)
[[ $? == 114 && $out == *"cannot mount /nowhere: No such file or directory"* ]] ||
	fail "mounting on a missing folder: $out"
echo "ok: romfs on /, the disk on /disk, a clear error for a bad mount point"

echo "== a full disk"
mke2fs -q -F -t ext2 -b 1024 "$work/f.img" 4M || fail "mke2fs"
run "$work/f.img" root=blk0 fill 2>&1 | tee "$work/out" | grep -q 'then No space left on device' ||
	{ cat "$work/out"; fail "fill did not end in ENOSPC"; }
e2fsck -fn "$work/f.img" > "$work/fsck" 2>&1 || { cat "$work/fsck"; fail "e2fsck after ENOSPC"; }
echo "ok: ENOSPC, and the full disk checks clean"

echo "== features we refuse"
debugfs -w -R 'feature extent' "$work/f.img" >/dev/null 2>&1
out=$(run "$work/f.img" root=blk0 sums / 2>&1)
[[ $? == 114 && $out == *"unsupported feature extent"* ]] ||
	fail "an extent disk: $out"
echo "ok: a disk with extents is refused, naming the feature"
