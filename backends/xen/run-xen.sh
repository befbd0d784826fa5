#!/usr/bin/env bash
# Boot a unilab xen image under real Xen, inside QEMU (TCG, so it runs on
# any x86_64 host), as Xen's initial domain, and behave like the image was
# a process: its console output on stdout, its exit status as ours.
#
#   run-xen.sh [--mem=SIZE] [--timeout=SECONDS] [--log=FILE] IMAGE [ARGS...]
#   run-xen.sh --check      say whether this machine can (status 0 or 1)
#   run-xen.sh --domu [OPTIONS] IMAGE [ARGS...]
#                           run the image as an ordinary domain under a
#                           Linux dom0 and xl instead (see domu.sh)
#
# --mem is the domain's memory (Xen's dom0_mem, default 32M), --timeout
# ends a run that takes longer (default 60 s), --log keeps the whole serial
# line, Xen's log included. UNILAB_XEN names the hypervisor (default: the
# newest /boot/xen-*.gz) and QEMU the emulator.
#
# QEMU's multiboot loader starts Xen with the image as its first module;
# Xen starts that as dom0 with the module's text after the file name as
# its command line, whose first word the image takes as its app's name.
# The image writes to Xen's console, the serial line QEMU saves to a file,
# each of its lines framed ("ul|", "ul-", "ul#exit status N": see
# backends/xen/console.c) so that Xen's own lines can be left out. Xen
# halts the machine once dom0 is gone ("noreboot"); we end QEMU as soon as
# the status line or Xen's last words appear.
#
# Exit statuses of our own, as unilab-kvm's: 119 the domain ended without
# saying its status (Xen crashed it, or Xen itself failed), 120 bad usage,
# 122 QEMU or Xen missing or failing, 124 the timeout ran out.
set -u

me=run-xen
mem=32M
timeout=60
log_copy=
qemu=${QEMU:-qemu-system-x86_64}

die() {
	local status=$1
	shift
	echo "$me: $*" >&2
	exit "$status"
}

. "$(dirname "${BASH_SOURCE[0]}")/qemu-xen.sh"

# --domu, anywhere among the options, hands them all to domu.sh.
for ((i = 1; i <= $#; i++)); do
	a=${!i}
	[[ $a == -* ]] || break
	[[ $a == -- ]] && break
	if [[ $a == --domu ]]; then
		set -- "${@:1:i-1}" "${@:i+1}"
		exec "$(dirname "${BASH_SOURCE[0]}")/domu.sh" "$@"
	fi
done

usage() {
	cat <<'EOF2'
usage: run-xen.sh [OPTIONS] IMAGE [CORE OPTIONS] [APP ARGS]

Boots IMAGE (APP.xen) under real Xen inside QEMU (TCG) as Xen's initial
domain; its console output on stdout, its exit status as ours.
  --mem=SIZE         the domain's memory, as Xen's dom0_mem, such as 32M
                     (default 32M)
  --timeout=SECONDS  end a run that takes longer (default 60; status 124)
  --log=FILE         keep the whole serial line, Xen's log included
  --check            exit 0 if this machine can boot Xen images, else say
                     why and exit 1
  --help             this text
The image has no network or disk devices here. UNILAB_XEN names the
hypervisor (default: the newest /boot/xen-*.gz) and QEMU the emulator.
EOF2
}

while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--check)
		why=$(missing)
		[[ -z $why ]] || { echo "$why"; exit 1; }
		exit 0
		;;
	--mem=*) mem=${1#*=} ;;
	--timeout=*) timeout=${1#*=} ;;
	--log=*) log_copy=${1#*=} ;;
	--) shift; break ;;
	-*) die 120 "unknown option '$1' (see $me --help)" ;;
	*) break ;;
	esac
	shift
done
(($#)) || die 120 "no IMAGE given (see $me --help)"
[[ $mem =~ ^[0-9]+[KMG]$ ]] || die 120 "--mem=$mem: want a size such as 32M"
[[ $timeout =~ ^[0-9]+$ && $timeout -gt 0 ]] || die 120 "--timeout=$timeout: want whole seconds"
image=$1
shift
[[ -f $image && -r $image ]] || die 120 "cannot read image $image"
prepare_run run-xen

# The module's text: a path without blanks or commas (QEMU splits there),
# the app's name, the command line. In -initrd a comma is written ",,".
ln -s "$(realpath "$image")" "$tmp/image"
cmdline=$(image_cmdline "$image" "$@") || exit
module="$tmp/image $cmdline"
serial=$tmp/serial.log
start_qemu 512 "console=com1 dom0_mem=$mem,max:$mem dom0_max_vcpus=1 loglvl=warning guest_loglvl=warning noreboot" \
	"${module//,/,,}"
# The end: our status line, or Xen halting after dom0 went, or a Xen panic.
# QEMU writes the serial line byte by byte, so the status line counts once
# the CR that Xen puts before each LF shows that its number is whole.
wait_qemu $'^ul#exit status [0-9]+\r' "$timeout"

[[ -z $log_copy ]] || cp "$serial" "$log_copy"
# The image's output: its records, unframed, Xen's CR before LF dropped.
awk '{ sub(/\r$/, "") }
     /^ul\|/ { print substr($0, 4); next }
     /^ul-/ { printf "%s", substr($0, 4) }' "$serial"
status=$(sed -n 's/^ul#exit status \([0-9]*\)\r.*$/\1/p' "$serial" | tail -n 1)
if [[ -n $status ]]; then
	exit "$status"
fi

$timed_out && die 124 "--timeout of $timeout s ran out"
if ! grep -aq . "$serial"; then
	die 122 "QEMU did not start Xen: $(cat "$tmp/qemu.err")"
fi
# Xen's log from its first complaint on, or its last lines.
xen_log=$(grep -a '^(XEN)' "$serial" | tr -d '\r')
first=$(grep -niE -m1 'error|panic|crash' <<<"$xen_log" | cut -d: -f1)
{
	echo "$me: the domain ended without its exit status; Xen said:"
	if [[ -n $first ]]; then
		tail -n "+$first" <<<"$xen_log"
	else
		tail -n 15 <<<"$xen_log"
	fi
} >&2
exit 119
