# Sourced by run-xen.sh and domu.sh: what both do to boot Xen inside
# QEMU (TCG) and wait for the end of a run. They set `me` and `qemu` and
# define die STATUS MESSAGE; prepare_run makes `tmp`.

# The hypervisor: UNILAB_XEN, else the newest /boot/xen-*.gz.
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

# Check that the machine can, make the temporary directory $tmp (its
# name from $1) and remove it, ending QEMU if it runs, when we exit.
prepare_run() {
	local why
	why=$(missing)
	[[ -z $why ]] || die 122 "$why"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || die 122 "cannot make a temporary directory"
	qemu_pid=
	trap cleanup EXIT
}

cleanup() {
	[[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
	rm -rf "$tmp"
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

# The text Xen gives image $1 as its command line: the app's name (the
# file's, less .xen), then the arguments $2..., each quoted as a word.
image_cmdline() {
	local app a line
	app=$(basename "$1")
	line=$(quote_word "${app%.xen}")
	shift
	for a in "$@"; do
		line+=" $(quote_word "$a")"
	done
	((${#line} < 1000)) || die 120 "the command line is ${#line} bytes; Xen passes at most 1023"
	printf '%s' "$line"
}

# Start QEMU with Xen, Xen's command line $2 and the multiboot modules $3
# (QEMU's -initrd text), QEMU's memory $1; its serial line goes to
# $tmp/serial.log. Sets qemu_pid.
start_qemu() {
	local xen
	xen=$(find_xen)
	# QEMU's -kernel wants the multiboot ELF, not Debian's gzip of it.
	if [[ $xen == *.gz ]]; then
		zcat "$xen" >"$tmp/xen" || die 122 "cannot unpack $xen"
		xen=$tmp/xen
	fi
	: >"$tmp/serial.log"
	"$qemu" -accel tcg -cpu max -m "$1" -nodefaults -no-user-config \
		-display none -no-reboot -serial "file:$tmp/serial.log" \
		-kernel "$xen" -append "$2" -initrd "$3" 2>"$tmp/qemu.err" &
	qemu_pid=$!
}

# Wait until the serial line matches the extended regexp $1 (or Xen's
# last words appear), QEMU ends, or $2 seconds pass; then end QEMU. Sets
# timed_out.
wait_qemu() {
	local end_re="$1|Hardware Dom0 (halted|crashed|shutdown|rebooted)|Manual reset required|Reboot in five seconds"
	local deadline=$((${EPOCHREALTIME/./} + $2 * 1000000))
	timed_out=false
	while kill -0 "$qemu_pid" 2>/dev/null; do
		grep -aqE "$end_re" "$tmp/serial.log" && break
		if ((${EPOCHREALTIME/./} >= deadline)); then
			timed_out=true
			break
		fi
		sleep 0.05
	done
	kill "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=
}
