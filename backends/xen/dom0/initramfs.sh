#!/usr/bin/env bash
# Build the test dom0 from this machine's Debian packages: a Linux kernel
# to run as Xen's initial domain and an initramfs holding busybox, Xen's
# toolstack (xl, xenstored, xenconsoled and the libraries they load), curl, nc, the
# kernel modules for Xen's back ends and a bridge, and our /init.
#
#   initramfs.sh CACHE_DIR
#
# Prints two lines: the kernel's path and the initramfs's path. The
# initramfs is cached in CACHE_DIR and made again only when an input
# changed (this script, init, the packages' versions, the kernel). The
# kernel is the newest /boot/vmlinuz-* whose modules are installed;
# should that one lack a module we need, the next newest is tried, and
# stderr says which one was taken and why others were not.
set -eu
me=run-xen
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=$1

die() {
	echo "$me: dom0: $*" >&2
	exit 122
}

xen_bin=/usr/lib/xen-4.17/bin
tools=("$xen_bin/xl" "$xen_bin/xenstored" "$xen_bin/xenconsoled"
	"$xen_bin/xen-init-dom0" /usr/bin/xenstore)
for t in "${tools[@]}"; do
	[[ -x $t ]] || die "$t is missing (Debian: xen-utils-4.17, xenstore-utils)"
done
# curl and OpenBSD's nc, dom0's clients in the tests, when installed.
for t in curl nc.openbsd; do
	t=$(command -v "$t") && tools+=("$t")
done
busybox=/bin/busybox
[[ -x $busybox ]] && ! ldd "$busybox" >/dev/null 2>&1 ||
	die "$busybox is missing or not static (Debian: busybox-static)"

# The modules, in load order (each after what it depends on).
modules=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs llc stp bridge
	xen-netback xen-blkback loop)

# The path of module $2 of kernel $1, or nothing.
module_path() {
	modinfo -k "$1" -n "$2" 2>/dev/null | grep '^/' || true
}

kernel= kver=
for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -rV); do
	v=${k#/boot/vmlinuz-}
	lacking=
	for m in "${modules[@]}"; do
		[[ -n $(module_path "$v" "$m") ]] ||
			grep -q "^CONFIG_$(tr a-z- A-Z_ <<<"$m")=y" "/boot/config-$v" 2>/dev/null ||
			lacking+=" $m"
	done
	if [[ -z $lacking ]]; then
		kernel=$k kver=$v
		break
	fi
	echo "$me: dom0: not $k: no module$lacking" >&2
done
[[ -n $kernel ]] || die "no /boot/vmlinuz-* with Xen's back-end modules (Debian: linux-image-amd64)"

key=$( {
	cat "$0" "$here/init" "$here/vif" "$here/block"
	echo "$kernel $kver"
	stat -c '%s %Y' "$kernel"
	dpkg-query -W -f='${Package} ${Version}\n' xen-utils-4.17 xenstore-utils busybox-static 2>/dev/null
} | sha256sum | cut -c1-16)
out=$cache/dom0-$key.cpio.gz
if [[ ! -f $out ]]; then
	echo "$me: dom0: building the initramfs for $kernel in $cache" >&2
	mkdir -p "$cache"
	rm -f "$cache"/dom0-*.cpio.gz
	root=$(mktemp -d "$cache/root.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,etc/xen,lib/modules,job} \
		"$root"/var/{lib/xen,lib/xenstored,log/xen/console,run/xen} \
		"$root"/usr/{bin,sbin}
	cp "$busybox" "$root/bin/busybox"
	for applet in $("$busybox" --list); do
		[[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
	done
	# The tools and every library they load, at the same paths.
	for t in "${tools[@]}"; do
		mkdir -p "$root$(dirname "$t")"
		cp "$t" "$root$t"
		for lib in $(ldd "$t" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
	# glibc loads libgcc_s itself when a thread is cancelled (xl does).
	lib=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
	[[ -n $lib ]] || die "libgcc_s.so.1 is missing (Debian: libgcc-s1)"
	cp -L "$lib" "$root$lib"
	# Dom0's memory is fixed by Xen's dom0_mem: xl must not balloon it.
	echo 'autoballoon="off"' >"$root/etc/xen/xl.conf"
	for w in read write rm exists list ls watch chmod; do
		ln -s xenstore "$root/usr/bin/xenstore-$w"
	done
	ln -s "$xen_bin/xl" "$root/usr/sbin/xl"
	for m in "${modules[@]}"; do
		p=$(module_path "$kver" "$m")
		[[ -n $p ]] || continue # built in
		case $p in
		*.ko.xz) xz -dc "$p" >"$root/lib/modules/$m.ko" ;;
		*.ko.zst) zstd -qdc "$p" >"$root/lib/modules/$m.ko" ;;
		*) cp "$p" "$root/lib/modules/$m.ko" ;;
		esac
		# Loop devices made at load time: busybox's losetup looks for
		# a free /dev/loopN rather than asking /dev/loop-control.
		[[ $m == loop ]] && m+=" max_loop=8"
		echo "$m" >>"$root/lib/modules/order"
	done
	cp "$here/init" "$here/vif" "$here/block" "$root/"
	chmod +x "$root/init" "$root/vif" "$root/block"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
fi
echo "$kernel"
echo "$out"
