#!/usr/bin/env bash
# ./unilab disk: make and check ext2 disks for images with the ordinary
# tools (mke2fs, e2fsck), no root needed, so that nobody has to learn
# their flags.
set -u
PATH=$PATH:/sbin:/usr/sbin

usage() {
	cat <<'USAGE'
usage: ./unilab disk create FILE --size=SIZE [--from=FOLDER] [--block-size=N]
       ./unilab disk check FILE [--repair]

  create   make FILE an ext2 file system (revision 1) of SIZE bytes (a
           number with K, M or G, e.g. 64M), holding a copy of FOLDER's
           files if --from is given; N is 1024, 2048 or 4096 (default:
           mke2fs's choice for the size)
  check    run e2fsck on FILE without changing it and say whether it is
           clean (exit 0) or not (exit 1); --repair fixes what it can
           (e2fsck -p), as after an image was killed while writing
Attach a disk to an image with the backends' --disk=FILE and mount it with
the core options root=blk0 or mount=/data:blk0 (docs/fs.md).
USAGE
}

die() {
	printf 'unilab disk: %s\n' "$*" >&2
	exit 1
}

need() {
	command -v "$1" >/dev/null || die "$1 is not installed (apt-get install e2fsprogs)"
}

create() {
	local file='' size='' from='' bs=''
	while (($#)); do
		case $1 in
		--size=*) size=${1#*=} ;;
		--from=*) from=${1#*=} ;;
		--block-size=*) bs=${1#*=} ;;
		-h | --help) usage; exit 0 ;;
		-*) die "create: unknown option '$1'" ;;
		*) [[ -z $file ]] || die "create: one FILE at a time"; file=$1 ;;
		esac
		shift
	done
	[[ -n $file ]] || die "create: which FILE?"
	[[ -n $size ]] || die "create: how large? give --size=SIZE, e.g. --size=64M"
	[[ $size =~ ^[0-9]+[KMG]?$ ]] || die "create: --size must be a number with K, M or G, not '$size'"
	[[ -z $bs || $bs =~ ^(1024|2048|4096)$ ]] ||
		die "create: --block-size must be 1024, 2048 or 4096, not '$bs'"
	[[ -z $from || -d $from ]] || die "create: --from=$from is not a folder"
	[[ ! -e $file || -f $file ]] || die "create: $file exists and is not a regular file"
	need mke2fs
	local args=(-q -F -t ext2 -L unilab)
	[[ -n $bs ]] && args+=(-b "$bs")
	[[ -n $from ]] && args+=(-d "$from")
	: > "$file" || die "create: cannot write $file"
	mke2fs "${args[@]}" "$file" "$size" ||
		{ rm -f "$file"; die "create: mke2fs failed"; }
	echo "unilab disk: $file: ext2, $size${from:+, with the files of $from}"
}

check() {
	local file='' repair=0
	while (($#)); do
		case $1 in
		--repair) repair=1 ;;
		-h | --help) usage; exit 0 ;;
		-*) die "check: unknown option '$1'" ;;
		*) [[ -z $file ]] || die "check: one FILE at a time"; file=$1 ;;
		esac
		shift
	done
	[[ -n $file ]] || die "check: which FILE?"
	[[ -f $file ]] || die "check: no file $file"
	need e2fsck
	if ((repair)); then
		e2fsck -fp "$file"
		local rc=$?
		# 1: errors corrected; 2: corrected, reboot advised (not for us).
		((rc <= 2)) || die "check: e2fsck -p could not repair $file (status $rc); run e2fsck -f $file"
		echo "unilab disk: $file is clean$( ((rc)) && echo ' (repaired)')"
	else
		e2fsck -fn "$file" || die "check: $file is not clean (./unilab disk check $file --repair fixes it)"
		echo "unilab disk: $file is clean"
	fi
}

case ${1:-} in
create) shift; create "$@" ;;
check) shift; check "$@" ;;
'' | -h | --help | help) usage ;;
*) usage >&2; exit 2 ;;
esac
