#!/usr/bin/env bash
# Ping an image through a TAP device in a namespace of its own, and have
# it echo a UDP datagram: the rawnet test image answers with frames it
# builds by hand; Linux's ping and nc check the answers.
. "$(dirname "$0")/netns.sh" "$@"
net_require_root
net_require_backend
net_require ping:iputils-ping nc:netcat-openbsd
net_tap_setup
net_image img "$(net_image_path rawnet)" "--net=tap:$NET_TAP" \
	-- serve "$NET_IMAGE_IP" 60
net_wait_line img 'rawnet: serving'

out=$(net_in "$NET_NS" ping -c 3 -i 0.2 -W 2 "$NET_IMAGE_IP" 2>&1)
grep -q ' 3 received' <<<"$out" || net_fail "ping: $out"
net_wait_line img "net0: echo reply to $NET_HOST_IP seq=3"
net_wait_line img "net0: ARP reply to $NET_HOST_IP"
out=$(printf 'over a TAP' | net_in "$NET_NS" timeout 10 nc -u -w 1 "$NET_IMAGE_IP" 7)
[ "$out" = 'over a TAP' ] || net_fail "UDP echo: got '$out'"
net_pass "Linux pings and UDP-echoes the $NET_SUFFIX image through TAP $NET_TAP"
