#!/usr/bin/env bash
# Boot a unilab xen image under real Xen, inside QEMU (TCG, so it runs on
# any x86_64 host), as Xen's initial domain, and behave like the image was
# a process: its console output on stdout, its exit status as ours.
#
#   run-xen.sh [--mem=SIZE] [--timeout=SECONDS] [--log=FILE] IMAGE [ARGS...]
#   run-xen.sh --check      say whether this machine can (status 0 or 1)
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

find_xen() {
	if [[ -n ${UNILAB_XEN:-} ]]; then
		echo "$UNILAB_XEN"
	else
		ls -1 /boot/xen-*.gz /boot/xen.gz 2>/dev/null | sort -rV | head -n 1
	fi
}

# Why this machine cannot boot Xen images, or nothing.
missing() {
	local xen
	xen=$(find_xen)
	if ! command -v "$qemu" >/dev/null; then
		echo "$qemu is not installed (Debian: qemu-system-x86)"
	elif [[ -z $xen || ! -r $xen ]]; then
		echo "no Xen hypervisor in /boot (Debian: xen-hypervisor-4.17-amd64)"
	fi
}

# One argument as a word of the core's command-line syntax (see
# <unilab/cmdline.h>): as it is when it has no blank, quote or backslash,
# else in single quotes, each ' written as '\'' .
quote_word() {
	local w=$1 q="'\\''"
	if [[ -n $w && $w != *[[:space:]\'\"\\]* ]]; then
		printf '%s' "$w"
	else
		printf "'%s'" "${w//\'/$q}"
	fi
}

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
why=$(missing)
[[ -z $why ]] || die 122 "$why"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-xen.XXXXXX") || die 122 "cannot make a temporary directory"
qemu_pid=
cleanup() {
	[[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# QEMU's -kernel wants the multiboot ELF itself, not Debian's gzip of it.
xen=$(find_xen)
if [[ $xen == *.gz ]]; then
	zcat "$xen" >"$tmp/xen" || die 122 "cannot unpack $xen"
	xen=$tmp/xen
fi

# The module's text: a path without blanks or commas (QEMU splits there),
# the app's name, the command line. In -initrd a comma is written ",,".
ln -s "$(realpath "$image")" "$tmp/image"
app=$(basename "$image")
app=${app%.xen}
cmdline=$(quote_word "$app")
for a in "$@"; do
	cmdline+=" $(quote_word "$a")"
done
((${#cmdline} < 1000)) || die 120 "the command line is ${#cmdline} bytes; Xen passes at most 1023"
module="$tmp/image $cmdline"

serial=$tmp/serial.log
: >"$serial"
"$qemu" -accel tcg -cpu max -m 512 -nodefaults -no-user-config \
	-display none -no-reboot -serial "file:$serial" \
	-kernel "$xen" \
	-append "console=com1 dom0_mem=$mem,max:$mem dom0_max_vcpus=1 loglvl=warning guest_loglvl=warning noreboot" \
	-initrd "${module//,/,,}" 2>"$tmp/qemu.err" &
qemu_pid=$!

# The end: our status line, or Xen halting after dom0 went, or a Xen panic.
# QEMU writes the serial line byte by byte, so the status line counts once
# the CR that Xen puts before each LF shows that its number is whole.
end_re=$'^ul#exit status [0-9]+\r|Hardware Dom0 (halted|crashed|shutdown|rebooted)|Manual reset required|Reboot in five seconds'
timed_out=false
now_us() { echo $((${EPOCHREALTIME/./})); }
deadline=$(($(now_us) + timeout * 1000000))
while kill -0 "$qemu_pid" 2>/dev/null; do
	grep -aqE "$end_re" "$serial" && break
	if (($(now_us) >= deadline)); then
		timed_out=true
		break
	fi
	sleep 0.02
done
kill "$qemu_pid" 2>/dev/null
wait "$qemu_pid" 2>/dev/null
qemu_pid=

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
