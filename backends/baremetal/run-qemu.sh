#!/usr/bin/env bash
# Run a baremetal image (APP.bm) or a GRUB ISO of one under QEMU, with the
# image's console on stdout and its exit status as ours.
#
#   run-qemu.sh [OPTIONS] IMAGE [CORE OPTIONS] [APP ARGS]
#
# Exit status. The image ends QEMU through the isa-debug-exit device, and
# QEMU then exits with (value << 1) | 1. The image writes status + 1 (see
# exit.c), so QEMU's 2 * status + 3 becomes the image's status 0..126 here,
# unchanged; 1 remains QEMU's own failure. Our own statuses follow
# unilab-kvm's: 122 QEMU could not run the image, 124 --timeout ran out,
# 125 the machine stopped without a status (it powered off or reset: a
# status of 127..255, which the device cannot carry, or a triple fault),
# 130 interrupted by Ctrl-C.
set -u

usage() {
	cat <<'EOF'
usage: run-qemu.sh [OPTIONS] IMAGE [CORE OPTIONS] [APP ARGS]

Runs IMAGE (APP.bm, or an ISO made by make-iso.sh) under QEMU with its
console on stdout; exits with the image's exit status.
  --machine=microvm  QEMU's minimal machine, booted by PVH (default)
  --machine=pc       a PC with SeaBIOS; an ISO always boots this way
  --accel=auto|kvm|tcg
                     auto (default): KVM if /dev/kvm is usable and backed by
                     hardware virtualization (kvm_intel, kvm_amd), else TCG
  --mem=SIZE         guest RAM, as QEMU's -m, 2M or more (default 64M)
  --disk=FILE        attach FILE as the next virtio-blk disk (repeatable)
  --net=tap:NAME     attach the next virtio-net interface to an existing
                     TAP device (repeatable)
  --net=user[,hostfwd=tcp::HOSTPORT-:PORT]...
                     QEMU user-mode networking (the image is 10.0.2.15)
  --gdb=PORT         the image's second serial port (COM2) on TCP port
                     PORT of 127.0.0.1, for gdb's "target remote :PORT";
                     add break=1 to the image's options to stop it before
                     main until gdb is there (docs/debugging.md); a gdb
                     that goes without detaching is detached for it
  --gdb-listen=PORT  the same port, and the image runs: gdb may attach at
                     any time (it stops where the image is, and runs on
                     after gdb detaches)
  --monitor=SOCKET   QEMU's monitor on the Unix socket SOCKET, e.g. for
                     a core file of the running image: printf
                     'dump-guest-memory CORE\n' | nc -NU SOCKET
                     (docs/debugging.md)
  --timeout=SECONDS  stop the machine after SECONDS (status 124)
  --dry-run          print the QEMU command line instead of running it
  --check            exit 0 if this machine can run images, else say why
                     and exit 1
  --help             this text
The image's command line is IMAGE's name, then the words after it; an ISO
has its command line built in (make-iso.sh).
EOF
}

die() {
	printf 'run-qemu.sh: %s\n' "$*" >&2
	exit 122
}

# Why this machine cannot run images, or nothing.
qemu_missing() {
	command -v qemu-system-x86_64 >/dev/null ||
		echo "qemu-system-x86_64 is not installed (./unilab setup installs it)"
}

machine=microvm accel=auto mem=64M timeout='' gdb_port='' gdb_listen=false
monitor='' dry_run=false
disks=() nets=()
while (($#)); do
	case $1 in
	--machine=microvm | --machine=pc) machine=${1#*=} ;;
	--accel=auto | --accel=kvm | --accel=tcg) accel=${1#*=} ;;
	--mem=*) mem=${1#*=} ;;
	--disk=*)
		[[ -f ${1#*=} ]] || die "no such disk file: ${1#*=}"
		disks+=("${1#*=}")
		;;
	--net=tap:*) nets+=("tap,ifname=${1#--net=tap:},script=no,downscript=no") ;;
	--net=user | --net=user,*) nets+=("user${1#--net=user}") ;;
	--gdb=* | --gdb-listen=*)
		gdb_port=${1#*=}
		[[ $gdb_port =~ ^[0-9]+$ ]] || die "${1%%=*}=$gdb_port: want a TCP port"
		if [[ $1 == --gdb-listen=* ]]; then gdb_listen=true; fi
		;;
	--monitor=?*) monitor=${1#*=} ;;
	--timeout=*)
		timeout=${1#*=}
		[[ $timeout =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--timeout=$timeout: want seconds"
		;;
	--dry-run) dry_run=true ;;
	--check)
		why=$(qemu_missing)
		[[ -z $why ]] && exit 0
		echo "$why"
		exit 1
		;;
	--help | -h) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) break ;;
	esac
	shift
done
(($#)) || { usage >&2; exit 122; }
image=$1
shift
[[ -f $image ]] || die "no such image: $image"
# QEMU loads the image at 1M and, when RAM ends first, hangs without a
# word. Sizes as QEMU reads them: no suffix is M.
if [[ $mem =~ ^([0-9]{1,9})([KkMmGg]?)$ ]]; then
	case ${BASH_REMATCH[2]^^} in
	K) kib=${BASH_REMATCH[1]} ;;
	G) kib=$((BASH_REMATCH[1] * 1024 * 1024)) ;;
	*) kib=$((BASH_REMATCH[1] * 1024)) ;;
	esac
	((kib >= 2048)) || die "--mem=$mem: a baremetal image is loaded at 1M and needs 2M or more"
fi
why=$(qemu_missing)
[[ -z $why ]] || die "$why"

# Hardware KVM only: a software KVM (kvm_pvm) emulates every instruction a
# guest runs at CPL 0 and is far slower than TCG for a baremetal image.
hardware_kvm() {
	[[ -r /dev/kvm && -w /dev/kvm ]] &&
		[[ -d /sys/module/kvm_intel || -d /sys/module/kvm_amd ]]
}
case $accel in
auto) if hardware_kvm; then accel=kvm; else accel=tcg; fi ;;
kvm) [[ -r /dev/kvm && -w /dev/kvm ]] || die "--accel=kvm: /dev/kvm is missing or not writable" ;;
esac
# KVM's default CPU model asks for features a software KVM may lack (and
# QEMU warns on stderr); the host's own model, less the one MSR such KVMs
# refuse, has none of that. Under TCG, "max" rather than the default
# qemu64, whose lack of RDRAND leaves the image with no entropy source.
cpu=(-cpu max)
[[ $accel == kvm ]] && cpu=(-cpu host,-arch-capabilities)

# One word of the core's command-line syntax (<unilab/cmdline.h>): as it is
# when it has no blank, quote or backslash, else in single quotes, each '
# written as '\''.
quote_word() {
	local w=$1 q="'"
	if [[ -n $w && $w != *[[:blank:]\'\"\\]* ]]; then
		printf '%s' "$w"
	else
		printf "'%s'" "${w//$q/$q\\$q$q}"
	fi
}

# Devices: PCI on a PC; virtio-mmio on microvm, whose PCI Express host has
# no ACPI MCFG table to find it by. With ACPI off, microvm appends each
# virtio-mmio device's place to the command line (virtio_mmio.c), and
# force-legacy=false gives the modern (version 2) interface.
bus=pci
[[ $machine == microvm && $image != *.iso ]] && bus=device
devices=()
for i in "${!disks[@]}"; do
	devices+=(-drive "if=none,id=disk$i,format=raw,file=${disks[$i]}"
	          -device "virtio-blk-$bus,drive=disk$i")
done
for i in "${!nets[@]}"; do
	type=${nets[$i]%%,*}
	devices+=(-netdev "$type,id=net$i${nets[$i]#"$type"}"
	          -device "virtio-net-$bus,netdev=net$i")
done

qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none
      -serial stdio -no-reboot -accel "$accel" "${cpu[@]}" -m "$mem"
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [[ $image == *.iso ]]; then
	(($# == 0)) || die "an ISO has its command line built in; make one with these words instead"
	qemu+=(-M pc -cdrom "$image" -boot d)
else
	# The first word names the image, like argv[0] (bootinfo.c); blanks
	# would end it early.
	name=$(basename "$image")
	cmdline=${name//[[:blank:]]/_}
	if $gdb_listen; then
		cmdline+=" gdb=listen" # a core option: before the app's words
	fi
	for w in "$@"; do
		cmdline+=" $(quote_word "$w")"
	done
	if [[ $machine == microvm ]]; then
		# The PIT to calibrate the TSC against (microvm has no HPET) and
		# the RTC for the wall clock.
		acpi=on
		((${#devices[@]})) && acpi=off
		qemu+=(-M "microvm,pit=on,rtc=on,acpi=$acpi"
		       -global virtio-mmio.force-legacy=false)
	else
		qemu+=(-M pc)
	fi
	qemu+=(-kernel "$image" -append "$cmdline")
fi
qemu+=("${devices[@]}")
# COM2 as a device of its own (microvm makes only COM1 of -serial), on
# a Unix socket of gdb_relay.py's, which listens for gdb on the port: a
# serial line cannot tell the image that gdb has gone, the relay can. The
# machine starts at once; an image with break=1 waits for gdb's first
# packet itself.
relay_dir=${TMPDIR:-/tmp}/unilab-gdb.$$
[[ -n $gdb_port ]] &&
	qemu+=(-chardev "socket,id=gdb,path=$relay_dir/com2"
	       -device isa-serial,index=1,chardev=gdb)
if [[ -n $monitor ]]; then
	qemu+=(-monitor "unix:${monitor//,/,,},server=on,wait=off") # QEMU doubles commas
fi
if [[ -n $timeout ]]; then
	qemu=(timeout --foreground "$timeout" "${qemu[@]}")
fi

if $dry_run; then
	printf '%q ' "${qemu[@]}"
	printf '\n'
	exit 0
fi

relay=''
if [[ -n $gdb_port ]]; then
	mkdir -m 700 "$relay_dir" || die "cannot make $relay_dir"
	trap 'kill $relay 2>/dev/null; rm -rf "$relay_dir"' EXIT
	"$(dirname "$0")/gdb_relay.py" "$gdb_port" "$relay_dir/com2" &
	relay=$!
	until [[ -S $relay_dir/com2 ]]; do
		kill -0 $relay 2>/dev/null || exit 122 # it said why
		sleep 0.02
	done
fi

# QEMU runs as a child we wait for, so that a signal to us (timeout(1),
# Ctrl-C) can be passed on instead of leaving QEMU running. An explicit
# stdin keeps the console's input: a background job would get /dev/null.
interrupted=false
"${qemu[@]}" 0<&0 &
pid=$!
trap 'interrupted=true; kill -TERM $pid 2>/dev/null' INT TERM HUP
while :; do
	wait $pid
	rc=$?
	kill -0 $pid 2>/dev/null || break
done

if $interrupted; then
	exit 130
elif [[ -n $timeout && $rc == 124 ]]; then
	echo "run-qemu.sh: --timeout of $timeout s ran out" >&2
	exit 124
elif ((rc >= 3 && rc % 2 == 1)); then
	exit $(((rc - 3) / 2))
elif ((rc == 0)); then
	echo "run-qemu.sh: the machine stopped without reporting a status" \
	     "(power-off, reset or triple fault; see its last lines)" >&2
	exit 125
else
	echo "run-qemu.sh: QEMU failed (exit code $rc)" >&2
	exit 122
fi
