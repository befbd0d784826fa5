#!/usr/bin/env bash
# ./unilab debug echo --backend=B --net=user,hostfwd=... : gdb (in batch
# mode) stops at a breakpoint in echo's UDP handler when a datagram from
# the host arrives through the network the debug command gave the image.
#
#   debug_net.sh BUILD_DIR SOURCE_DIR BACKEND
. "$(dirname "$0")/lib.sh"
backend=$3
need_backend "$backend"
command -v gdb >/dev/null || skip "gdb is not installed"
# The debug build (no optimisation, debug info) lives beside the build
# under test, made on the first run.
export UNILAB_BUILD_DEBUG=$BUILD_DIR/frontdoor-debug
port=$(free_udp_port)
tmp=$(mktemp -d)
trap 'kill "$debugger" 2>/dev/null; wait "$debugger" 2>/dev/null; rm -rf "$tmp"' EXIT
# posix: gdb starts the image; kvm: the guest waits, connected, for us.
start=continue
[[ $backend == posix ]] && start=run
printf '%s\n' 'break echo_datagrams' "$start" 'bt 1' kill >"$tmp/gdb.cmd"

UNILAB_GDB_FLAGS="-batch -nx -x $tmp/gdb.cmd" "$SRC/unilab" debug echo --backend="$backend" \
	--net "user,hostfwd=udp::$port-:7007" -- --udp=7007 --tcp=0 \
	>"$tmp/out" 2>&1 </dev/null &
debugger=$!
# The first run configures and builds; then datagrams until one hits.
for ((i = 0; i < 3000; i++)); do
	grep -q 'Breakpoint 1, echo_datagrams' "$tmp/out" && break
	kill -0 "$debugger" 2>/dev/null || break
	grep -q 'echo: serving' "$tmp/out" && echo ping >/dev/udp/127.0.0.1/"$port"
	sleep 0.2
done
wait "$debugger"
cat "$tmp/out"
grep -q 'building echo for '"$backend" "$tmp/out" || fail "debug printed no progress line"
grep -q 'Breakpoint 1, echo_datagrams' "$tmp/out" ||
	fail "gdb did not stop in echo_datagrams on $backend"
echo "ok: gdb stopped in echo's UDP handler on $backend, the network from --net"
