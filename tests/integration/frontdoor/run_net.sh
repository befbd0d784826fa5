#!/usr/bin/env bash
# ./unilab run echo --backend=B --net=user,hostfwd=... -- --udp=N: the same
# command line on every backend gives the image a network, and the app
# argument --udp=N reaches the app (not the backend); nc's datagram comes
# back.
#
#   run_net.sh BUILD_DIR SOURCE_DIR BACKEND
. "$(dirname "$0")/lib.sh"
backend=$3
need_backend "$backend"
port=$(free_udp_port)
log=$(mktemp)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

# Not through the unilab function: $! must be ./unilab itself, which
# becomes the backend's launcher (exec), for the kill at the end.
"$SRC/unilab" run echo --backend="$backend" --net="user,hostfwd=udp::$port-:7007" \
	-- --udp=7007 --tcp=0 >"$log" 2>&1 &
server=$!
wait_for "$log" 60 'echo: serving udp port 7007' ||
	fail "echo did not serve udp port 7007 on $backend: $(cat "$log")"
reply=$(echo "hello $backend $$" | nc -u -w 2 127.0.0.1 "$port")
[[ $reply == "hello $backend $$" ]] ||
	fail "nc got '$reply' back from echo on $backend, want 'hello $backend $$'"
echo "ok: echo on $backend answered nc through --net=user with --udp=7007"
