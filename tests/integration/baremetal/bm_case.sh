#!/usr/bin/env bash
# Run one command that boots a baremetal image and check its exit status
# and output.
#
#   bm_case.sh [--status N] [--expect REGEX]... [--type-after SECONDS TEXT]
#              -- COMMAND...
#
# --expect: some line of the output (stdout and stderr) matches the
# extended regexp; --type-after: TEXT arrives on the console's input
# after SECONDS. Skips (77) without QEMU, or without a usable /dev/kvm when
# COMMAND asks for --accel=kvm. Says which accelerator ran.
set -u
status=0 expects=() delay='' text=''
while (($#)); do
	case $1 in
	--status) status=$2; shift 2 ;;
	--expect) expects+=("$2"); shift 2 ;;
	--type-after) delay=$2 text=$3; shift 3 ;;
	--) shift; break ;;
	*) echo "bm_case.sh: unknown option $1"; exit 2 ;;
	esac
done

command -v qemu-system-x86_64 >/dev/null ||
	{ echo "SKIP: qemu-system-x86_64 is not installed"; exit 77; }
if [[ " $* " == *" --accel=kvm "* ]] && ! [[ -r /dev/kvm && -w /dev/kvm ]]; then
	echo "SKIP: --accel=kvm needs read and write access to /dev/kvm"
	exit 77
fi
launcher=$1
shift
accel=$("$launcher" --dry-run "$@" | grep -o -- '-accel [a-z]*')
echo "accelerator: ${accel#-accel }"

if [[ -n $delay ]]; then
	out=$( (sleep "$delay"; printf '%b' "$text") |
		timeout 60 "$launcher" "$@" 2>&1)
else
	out=$(timeout 60 "$launcher" "$@" </dev/null 2>&1)
fi
got=$?

fail() {
	echo "FAIL: $*"
	echo "--- output of $launcher $*:"
	echo "$out"
	exit 1
}
[[ $got == "$status" ]] || fail "exit status $got, want $status"
for re in "${expects[@]}"; do
	grep -Eq -- "$re" <<<"$out" || fail "no line matches /$re/"
done
echo "ok: $launcher $*"
