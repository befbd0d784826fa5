#!/usr/bin/env bash
# The xen backend as an ordinary domain: one Linux dom0 under Xen (in
# QEMU) runs every boot case that applies to xen, the console probe and
# the bad paths, each as its own domU made by `xl create`; then each is
# checked as its own case would be on any backend.
#
#   domu.sh SOURCE_ROOT BUILD_ROOT
set -u
src=$1 build=$2
run_xen=$src/backends/xen/run-xen.sh
why=$("$run_xen" --check) || { echo "SKIP: $why"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/domu-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The image of a case's first word: an app or a test image.
image_of() {
	local p=$build/apps/$1/$1.xen
	[[ -e $p ]] || p=$build/tests/images/$1/$1.xen
	echo "$p"
}

# The batch: one tab-separated line per domain, its name in names[].
names=()
: >"$tmp/batch"
add() {
	local name=$1
	shift
	names+=("$name")
	(IFS=$'\t'; echo "$*") >>"$tmp/batch"
}
for case_dir in "$src"/tests/integration/boot/*/; do
	c=$(basename "$case_dir")
	if [[ -f $case_dir/backends ]] && ! grep -qw xen "$case_dir/backends"; then
		continue
	fi
	mapfile -t args <"$case_dir/args"
	add "boot:$c" "$(image_of "${args[0]}")" "${args[@]:1}"
done
probe=$build/tests/integration/xen/probe
add console "$probe.xen" console
add not-a-pv-kernel "$build/apps/hello/hello.kvm"
add no-bridge --bridge=nosuch "$(image_of hello)"

start=${EPOCHREALTIME/./}
"$run_xen" --domu --timeout=30 --batch="$tmp/batch" --out-dir="$tmp"
rc=$?
echo "one dom0, ${#names[@]} domains: $(((${EPOCHREALTIME/./} - start) / 1000000)) s"
((rc == 0)) || { echo "FAIL: run-xen.sh --domu --batch: status $rc"; exit 1; }

failed=0
fail() {
	echo "FAIL: $1: $2"
	echo "--- its output:"
	cat "$tmp/$3.out" "$tmp/$3.err"
	failed=1
}
# Domain K's status, output and messages.
status() { cat "$tmp/$1.status"; }
both() { cat "$tmp/$1.out" "$tmp/$1.err"; }

for i in "${!names[@]}"; do
	k=$((i + 1)) name=${names[i]}
	case $name in
	boot:*)
		cat "$tmp/$k.out" "$tmp/$k.err" >"$tmp/$k.both"
		UL_BACKEND=xen "$src/tests/integration/run_case.sh" \
			"$src/tests/integration/boot/${name#boot:}" "$build" xen \
			--result "$tmp/$k.both" "$(status "$k")" || failed=1
		;;
	console)
		# The ring's bytes are the posix build's, byte for byte.
		"$probe.posix" console >"$tmp/console.posix"
		want=$?
		if ! cmp -s "$tmp/console.posix" "$tmp/$k.out"; then
			fail "$name" "output differs from posix: $(diff "$tmp/console.posix" "$tmp/$k.out" | head -5)" "$k"
		elif [[ $(status "$k") != "$want" ]]; then
			fail "$name" "status $(status "$k"), posix gave $want" "$k"
		else
			echo "ok: console byte for byte as posix, status $want"
		fi
		;;
	not-a-pv-kernel)
		if [[ $(status "$k") != 119 ]] || ! grep -q 'no loader found: Invalid kernel' "$tmp/$k.err"; then
			fail "$name" "want status 119 and xl's 'no loader found'" "$k"
		else
			echo "ok: $name: $(grep -m1 'no loader' "$tmp/$k.err")"
		fi
		;;
	no-bridge)
		if [[ $(status "$k") != 119 ]] || ! grep -q "no bridge 'nosuch'" "$tmp/$k.err"; then
			fail "$name" "want status 119 and 'no bridge'" "$k"
		else
			echo "ok: $name: $(grep -m1 "no bridge" "$tmp/$k.err")"
		fi
		;;
	esac
done
echo "hello as domU, xl create to its end: $(cat "$tmp/$(($(printf '%s\n' "${names[@]}" | grep -nx boot:hello | cut -d: -f1))).ms") ms (dom0's clock)"
exit $failed
