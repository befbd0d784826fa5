#!/usr/bin/env bash
# The shared options of ./unilab run, checked once: a bad --mem gets the
# same message and status on every backend; every option takes its value
# as "--opt=value" or "--opt value"; xen refuses --net by name.
#
#   options.sh BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/lib.sh"
want="unilab: bad --mem '16Q': give a size from 256K to 4G, such as 64M"
for backend in posix kvm baremetal xen; do
	for bad in 16Q; do
		out=$(unilab run hello --backend="$backend" --mem="$bad" 2>&1)
		status=$?
		[[ $status == 2 ]] || fail "--mem=$bad on $backend: status $status, want 2"
		[[ $out == "$want" ]] || fail "--mem=$bad on $backend said '$out', want '$want'"
	done
	for bad in 0 100K 5G 8T -1M 1.5G ''; do
		out=$(unilab run hello --backend="$backend" --mem "$bad" 2>&1)
		status=$?
		[[ $status == 2 && $out == "unilab: bad --mem '$bad': give a size from 256K to 4G, such as 64M" ]] ||
			fail "--mem '$bad' on $backend: status $status, said '$out'"
	done
done

# The space-separated forms, and a value that looks like an option.
out=$(unilab run hello --backend posix --mem 16M -- one --two 2>&1) ||
	fail "--backend posix --mem 16M: $out"
grep -q 'argument 2: --two' <<<"$out" || fail "--two did not reach the app: $out"
disk=$(mktemp)
trap 'rm -f "$disk"' EXIT
truncate -s 64K "$disk"
out=$(unilab run hello --disk "$disk" --mem=1M 2>&1) || fail "--disk FILE: $out"

for args in "--mem" "--net" "--disk" "--backend"; do
	out=$(unilab run hello $args 2>&1)
	[[ $? == 2 && $out == "unilab: $args needs a value (see ./unilab help)" ]] ||
		fail "$args with no value said '$out'"
done
out=$(unilab run hello --disk /nonexistent/disk.img 2>&1)
[[ $? == 2 && $out == *"no such file: /nonexistent/disk.img"* ]] || fail "missing disk: $out"
out=$(unilab run hello --net eth0 2>&1)
[[ $? == 2 && $out == *"bad --net 'eth0'"* ]] || fail "bad --net: $out"
out=$(unilab run hello --backend=vax 2>&1)
[[ $? == 2 && $out == *"unknown backend 'vax'"* ]] || fail "unknown backend: $out"
out=$(unilab run nosuchapp 2>&1)
[[ $? == 2 && $out == *"unknown app 'nosuchapp'; the apps are:"* ]] || fail "unknown app: $out"
out=$(unilab run hello --backend=xen --net=user 2>&1)
[[ $? == 1 && $out == *"--net does not apply to xen"* ]] || fail "xen --net: $out"
# Within the shared range but too small for one backend: said, not hung.
if "$SRC/backends/baremetal/run-qemu.sh" --check >/dev/null; then
	out=$(timeout 60 "$SRC/unilab" run hello --backend=baremetal --mem=1M 2>&1)
	[[ $? == 122 && $out == *"--mem=1024K: a baremetal image is loaded at 1M and needs 2M or more"* ]] ||
		fail "baremetal --mem=1M: $out"
fi
echo "ok: the shared options of ./unilab run"
