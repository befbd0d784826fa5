#!/usr/bin/env bash
# The xen backend as an ordinary domain: one Linux dom0 under Xen (in
# QEMU) runs every boot case that applies to xen, the console probe and
# the bad paths, each as its own domU made by `xl create`; then each is
# checked as its own case would be on any backend. Then the network: dom0
# pings the guest, fetches httpd's pages with curl (byte for byte, the
# 1 MB page) and sends 20 MB through echo over TCP, both ways, sha256'd.
# And the disk: blockio reads and writes xvda through blkfront, and dom0's
# copy of the disk must then hold exactly the sectors it wrote.
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

# The batch: one tab-separated line per domain, its name in names[]. The
# devices' domains go first, the domains that fail on purpose last.
names=()
: >"$tmp/batch"
add() {
	local name=$1
	shift
	names+=("$name")
	(IFS=$'\t'; echo "$*") >>"$tmp/batch"
}
# dom0's side of the network cases: wait for the guest to answer ping.
cat >"$tmp/wait.sh" <<'SCRIPT'
i=0
until ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 30 ] || { echo "no answer to ping"; exit 1; }
done
SCRIPT
{
	cat "$tmp/wait.sh"
	echo 'ping -c 5 -i 0.2 10.0.0.2 | tail -n 2'
	echo 'for p in index.html style.css robots.txt hello.json; do'
	echo '	echo "page $p $(curl -sS -m 30 http://10.0.0.2/$p | sha256sum)"'
	echo 'done'
	echo "curl -sS -m 60 -o /tmp/big -w 'big %{http_code} %{size_download} %{time_total}\n' http://10.0.0.2/big.txt"
	echo 'echo "bigsum $(sha256sum </tmp/big)"'
} >"$tmp/httpd.dom0"
add httpd --dom0="$tmp/httpd.dom0" "$(image_of httpd)" ip=10.0.0.2/24
{
	cat "$tmp/wait.sh"
	echo 'head -c 20000000 /dev/urandom >/tmp/in'
	echo 'echo "sending 20000000 bytes"'
	echo 'start=$(date +%s)'
	echo 'nc.openbsd -N 10.0.0.2 7 </tmp/in >/tmp/out || echo "nc failed"'
	echo 'echo "echo $(($(date +%s) - start)) s"'
	echo 'echo "sent $(sha256sum </tmp/in)"'
	echo 'echo "back $(sha256sum </tmp/out) $(wc -c </tmp/out)"'
} >"$tmp/echo.dom0"
add echo --dom0="$tmp/echo.dom0" "$(image_of echo)" ip=10.0.0.2/24
disk_py=$src/tests/images/blockio/disk.py
"$disk_py" make "$tmp/disk.img"
add blockio --disk="$tmp/disk.img" "$(image_of blockio)"

for case_dir in "$src"/tests/integration/boot/*/; do
	c=$(basename "$case_dir")
	if [[ -f $case_dir/backends ]] && ! grep -qw xen "$case_dir/backends"; then
		continue
	fi
	# A guest domain has a network interface on dom0's bridge: the case of
	# an image without one is the initial domain's only.
	[[ $c == no-network* ]] && continue
	mapfile -t args <"$case_dir/args"
	add "boot:$c" "$(image_of "${args[0]}")" "${args[@]:1}"
done

probe=$build/tests/integration/xen/probe
add console "$probe.xen" console
add not-a-pv-kernel "$build/apps/hello/hello.kvm"
add no-bridge --bridge=nosuch "$(image_of hello)"
add stalled-handshake --vif-script=/bin/true "$(image_of hello)"

start=${EPOCHREALTIME/./}
"$run_xen" --domu --timeout=120 --batch="$tmp/batch" --out-dir="$tmp"
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
# Domain K's status.
status() { cat "$tmp/$1.status"; }

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
	httpd)
		# The sums of the pages in www/, and of the 1 MB page.
		. "$src/tests/integration/net/httpd_pages.sh"
		dom0=$(cat "$tmp/$k.dom0")
		ok=true
		for p in index.html style.css robots.txt hello.json; do
			grep -qx "page $p $(sha256sum <"$HTTP_WWW/$p")" <<<"$dom0" || ok=false
		done
		grep -q "^big 200 $HTTP_BIG_SIZE " <<<"$dom0" &&
			grep -qx "bigsum $HTTP_BIG_SHA256  -" <<<"$dom0" || ok=false
		grep -q ' 0% packet loss' <<<"$dom0" || ok=false
		if $ok; then
			echo "ok: dom0 pings httpd ($(grep round-trip <<<"$dom0")) and gets 4 pages and /big.txt byte for byte ($(grep '^big ' <<<"$dom0" | cut -d' ' -f4) s)"
		else
			fail "$name" "dom0's side: $dom0" "$k"
		fi
		;;
	echo)
		dom0=$(cat "$tmp/$k.dom0")
		sent=$(sed -n 's/^sent \([0-9a-f]*\) .*/\1/p' <<<"$dom0")
		if [[ -n $sent ]] && grep -q "^back $sent  - 20000000$" <<<"$dom0"; then
			echo "ok: 20 MB through echo over TCP and back, sha256 equal ($(grep '^echo ' <<<"$dom0" | cut -d' ' -f2-))"
		else
			fail "$name" "dom0's side (its script's status: $(cat "$tmp/$k.dom0-status")): $dom0" "$k"
		fi
		;;
	blockio)
		if [[ $(status "$k") != 0 ]] || ! grep -qx 'blockio: ok' "$tmp/$k.out"; then
			fail "$name" "want status 0 and 'blockio: ok'" "$k"
		elif [[ $(cat "$tmp/$k.disk-sha256") != "$("$disk_py" sha256)" ]]; then
			fail "$name" "dom0's disk is not what blockio wrote (sha256 $(cat "$tmp/$k.disk-sha256"))" "$k"
		else
			echo "ok: blockio through blkfront; dom0's disk holds what it wrote"
		fi
		;;
	stalled-handshake)
		# netback waits for a hotplug status that never comes; the
		# guest gives up on the vif and runs on without it.
		if [[ $(status "$k") != 0 ]] ||
			! grep -Eq 'error: xen: the back end /local/domain/0/backend/vif/[0-9]+/0 stalled in state InitWait \(want Connected\)$' "$tmp/$k.out"; then
			fail "$name" "want status 0 and the stall named" "$k"
		else
			echo "ok: $name: $(grep -m1 stalled "$tmp/$k.out")"
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
