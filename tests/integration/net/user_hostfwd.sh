#!/usr/bin/env bash
# User-mode networking without root: two interfaces, each with a UDP
# hostfwd rule; a datagram sent to each host port comes back echoed by the
# image, through the interface the rule belongs to.
. "$(dirname "$0")/netns.sh" "$@"
net_require_backend
net_require nc:netcat-openbsd python3:python3
port0=$(net_free_port udp)
port1=$(net_free_port udp)
net_image img "$(net_image_path rawnet)" \
	"--net=user,hostfwd=udp::$port0-:7" \
	"--net=user,hostfwd=udp:127.0.0.1:$port1-10.0.2.15:9" \
	-- serve 10.0.2.15 60
net_wait_line img 'rawnet: serving 10.0.2.15 on 2 interface'

for p in "$port0" "$port1"; do
	out=$(printf 'hello %s' "$p" | timeout 10 nc -u -w 1 127.0.0.1 "$p")
	[ "$out" = "hello $p" ] || net_fail "UDP echo on port $p: got '$out'"
done
net_wait_line img 'net0: UDP echo of [0-9]+ bytes to 10.0.2.2:[0-9]+ from port 7'
net_wait_line img 'net1: UDP echo of [0-9]+ bytes to 10.0.2.2:[0-9]+ from port 9'
net_pass "UDP through hostfwd on two user-mode interfaces"
