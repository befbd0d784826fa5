#!/usr/bin/env bash
# ./unilab disk: create (with and without --from), check a clean and a
# damaged disk, repair, and the errors for bad arguments.
set -u
unilab=$1
PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { echo "SKIP: e2fsprogs is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/unilab-disk.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$work"
mkdir site && echo '<h1>x</h1>' > site/index.html
"$unilab" disk create d.img --size=4M --from=site --block-size=2048 || fail "create"
[[ $(stat -c %s d.img) == 4194304 ]] || fail "d.img is not 4 MiB"
[[ $(debugfs -R 'cat /index.html' d.img 2>/dev/null) == '<h1>x</h1>' ]] || fail "no index.html on the disk"
debugfs -R stats d.img 2>/dev/null | grep -q 'Block size: *2048' || fail "not 2 KiB blocks"
"$unilab" disk check d.img || fail "a new disk is not clean"
# Damage it: an inode's link count that lies.
debugfs -w -R 'sif /index.html links_count 5' d.img >/dev/null 2>&1
"$unilab" disk check d.img && fail "check passes a damaged disk"
"$unilab" disk check d.img --repair || fail "repair"
"$unilab" disk check d.img || fail "not clean after the repair"
out=$("$unilab" disk create e.img 2>&1) && fail "create without --size"
[[ $out == *"give --size=SIZE"* ]] || fail "unclear error: $out"
out=$("$unilab" disk create e.img --size=10X 2>&1) && fail "a bad size"
[[ $out == *"K, M or G"* ]] || fail "unclear error: $out"
out=$("$unilab" disk create e.img --size=1M --from=nothere 2>&1) && fail "a missing folder"
[[ $out == *"is not a folder"* ]] || fail "unclear error: $out"
out=$("$unilab" disk check nothere.img 2>&1) && fail "check of a missing file"
[[ $out == *"no file"* ]] || fail "unclear error: $out"
echo "ok: ./unilab disk creates, checks and repairs, and explains bad arguments"
