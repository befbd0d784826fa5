#!/usr/bin/env bash
# 200 TCP connections open at once to the echo app, through a TAP device:
# every one is accepted and echoes its own line (tcp_peer.py many).
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require python3:python3
net_tap_setup
# Each connection costs the app a buffer and the stack its windows: more
# than kvm's default guest memory holds.
net_image img "$(net_image_path echo)" --mem=64M "--net=tap:$NET_TAP" \
	-- "ip=$NET_IMAGE_IP/24"
net_wait_line img 'echo: serving tcp port 7'
out=$(net_in "$NET_NS" timeout 60 python3 "$(dirname "$0")/tcp_peer.py" \
	many "$NET_IMAGE_IP" 7 200) || net_fail "$out"
echo "ok: $out"
net_pass "200 concurrent TCP connections on $NET_SUFFIX"
