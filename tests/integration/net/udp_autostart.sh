#!/usr/bin/env bash
# An app that never calls ul_net_start() (udponce): its first socket
# starts the stack, so a datagram from the Linux stack through a TAP
# device gets its answer, and the app exits 0 (before, the image died
# with the scheduler's "deadlock" panic).
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require nc:netcat-openbsd
net_tap_setup
net_image img "$(net_image_path udponce)" "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24"
net_wait_line img 'udponce: waiting on udp port 7'

msg="a datagram from $$"
out=$(printf '%s' "$msg" | net_in "$NET_NS" timeout 10 nc -u -w 1 "$NET_IMAGE_IP" 7)
[ "$out" = "$msg" ] || net_fail "UDP: sent '$msg', got '$out'"
net_wait_exit img 10
[ "$NET_STATUS" = 0 ] || net_fail "udponce ended with status $NET_STATUS: $(cat "$(net_log img)")"
net_pass "the first socket started the stack on $NET_SUFFIX: the datagram came back"
